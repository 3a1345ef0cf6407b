import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Button, Card, FormLayout, IndexTable, InlineStack, Layout, Modal, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { shopForSession, updateProgram } from "../models/shop.server";
import { createTier, deleteTier, listTiers, tierMemberCounts, updateTier } from "../models/tier.server";
import { formatPoints } from "../services/loyalty/display";
import { TIER_BASES, TIER_BASIS_LABELS, programValueOf, validateProgram, type ProgramField } from "../services/loyalty/program";
import { validateTier, type TierField } from "../services/loyalty/tiers";
import { recomputeShopTiers } from "../services/loyalty/tiers.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const [tiers, counts] = await Promise.all([listTiers(db, shop.id), tierMemberCounts(db, shop.id)]);
  return {
    currencyCode: shop.currencyCode,
    tierBasis: shop.tierBasis,
    tierWindowMonths: String(shop.tierWindowMonths),
    tiers: tiers.map((t) => ({ id: t.id, name: t.name, threshold: t.threshold, multiplier: t.multiplier, perks: t.perks, members: counts.get(t.id) ?? 0 })),
  };
};

type ActionResult =
  | { intent: "basis"; ok: true; moved: number }
  | { intent: "basis"; ok: false; errors: Partial<Record<ProgramField, string>> }
  | { intent: "tier"; ok: true; moved: number }
  | { intent: "tier"; ok: false; errors: Partial<Record<TierField, string>> }
  | { intent: "delete"; ok: boolean; moved: number };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const recompute = async () => recomputeShopTiers(db, (await shopForSession(db, session))!, new Date(), "tiers-changed");
  if (intent === "basis") {
    const result = validateProgram({ tierBasis: form.get("tierBasis"), tierWindowMonths: form.get("tierWindowMonths") }, programValueOf(shop));
    if (!result.ok) return { intent, ok: false, errors: result.errors };
    await updateProgram(db, shop.id, result.value);
    return { intent, ok: true, moved: await recompute() };
  }
  if (intent === "delete") {
    const ok = await deleteTier(db, shop.id, String(form.get("id") ?? ""));
    return { intent, ok, moved: ok ? await recompute() : 0 };
  }
  const id = String(form.get("id") ?? "");
  const others = (await listTiers(db, shop.id)).filter((t) => t.id !== id);
  const result = validateTier(Object.fromEntries(form), others);
  if (!result.ok) return { intent: "tier", ok: false, errors: result.errors };
  if (id) {
    if (!(await updateTier(db, shop.id, id, result.value))) throw new Response("Tier not found", { status: 404 });
  } else await createTier(db, shop.id, result.value);
  return { intent: "tier", ok: true, moved: await recompute() };
};

type Draft = { id: string; name: string; threshold: string; multiplier: string; perks: string };
const blank: Draft = { id: "", name: "", threshold: "", multiplier: "1", perks: "" };

