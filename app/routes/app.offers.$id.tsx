// Create or edit an offer: trigger, offered products (App Bridge resource
// picker), discount (a Shopify code created on save), schedule, and a preview
// of what an order with chosen items would see.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
  Thumbnail,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { getOffer, loadCatalog, parseList } from "../models/offers.server";
import { shopForSession } from "../models/shop.server";
import { formatMoney } from "../services/money";
import type { OfferRule } from "../services/offers/engine";
import { saveOffer } from "../services/offers/offers.server";
import { recommendDetailed } from "../services/offers/recommend.server";
import { validateOffer, type OfferErrors } from "../services/offers/validation";
import { authenticate } from "../shopify.server";

interface Picked {
  id: string;
  title: string;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const offer = params.id && params.id !== "new" ? await getOffer(db, shop.id, params.id) : null;
  if (params.id !== "new" && !offer) throw new Response("This offer does not exist", { status: 404 });
  const ids = offer ? [...parseList(offer.offeredProductIds), ...parseList(offer.triggerValues)] : [];
  const catalog = await loadCatalog(db, shop.id, ids);
  const named = (list: string[]) => list.map((id) => ({ id, title: catalog.get(id)?.title ?? id }));
  return {
    currencyCode: shop.currencyCode,
    offer: offer
      ? {
          id: offer.id,
          name: offer.name,
          enabled: offer.enabled,
          priority: String(offer.priority),
          triggerType: offer.triggerType,
          triggerValues: offer.triggerType === "tag" ? parseList(offer.triggerValues).map((t) => ({ id: t, title: t })) : named(parseList(offer.triggerValues)),
          minOrderValue: offer.minOrderValue ?? "",
          maxOrderValue: offer.maxOrderValue ?? "",
          offeredProducts: named(parseList(offer.offeredProductIds)),
          discountKind: offer.discountKind ?? "none",
          discountValue: offer.discountValue ?? "",
          discountCode: offer.discountCode,
          startsAt: offer.startsAt?.toISOString().slice(0, 10) ?? "",
          endsAt: offer.endsAt?.toISOString().slice(0, 10) ?? "",
        }
      : null,
  };
};

type PreviewItem = { productId: string; title: string; imageUrl: string | null; price: string; reason: string; discount: string | null };
type ActionResult = { ok: false; errors: OfferErrors } | { ok: true; id: string } | { preview: PreviewItem[] };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionResult | Response> => {
  const { session, admin, redirect } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const form = await request.formData();
  const id = params.id && params.id !== "new" ? params.id : null;
  if (form.get("intent") === "preview") {
    const productIds = parseList(String(form.get("basket") ?? "[]"));
    const draft = validateOffer(form);
    const rule: OfferRule | undefined = draft.ok
      ? {
          id: id ?? "draft",
          name: draft.value.name,
          enabled: draft.value.enabled,
          priority: draft.value.priority,
          triggerType: draft.value.triggerType,
          triggerValues: draft.value.triggerValues,
          minOrderValue: draft.value.minOrderValue,
          maxOrderValue: draft.value.maxOrderValue,
          offeredProductIds: draft.value.offeredProductIds,
          discount: draft.value.discountKind ? { kind: draft.value.discountKind, value: draft.value.discountValue! } : null,
          discountCode: "PREVIEW",
          startsAt: draft.value.startsAt,
          endsAt: draft.value.endsAt,
        }
      : undefined;
    const subtotal = String(form.get("basketValue") ?? "").trim() || null;
    const { items } = await recommendDetailed(db, shop.id, { productIds, limit: 4, surface: "thank_you", subtotal: subtotal && /^\d+(\.\d+)?$/.test(subtotal) ? subtotal : null, draft: rule });
    return {
      preview: items.map((i) => ({
        productId: i.productId,
        title: i.title,
        imageUrl: i.imageUrl,
        price: formatMoney(i.price, i.currencyCode),
        reason: i.reason,
        discount: i.discount ? (i.discount.kind === "percent" ? `${i.discount.value}% off` : `${formatMoney(i.discount.value, i.currencyCode)} off`) : null,
      })),
    };
  }
  const result = validateOffer(form);
  if (!result.ok) return { ok: false, errors: result.errors };
  const saved = await saveOffer(db, admin.graphql, shop.id, id, result.value);
  if (!saved.ok) return { ok: false, errors: saved.errors };
  return redirect(`/app/offers/${saved.offer.id}?saved=1`);
};

const TRIGGERS = [
  { label: "Every order", value: "any" },
  { label: "The order contains products", value: "product" },
  { label: "The order contains products from collections", value: "collection" },
  { label: "The order contains products with tags", value: "tag" },
  { label: "The order value is in a range", value: "order_value" },
];

