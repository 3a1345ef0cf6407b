// Create (/app/rewards/new) or edit a reward. Editing never changes codes
// already issued: each redemption keeps a snapshot of its reward.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { createReward, getReward, setRewardActive, updateReward } from "../models/reward.server";
import { shopForSession } from "../models/shop.server";
import { describeReward, KIND_LABELS, REWARD_KINDS, validateReward, type RewardErrors, type RewardKind } from "../services/rewards/catalog";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  if (params.id === "new") return { currencyCode: shop.currencyCode, reward: null };
  const reward = params.id ? await getReward(db, shop.id, params.id) : null;
  if (!reward) throw new Response("Reward not found", { status: 404 });
  return {
    currencyCode: shop.currencyCode,
    reward: {
      id: reward.id,
      title: reward.title,
      kind: reward.kind,
      pointsCost: String(reward.pointsCost),
      value: reward.value ?? "",
      productId: reward.productId ?? "",
      productTitle: reward.productTitle ?? "",
      minimumSubtotal: reward.minimumSubtotal ?? "",
      expiryDays: reward.expiryDays ? String(reward.expiryDays) : "",
      active: reward.active,
    },
  };
};

type ActionResult = { ok: false; errors: RewardErrors; message?: string };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionResult | Response> => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "");
  const result = validateReward({
    title: field("title"),
    kind: field("kind"),
    pointsCost: field("pointsCost"),
    value: field("value"),
    productId: field("productId"),
    productTitle: field("productTitle"),
    minimumSubtotal: field("minimumSubtotal"),
    expiryDays: field("expiryDays"),
  });
  if (!result.ok) return { ok: false, errors: result.errors };
  const active = field("active") !== "false";
  if (params.id === "new") {
    const created = await createReward(db, shop.id, result.reward);
    if (!active) await setRewardActive(db, shop.id, created.id, false);
  } else {
    const id = params.id ?? "";
    if (!(await updateReward(db, shop.id, id, result.reward))) return { ok: false, errors: {}, message: "That reward no longer exists." };
    await setRewardActive(db, shop.id, id, active);
  }
  return redirect("/app/rewards");
};

const VALUE_LABEL: Partial<Record<RewardKind, string>> = { amount_off: "Amount off", percentage_off: "Percentage off" };

export default function RewardForm() {
  const { reward, currencyCode } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [values, setValues] = useState({
    title: reward?.title ?? "",
    kind: (reward?.kind ?? "amount_off") as RewardKind,
    pointsCost: reward?.pointsCost ?? "",
    value: reward?.value ?? "",
    productId: reward?.productId ?? "",
    productTitle: reward?.productTitle ?? "",
    minimumSubtotal: reward?.minimumSubtotal ?? "",
    expiryDays: reward?.expiryDays ?? "30",
    active: reward?.active ?? true,
  });
  const [errors, setErrors] = useState<RewardErrors>({});
  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";

  useEffect(() => {
    if (actionData && !actionData.ok) setErrors(actionData.errors);
  }, [actionData]);

  const set = (key: keyof typeof values) => (value: string | boolean) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (key in errors) setErrors((e) => ({ ...e, [key]: undefined }));
  };

  async function pickProduct() {
    const selection = await shopify.resourcePicker({ type: "product", multiple: false, action: "select" });
    const picked = selection?.[0] as { id: string; title?: string } | undefined;
    if (picked) {
      setValues((v) => ({ ...v, productId: picked.id, productTitle: picked.title ?? "" }));
      setErrors((e) => ({ ...e, productId: undefined }));
    }
  }

  function save() {
    // Checked here first so mistakes show at once; the server checks again.
    const check = validateReward({ ...values });
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    submit({ ...values, active: String(values.active) }, { method: "post" });
  }

  const preview = validateReward({ ...values });
  const valueLabel = VALUE_LABEL[values.kind];

  return (
    <Page
      title={reward ? reward.title : "Create reward"}
      backAction={{ content: "Rewards", url: "/app/rewards" }}
      primaryAction={{ content: "Save", onAction: save, loading: saving, disabled: saving }}
    >
      <Layout>
        {actionData && !actionData.ok && actionData.message && (
          <Layout.Section>
            <Banner tone="critical">{actionData.message}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                save();
              }}
            >
              <FormLayout>
                <TextField label="Name" value={values.title} onChange={set("title")} error={errors.title} autoComplete="off" helpText="Shown to customers, e.g. “$5 off your next order”." requiredIndicator />
                <Select
                  label="Customers get"
                  options={REWARD_KINDS.map((k) => ({ label: KIND_LABELS[k], value: k }))}
                  value={values.kind}
                  onChange={set("kind")}
                  error={errors.kind}
                />
                {valueLabel && (
                  <TextField
                    label={valueLabel}
                    value={values.value}
                    onChange={set("value")}
                    error={errors.value}
                    autoComplete="off"
                    inputMode="decimal"
                    prefix={values.kind === "amount_off" ? currencyCode : undefined}
                    suffix={values.kind === "percentage_off" ? "%" : undefined}
                    requiredIndicator
                  />
                )}
                {values.kind === "free_product" && (
                  <BlockStack gap="200">
                    <Text as="p">{values.productTitle ? `Product: ${values.productTitle}` : "No product chosen yet."}</Text>
                    <InlineStack>
                      <Button onClick={pickProduct}>{values.productId ? "Change product" : "Choose product"}</Button>
                    </InlineStack>
                    {errors.productId && (
                      <Text as="p" tone="critical">
                        {errors.productId}
                      </Text>
                    )}
                  </BlockStack>
                )}
                <TextField label="Points cost" type="integer" value={values.pointsCost} onChange={set("pointsCost")} error={errors.pointsCost} autoComplete="off" requiredIndicator />
                <TextField
                  label="Minimum order subtotal"
                  value={values.minimumSubtotal}
                  onChange={set("minimumSubtotal")}
                  error={errors.minimumSubtotal}
                  autoComplete="off"
                  inputMode="decimal"
                  prefix={currencyCode}
                  helpText="Optional. The code only works on orders at least this large."
                />
                <TextField
                  label="Code expires after (days)"
                  type="integer"
                  value={values.expiryDays}
                  onChange={set("expiryDays")}
                  error={errors.expiryDays}
                  autoComplete="off"
                  helpText="Leave empty for codes that never expire."
                />
                <Checkbox label="Active (customers can redeem it)" checked={values.active} onChange={set("active")} />
              </FormLayout>
            </form>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Preview
              </Text>
              {preview.ok ? (
                <Text as="p">
                  {preview.reward.pointsCost.toLocaleString("en-US")} points → {describeReward(preview.reward, currencyCode)}. A
                  single-use code only the customer can use{preview.reward.expiryDays ? `, valid ${preview.reward.expiryDays} days` : ""}.
                </Text>
              ) : (
                <Text as="p" tone="subdued">
                  Fill in the form to see what customers will get.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