function BasisForm() {
  const { tierBasis, tierWindowMonths } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submit = useSubmit();
  const [basis, setBasis] = useState(tierBasis);
  const [months, setMonths] = useState(tierWindowMonths);
  const errors = actionData?.intent === "basis" && !actionData.ok ? actionData.errors : {};
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          What tiers are based on
        </Text>
        <FormLayout>
          <FormLayout.Group>
            <Select label="Basis" options={TIER_BASES.map((b) => ({ value: b, label: TIER_BASIS_LABELS[b] }))} value={basis} onChange={setBasis} error={errors.tierBasis} />
            <TextField
              label="Rolling window"
              type="number"
              suffix="months"
              value={months}
              onChange={setMonths}
              disabled={basis !== "points"}
              error={errors.tierWindowMonths}
              helpText="Points earned from orders in this many months; recomputed daily."
              autoComplete="off"
            />
          </FormLayout.Group>
        </FormLayout>
        <InlineStack align="end">
          <Button onClick={() => submit({ intent: "basis", tierBasis: basis, tierWindowMonths: months }, { method: "post" })}>Save basis</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export default function TiersPage() {
  const { tiers, tierBasis, currencyCode } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Partial<Record<TierField, string>>>({});
  const [confirm, setConfirm] = useState<{ id: string; name: string; members: number } | null>(null);
  const saving = navigation.state !== "idle";

  useEffect(() => {
    if (!actionData) return;
    if (actionData.intent === "tier" && !actionData.ok) {
      setErrors(actionData.errors);
      return;
    }
    if (actionData.ok) {
      setDraft(null);
      setErrors({});
      shopify.toast.show(actionData.moved ? `Saved; ${actionData.moved} customers changed tier` : "Saved");
    }
  }, [actionData, shopify]);

  const unit = tierBasis === "points" ? "points" : currencyCode;
  const field = (name: TierField) => ({
    value: draft?.[name] ?? "",
    error: errors[name],
    autoComplete: "off",
    onChange: (value: string) => {
      setDraft((d) => (d ? { ...d, [name]: value } : d));
      if (errors[name]) setErrors((e) => ({ ...e, [name]: undefined }));
    },
  });

  return (
    <Page title="VIP tiers" primaryAction={{ content: "Add tier", onAction: () => setDraft({ ...blank }) }}>
      <Layout>
        <Layout.Section>
          <BasisForm />
        </Layout.Section>
        {draft && (
          <Layout.Section>
            <Card>
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  if (!saving) submit({ intent: "tier", ...draft }, { method: "post" });
                }}
              >
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {draft.id ? `Edit ${draft.name}` : "New tier"}
                  </Text>
                  {Object.values(errors).some(Boolean) && (
                    <Banner tone="critical" title="The tier was not saved">
                      <p>Fix the highlighted fields and save again.</p>
                    </Banner>
                  )}
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField label="Name" {...field("name")} requiredIndicator />
                      <TextField label="Reached at" suffix={unit} inputMode="decimal" helpText="0 for an entry tier everyone is in." {...field("threshold")} requiredIndicator />
                      <TextField label="Earning multiplier" prefix="×" inputMode="decimal" helpText="Applies to members' orders." {...field("multiplier")} requiredIndicator />
                    </FormLayout.Group>
                    <TextField label="Perks" multiline={2} helpText="Shown to customers, e.g. free shipping, early access." {...field("perks")} />
                  </FormLayout>
                  <InlineStack align="end" gap="200">
                    <Button onClick={() => setDraft(null)}>Cancel</Button>
                    <Button submit variant="primary" loading={saving}>
                      Save tier
                    </Button>
                  </InlineStack>
                </BlockStack>
              </form>
            </Card>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "tier", plural: "tiers" }}
              itemCount={tiers.length}
              selectable={false}
              emptyState={
                <Box padding="600">
                  <BlockStack gap="200" inlineAlign="center">
                    <Text as="p" variant="headingMd">
                      No tiers yet
                    </Text>
                    <Text as="p" tone="subdued">
                      Add tiers such as Silver and Gold: customers move up as they spend (or earn), earn faster in higher tiers,
                      and see the perks you describe.
                    </Text>
                  </BlockStack>
                </Box>
              }
              headings={[{ title: "Tier" }, { title: "Reached at" }, { title: "Multiplier" }, { title: "Perks" }, { title: "Members", alignment: "end" }, { title: "" }]}
            >
              {tiers.map((t, i) => (
                <IndexTable.Row id={t.id} key={t.id} position={i}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">
                      {t.name}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {t.threshold} {unit}
                  </IndexTable.Cell>
                  <IndexTable.Cell>× {t.multiplier}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ whiteSpace: "normal", maxWidth: "20rem" }}>{t.perks || "—"}</div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatPoints(t.members)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="200">
                      <Button variant="plain" onClick={() => setDraft({ id: t.id, name: t.name, threshold: t.threshold, multiplier: t.multiplier, perks: t.perks })}>
                        Edit
                      </Button>
                      <Button variant="plain" tone="critical" onClick={() => setConfirm({ id: t.id, name: t.name, members: t.members })}>
                        Delete
                      </Button>
                    </InlineStack>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
      </Layout>
      <Modal
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        title={`Delete the ${confirm?.name ?? ""} tier?`}
        primaryAction={{
          content: "Delete tier",
          destructive: true,
          onAction: () => {
            if (confirm) submit({ intent: "delete", id: confirm.id }, { method: "post" });
            setConfirm(null);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirm(null) }]}
      >
        <Modal.Section>
          <Text as="p">
            {confirm?.members
              ? `Its ${confirm.members} members move to the tier their ${tierBasis === "points" ? "points" : "spend"} now reaches.`
              : "No customer is in this tier."}
          </Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