export default function OfferForm() {
  const { offer, currencyCode } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const shopify = useAppBridge();
  const submit = useSubmit();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const saving = navigation.state === "submitting";

  const [name, setName] = useState(offer?.name ?? "");
  const [enabled, setEnabled] = useState(offer?.enabled ?? true);
  const [priority, setPriority] = useState(offer?.priority ?? "0");
  const [triggerType, setTriggerType] = useState(offer?.triggerType ?? "any");
  const [triggerItems, setTriggerItems] = useState<Picked[]>(offer?.triggerValues ?? []);
  const [tags, setTags] = useState(offer?.triggerType === "tag" ? offer.triggerValues.map((t) => t.id).join(", ") : "");
  const [minOrderValue, setMin] = useState(offer?.minOrderValue ?? "");
  const [maxOrderValue, setMax] = useState(offer?.maxOrderValue ?? "");
  const [offered, setOffered] = useState<Picked[]>(offer?.offeredProducts ?? []);
  const [discountKind, setDiscountKind] = useState(offer?.discountKind ?? "none");
  const [discountValue, setDiscountValue] = useState(offer?.discountValue ?? "");
  const [startsAt, setStartsAt] = useState(offer?.startsAt ?? "");
  const [endsAt, setEndsAt] = useState(offer?.endsAt ?? "");
  const [errors, setErrors] = useState<OfferErrors>({});
  const [basket, setBasket] = useState<Picked[]>([]);
  const [basketValue, setBasketValue] = useState("");
  const preview = useFetcher<typeof action>();

  useEffect(() => {
    if (actionData && "errors" in actionData) setErrors(actionData.errors);
  }, [actionData]);
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get("saved")) shopify.toast.show("Offer saved");
  }, [shopify]);

  const fields = () => ({
    name,
    enabled: enabled ? "true" : "false",
    priority,
    triggerType,
    triggerValues: JSON.stringify(triggerType === "tag" ? tags.split(",").map((t) => t.trim()).filter(Boolean) : triggerItems.map((p) => p.id)),
    minOrderValue,
    maxOrderValue,
    offeredProductIds: JSON.stringify(offered.map((p) => p.id)),
    discountKind,
    discountValue,
    startsAt,
    endsAt,
  });

  const pick = async (type: "product" | "collection", current: Picked[], set: (p: Picked[]) => void) => {
    const picked = await shopify.resourcePicker({ type, multiple: true, selectionIds: current.map((p) => ({ id: p.id })) });
    if (picked) set((picked as { id: string; title: string }[]).map((p) => ({ id: p.id, title: p.title })));
  };

  const clear = (key: keyof OfferErrors) => errors[key] && setErrors((e) => ({ ...e, [key]: undefined }));
  const errorCount = Object.values(errors).filter(Boolean).length;
  const previewItems = preview.data && "preview" in preview.data ? preview.data.preview : null;

  return (
    <Page
      title={offer ? offer.name : "New offer"}
      backAction={{ content: "Offers", onAction: () => navigate("/app/offers") }}
      titleMetadata={offer ? enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge> : undefined}
      primaryAction={{ content: "Save", loading: saving, onAction: () => submit(fields(), { method: "post" }) }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {errorCount > 0 && (
              <Banner tone="critical" title="The offer was not saved">
                <p>{errors.form ?? `Fix the highlighted ${errorCount === 1 ? "field" : "fields"} and save again.`}</p>
              </Banner>
            )}
            <Card>
              <FormLayout>
                <TextField label="Name" value={name} onChange={(v) => (setName(v), clear("name"))} autoComplete="off" error={errors.name} helpText="Shown to shoppers as the reason for the offer." />
                <FormLayout.Group>
                  <TextField label="Priority" type="number" value={priority} onChange={(v) => (setPriority(v), clear("priority"))} autoComplete="off" error={errors.priority} helpText="Higher first when several offers match." />
                  <Checkbox label="On" checked={enabled} onChange={setEnabled} helpText="Off: never shown, the code stays valid." />
                </FormLayout.Group>
              </FormLayout>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  When
                </Text>
                <Select label="Trigger" options={TRIGGERS} value={triggerType} onChange={(v) => (setTriggerType(v), clear("triggerValues"))} error={errors.triggerType} />
                {(triggerType === "product" || triggerType === "collection") && (
                  <BlockStack gap="200">
                    <Text as="p">{triggerItems.length ? triggerItems.map((p) => p.title).join(", ") : `No ${triggerType}s chosen`}</Text>
                    <Box>
                      <Button onClick={() => pick(triggerType, triggerItems, (p) => (setTriggerItems(p), clear("triggerValues")))}>{`Choose ${triggerType}s`}</Button>
                    </Box>
                    {errors.triggerValues && (
                      <Text as="p" tone="critical">
                        {errors.triggerValues}
                      </Text>
                    )}
                  </BlockStack>
                )}
                {triggerType === "tag" && (
                  <TextField label="Product tags" value={tags} onChange={(v) => (setTags(v), clear("triggerValues"))} autoComplete="off" helpText="Separated by commas." error={errors.triggerValues} />
                )}
                <FormLayout.Group>
                  <TextField label="Minimum order value" prefix={currencyCode} value={minOrderValue} onChange={(v) => (setMin(v), clear("minOrderValue"))} autoComplete="off" error={errors.minOrderValue} />
                  <TextField label="Maximum order value" prefix={currencyCode} value={maxOrderValue} onChange={(v) => (setMax(v), clear("maxOrderValue"))} autoComplete="off" error={errors.maxOrderValue} />
                </FormLayout.Group>
                <FormLayout.Group>
                  <TextField label="Starts" type="date" value={startsAt} onChange={(v) => (setStartsAt(v), clear("startsAt"))} autoComplete="off" error={errors.startsAt} />
                  <TextField label="Ends" type="date" value={endsAt} onChange={(v) => (setEndsAt(v), clear("endsAt"))} autoComplete="off" error={errors.endsAt} />
                </FormLayout.Group>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Offer
                </Text>
                <Text as="p">{offered.length ? offered.map((p) => p.title).join(", ") : "No products chosen"}</Text>
                <Box>
                  <Button onClick={() => pick("product", offered, (p) => (setOffered(p), clear("offeredProductIds")))}>Choose products to offer</Button>
                </Box>
                {errors.offeredProductIds && (
                  <Text as="p" tone="critical">
                    {errors.offeredProductIds}
                  </Text>
                )}
                <FormLayout.Group>
                  <Select
                    label="Discount"
                    options={[
                      { label: "No discount", value: "none" },
                      { label: "Percentage", value: "percent" },
                      { label: "Fixed amount", value: "amount" },
                    ]}
                    value={discountKind}
                    onChange={(v) => (setDiscountKind(v), clear("discountValue"))}
                    error={errors.discountKind}
                  />
                  {discountKind !== "none" && (
                    <TextField
                      label="Discount value"
                      value={discountValue}
                      onChange={(v) => (setDiscountValue(v), clear("discountValue"))}
                      suffix={discountKind === "percent" ? "%" : currencyCode}
                      autoComplete="off"
                      error={errors.discountValue}
                    />
                  )}
                </FormLayout.Group>
                <Text as="p" tone="subdued">
                  {offer?.discountCode
                    ? `Code ${offer.discountCode}: limited to the offered products. Changing the discount, products or dates creates a new code and deactivates this one.`
                    : "Saving creates a Shopify discount code limited to the offered products; the offer's button opens a cart with it applied."}
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Preview
              </Text>
              <Text as="p" tone="subdued">
                An order with these items would see… (with this form as it is now, unsaved)
              </Text>
              <Text as="p">{basket.length ? basket.map((p) => p.title).join(", ") : "No items chosen"}</Text>
              <InlineStack gap="200">
                <Button onClick={() => pick("product", basket, setBasket)}>Choose items</Button>
              </InlineStack>
              <TextField label="Order value" prefix={currencyCode} value={basketValue} onChange={setBasketValue} autoComplete="off" />
              <Button
                loading={preview.state !== "idle"}
                onClick={() => preview.submit({ ...fields(), intent: "preview", basket: JSON.stringify(basket.map((p) => p.id)), basketValue }, { method: "post" })}
              >
                Preview
              </Button>
              {previewItems &&
                (previewItems.length === 0 ? (
                  <Text as="p">Nothing would be shown: no offerable product matches. Import the catalog and order history, or choose fallback products.</Text>
                ) : (
                  previewItems.map((item: PreviewItem) => (
                    <InlineStack key={item.productId} gap="200" wrap={false} blockAlign="center">
                      <Thumbnail source={item.imageUrl ?? ""} alt={item.title} size="small" />
                      <BlockStack gap="050">
                        <Text as="span" fontWeight="semibold">
                          {item.title}
                        </Text>
                        <Text as="span">
                          {item.price}
                          {item.discount ? ` · ${item.discount}` : ""}
                        </Text>
                        <Text as="span" tone="subdued">
                          {item.reason}
                        </Text>
                      </BlockStack>
                    </InlineStack>
                  ))
                ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
