import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { deleteRule, listRules } from "../models/earning-rule.server";
import { shopForSession, updateProgram } from "../models/shop.server";
import { listTiers } from "../models/tier.server";
import { formatDate, oneUnitOf } from "../services/loyalty/display";
import { PreviewError, previewOrder, previewSampleCart, recentOrders, type PreviewResult } from "../services/loyalty/preview.server";
import {
  EXPIRY_LABELS,
  EXPIRY_POLICIES,
  MAX_PENDING_DAYS,
  programValueOf,
  validateProgram,
  type ExpiryPolicy,
  type ProgramField,
  type ProgramValue,
} from "../services/loyalty/program";
import { RULE_KIND_LABELS, RULE_TARGET_LABELS, ruleRunsAt, type Rule } from "../services/loyalty/rules";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const [rules, tiers, orders] = await Promise.all([listRules(db, shop.id), listTiers(db, shop.id), recentOrders(db, shop.id)]);
  const now = new Date();
  return {
    currencyCode: shop.currencyCode,
    earnRate: shop.earnRate,
    program: programValueOf(shop),
    rules: rules.map((r) => ({ ...describeRule(r), running: ruleRunsAt(r, now) })),
    tiers: tiers.map((t) => ({ id: t.id, name: t.name })),
    orders: orders.map((o) => ({ id: o.orderId, label: `${o.orderName ?? o.orderId} — ${o.merchandiseTotal} ${o.currencyCode}, ${formatDate(o.createdAt)}` })),
    today: now.toISOString().slice(0, 10),
  };
};

function describeRule(r: Rule) {
  const effect = r.kind === "bonus" ? `+${r.bonusPoints} points per item` : `× ${r.multiplier}`;
  const target = r.target === "all" ? "Whole order" : `${RULE_TARGET_LABELS[r.target]}: ${r.value}`;
  const dates =
    r.startsAt || r.endsAt
      ? `${r.startsAt ? formatDate(r.startsAt) : "…"} – ${r.endsAt ? formatDate(new Date(r.endsAt.getTime() - 86_400_000)) : "…"}`
      : "Always";
  return { id: r.id, name: r.name, kind: r.kind, kindLabel: RULE_KIND_LABELS[r.kind], effect, target, dates, active: r.active };
}

type ActionResult =
  | { intent: "program"; ok: true }
  | { intent: "program"; ok: false; errors: Partial<Record<ProgramField, string>> }
  | { intent: "delete-rule"; ok: boolean }
  | { intent: "preview"; ok: true; preview: { source: string; points: number; merchandiseTotal: string; steps: PreviewResult["evaluation"]["steps"] } }
  | { intent: "preview"; ok: false; error: string; field: string };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session, admin } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "delete-rule") {
    return { intent, ok: await deleteRule(db, shop.id, String(form.get("id") ?? "")) };
  }
  if (intent === "preview-cart" || intent === "preview-order") {
    try {
      let result: PreviewResult;
      if (intent === "preview-order") {
        result = await previewOrder(db, shop, admin.graphql, String(form.get("orderId") ?? ""));
      } else {
        let cart: unknown;
        try {
          cart = JSON.parse(String(form.get("cart") ?? ""));
        } catch {
          return { intent: "preview", ok: false, error: "The sample cart could not be read.", field: "cart" };
        }
        result = await previewSampleCart(db, shop, admin.graphql, cart);
      }
      const { evaluation } = result;
      return { intent: "preview", ok: true, preview: { source: result.source, points: evaluation.points, merchandiseTotal: evaluation.merchandiseTotal, steps: evaluation.steps } };
    } catch (error) {
      if (error instanceof PreviewError) return { intent: "preview", ok: false, error: error.message, field: error.field };
      throw error;
    }
  }
  const result = validateProgram(Object.fromEntries(form), programValueOf(shop));
  if (!result.ok) return { intent: "program", ok: false, errors: result.errors };
  await updateProgram(db, shop.id, result.value);
  return { intent: "program", ok: true };
};

const EXPIRY_OPTIONS = EXPIRY_POLICIES.map((value) => ({ value, label: EXPIRY_LABELS[value] }));

function ProgramForm() {
  const { program, currencyCode } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [values, setValues] = useState<Record<ProgramField, string>>(() => stringify(program));
  const [errors, setErrors] = useState<Partial<Record<ProgramField, string>>>({});
  const saving = navigation.state !== "idle" && navigation.formData?.get("intent") === "program";

  useEffect(() => {
    if (actionData?.intent !== "program") return;
    if (actionData.ok) {
      setErrors({});
      shopify.toast.show("Program saved");
    } else setErrors(actionData.errors);
  }, [actionData, shopify]);

  const field = (name: ProgramField) => ({
    value: values[name],
    error: errors[name],
    autoComplete: "off",
    onChange: (value: string) => {
      setValues((v) => ({ ...v, [name]: value }));
      if (errors[name]) setErrors((e) => ({ ...e, [name]: undefined }));
    },
  });

  return (
    <Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          // The tier basis belongs to the Tiers page; leaving it out keeps its saved value.
          const { tierBasis: _basis, tierWindowMonths: _window, ...fields } = values;
          if (!saving) submit({ intent: "program", ...fields }, { method: "post", preventScrollReset: true });
        }}
      >
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Program settings
          </Text>
          {Object.values(errors).some(Boolean) && (
            <Banner tone="critical" title="The program was not saved">
              <p>Fix the highlighted fields and save again.</p>
            </Banner>
          )}
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label="Pending window"
                type="number"
                suffix="days"
                helpText={`Points from an order become spendable after this many days (your return window), unless refunded. 0 to 365; 0 makes them spendable at once.`}
                {...field("pendingDays")}
                max={MAX_PENDING_DAYS}
                min={0}
              />
              <TextField
                label="Minimum order value"
                prefix={oneUnitOf(currencyCode).replace(/[\d.,\s]/g, "") || currencyCode}
                helpText="Orders with less merchandise than this earn nothing. 0 for no minimum."
                inputMode="decimal"
                {...field("minOrderValue")}
              />
            </FormLayout.Group>
            <TextField
              label="Customers who don't earn"
              helpText="Comma-separated customer tags, such as staff, wholesale."
              {...field("excludedCustomerTags")}
            />
            <FormLayout.Group>
              <TextField label="First order bonus" type="number" suffix="points" helpText="0 turns it off." {...field("firstOrderBonus")} />
              <TextField label="Sign-up bonus" type="number" suffix="points" helpText="When a customer account is created. 0 turns it off." {...field("signupBonus")} />
              <TextField
                label="Birthday bonus"
                type="number"
                suffix="points"
                helpText="Once a year on the birthday entered on the customer's page. 0 turns it off."
                {...field("birthdayBonus")}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <Select
                label="Points expiry"
                options={EXPIRY_OPTIONS}
                value={values.expiryPolicy}
                onChange={(value) => setValues((v) => ({ ...v, expiryPolicy: value as ExpiryPolicy }))}
                error={errors.expiryPolicy}
              />
              <TextField
                label="Expire after"
                type="number"
                suffix="months"
                disabled={values.expiryPolicy === "none"}
                {...field("expiryMonths")}
              />
            </FormLayout.Group>
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={saving}>
              Save program
            </Button>
          </InlineStack>
        </BlockStack>
      </form>
    </Card>
  );
}

const stringify = (p: ProgramValue) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])) as Record<ProgramField, string>;

function RulesCard({ title, kinds, empty }: { title: string; kinds: string[]; empty: string }) {
  const { rules } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const actionData = useActionData<typeof action>();
  const [confirm, setConfirm] = useState<{ id: string; name: string } | null>(null);
  const rows = rules.filter((r) => kinds.includes(r.kind));

  useEffect(() => {
    if (actionData?.intent === "delete-rule" && actionData.ok) shopify.toast.show("Rule deleted");
  }, [actionData, shopify]);

  return (
    <Card padding="0">
      <Box padding="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          <RemixLink to={`/app/program/rules/new?kind=${kinds[0]}`}>Add {kinds.includes("campaign") ? "campaign" : "rule"}</RemixLink>
        </InlineStack>
      </Box>
      <IndexTable
        resourceName={{ singular: "rule", plural: "rules" }}
        itemCount={rows.length}
        selectable={false}
        emptyState={
          <Box padding="400">
            <Text as="p" tone="subdued">
              {empty}
            </Text>
          </Box>
        }
        headings={[{ title: "Name" }, { title: "Kind" }, { title: "Applies to" }, { title: "Effect" }, { title: "When" }, { title: "" }]}
      >
        {rows.map((r, i) => (
          <IndexTable.Row id={r.id} key={r.id} position={i}>
            <IndexTable.Cell>
              <InlineStack gap="200">
                <RemixLink to={`/app/program/rules/${r.id}`}>{r.name}</RemixLink>
                {!r.active ? <Badge>Off</Badge> : r.running ? <Badge tone="success">Running</Badge> : <Badge tone="info">Scheduled</Badge>}
              </InlineStack>
            </IndexTable.Cell>
            <IndexTable.Cell>{r.kindLabel}</IndexTable.Cell>
            <IndexTable.Cell>{r.target}</IndexTable.Cell>
            <IndexTable.Cell>{r.effect}</IndexTable.Cell>
            <IndexTable.Cell>{r.dates}</IndexTable.Cell>
            <IndexTable.Cell>
              <Button variant="plain" tone="critical" onClick={() => setConfirm({ id: r.id, name: r.name })}>
                Delete
              </Button>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
      <Modal
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        title={`Delete “${confirm?.name ?? ""}”?`}
        primaryAction={{
          content: "Delete rule",
          destructive: true,
          onAction: () => {
            if (confirm) submit({ intent: "delete-rule", id: confirm.id }, { method: "post", preventScrollReset: true });
            setConfirm(null);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirm(null) }]}
      >
        <Modal.Section>
          <Text as="p">Orders from now on earn without this rule. Points already earned are kept, and refunds still follow the rules each order earned under.</Text>
        </Modal.Section>
      </Modal>
    </Card>
  );
}

interface SampleLine {
  title: string;
  price: string;
  quantity: string;
  productId: string;
  vendor: string;
  tags: string;
  collections: string;
}

const blankLine = (): SampleLine => ({ title: "", price: "", quantity: "1", productId: "", vendor: "", tags: "", collections: "" });

function PreviewCard() {
  const { tiers, orders, today } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const [lines, setLines] = useState<SampleLine[]>([{ ...blankLine(), title: "Sample product", price: "49.99" }]);
  const [customerTags, setCustomerTags] = useState("");
  const [date, setDate] = useState(today);
  const [firstOrder, setFirstOrder] = useState(false);
  const [tierId, setTierId] = useState("");
  const [orderId, setOrderId] = useState(orders[0]?.id ?? "");
  const data = fetcher.data?.intent === "preview" ? fetcher.data : null;
  const error = data && !data.ok ? data : null;
  const errorFor = (field: string) => (error?.field === field ? error.error : undefined);
  const busy = fetcher.state !== "idle";

  const setLine = (i: number, key: keyof SampleLine, value: string) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, [key]: value } : l)));
  const runCart = () =>
    fetcher.submit(
      { intent: "preview-cart", cart: JSON.stringify({ lines, customerTags, date, firstOrder, tierId }) },
      { method: "post" },
    );

  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Preview
          </Text>
          <Text as="p" tone="subdued">
            Build a sample cart or pick a recent order to see how many points it earns under the current rules, step by step.
          </Text>
        </BlockStack>
        {lines.map((line, i) => (
          <Box key={i} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
            <FormLayout>
              <FormLayout.Group condensed>
                <TextField label="Product" value={line.title} onChange={(v) => setLine(i, "title", v)} autoComplete="off" />
                <TextField label="Price" inputMode="decimal" value={line.price} onChange={(v) => setLine(i, "price", v)} error={errorFor(`lines.${i}.price`)} autoComplete="off" />
                <TextField label="Quantity" type="number" value={line.quantity} onChange={(v) => setLine(i, "quantity", v)} error={errorFor(`lines.${i}.quantity`)} autoComplete="off" />
              </FormLayout.Group>
              <FormLayout.Group condensed>
                <TextField label="Product tags" value={line.tags} onChange={(v) => setLine(i, "tags", v)} helpText="Comma-separated" autoComplete="off" />
                <TextField label="Collections" value={line.collections} onChange={(v) => setLine(i, "collections", v)} helpText="Handles, comma-separated" autoComplete="off" />
                <TextField label="Vendor" value={line.vendor} onChange={(v) => setLine(i, "vendor", v)} autoComplete="off" />
                <TextField
                  label="Product ID"
                  value={line.productId}
                  onChange={(v) => setLine(i, "productId", v)}
                  error={errorFor(`lines.${i}.productId`)}
                  helpText="Optional: its tags and collections are looked up"
                  autoComplete="off"
                />
              </FormLayout.Group>
              {lines.length > 1 && (
                <InlineStack align="end">
                  <Button variant="plain" tone="critical" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))}>
                    Remove line
                  </Button>
                </InlineStack>
              )}
            </FormLayout>
          </Box>
        ))}
        {errorFor("lines") && <Text as="p" tone="critical">{errorFor("lines")}</Text>}
        <InlineStack>
          <Button onClick={() => setLines((ls) => [...ls, blankLine()])} disabled={lines.length >= 50}>
            Add line
          </Button>
        </InlineStack>
        <FormLayout>
          <FormLayout.Group condensed>
            <TextField label="Customer tags" value={customerTags} onChange={setCustomerTags} autoComplete="off" />
            <TextField label="Order date" type="date" value={date} onChange={setDate} error={errorFor("date")} autoComplete="off" />
            <Select label="VIP tier" options={[{ label: "No tier", value: "" }, ...tiers.map((t) => ({ label: t.name, value: t.id }))]} value={tierId} onChange={setTierId} />
          </FormLayout.Group>
          <Checkbox label="The customer's first order" checked={firstOrder} onChange={setFirstOrder} />
        </FormLayout>
        <InlineStack align="end">
          <Button variant="primary" onClick={runCart} loading={busy}>
            Preview sample cart
          </Button>
        </InlineStack>
        {orders.length > 0 && (
          <InlineStack gap="300" blockAlign="end">
            <div style={{ flex: 1 }}>
              <Select label="Or a recent order" options={orders.map((o) => ({ label: o.label, value: o.id }))} value={orderId} onChange={setOrderId} error={errorFor("orderId")} />
            </div>
            <Button onClick={() => fetcher.submit({ intent: "preview-order", orderId }, { method: "post" })} loading={busy}>
              Preview order
            </Button>
          </InlineStack>
        )}
        {error && !["date", "orderId"].includes(error.field) && !error.field.startsWith("lines") && (
          <Banner tone="critical">
            <p>{error.error}</p>
          </Banner>
        )}
        {data?.ok && (
          <Box padding="300" background="bg-surface-secondary" borderRadius="200">
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {data.preview.source}: {data.preview.points.toLocaleString("en-US")} points
              </Text>
              <BlockStack gap="100" as="ol">
                {data.preview.steps.map((s, i) => (
                  <InlineStack key={i} align="space-between" gap="200" wrap={false}>
                    <Text as="span">{s.label}</Text>
                    {s.points !== undefined && s.kind !== "total" && (
                      <Text as="span" numeric tone="subdued">
                        {s.points}
                      </Text>
                    )}
                  </InlineStack>
                ))}
              </BlockStack>
            </BlockStack>
          </Box>
        )}
      </BlockStack>
    </Card>
  );
}

export default function ProgramPage() {
  const { rules, earnRate, currencyCode } = useLoaderData<typeof loader>();
  return (
    <Page title="Program" subtitle={`Base rate: ${earnRate} points per ${oneUnitOf(currencyCode)} (change it in Settings)`}>
      <Layout>
        {rules.length === 0 && (
          <Layout.Section>
            <Card>
              <EmptyState
                heading="Reward what matters to you"
                image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
                action={{ content: "Add a rule", url: "/app/program/rules/new" }}
                secondaryAction={{ content: "Plan a campaign", url: "/app/program/rules/new?kind=campaign" }}
              >
                <p>
                  Every order earns the base rate. Add rules to give more points for some products (by tag, collection, vendor
                  or product), fixed bonuses per item, or campaigns such as a double points weekend.
                </p>
              </EmptyState>
            </Card>
          </Layout.Section>
        )}
        {rules.length > 0 && (
          <>
            <Layout.Section>
              <RulesCard title="Earning rules" kinds={["multiplier", "bonus"]} empty="No product rules: every product earns the base rate." />
            </Layout.Section>
            <Layout.Section>
              <RulesCard title="Campaigns" kinds={["campaign"]} empty="No campaigns. When campaigns overlap, the highest multiplier applies." />
            </Layout.Section>
          </>
        )}
        <Layout.Section>
          <PreviewCard />
        </Layout.Section>
        <Layout.Section>
          <ProgramForm />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
