import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  FormLayout,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Pagination,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { IssueRewardCard } from "../components/IssueRewardCard";
import db from "../db.server";
import { isUniqueViolation } from "../models/errors";
import { getCustomer, setBirthday } from "../models/customer.server";
import { tierHistory } from "../models/tier.server";
import { parseBirthday } from "../services/loyalty/program";
import { customerEmails } from "../models/email.server";
import { CustomerEmails } from "../components/CustomerEmails";
import { countEntries, listEntries } from "../models/ledger.server";
import { actorOf } from "../services/actor.server";
import { shopForSession } from "../models/shop.server";
import { AdjustmentError, adjustPoints } from "../services/loyalty/adjustments.server";
import {
  clampNote,
  clampOf,
  customerName,
  describeSource,
  entryTypeBadge,
  formatDate,
  formatDateTime,
  formatPoints,
  formatPointsChange,
  pageParam,
} from "../services/loyalty/display";
import { authenticate } from "../shopify.server";

const PAGE_SIZE = 50;

const TIER_REASONS: Record<string, string> = {
  order: "order",
  refund: "refund",
  cancellation: "cancelled order",
  schedule: "daily recompute",
  "tiers-changed": "tiers edited",
};

function notFound(): never {
  throw new Response("Customer not found", { status: 404 });
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const customer = params.id ? await getCustomer(db, shop.id, params.id) : null;
  if (!customer) notFound();

  const total = await countEntries(db, customer.id);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(pageParam(new URL(request.url).searchParams.get("page")), pageCount);
  const entries = await listEntries(db, customer.id, { page, pageSize: PAGE_SIZE });
  const [tier, moves] = await Promise.all([
    customer.tierId ? db.earningTier.findUnique({ where: { id: customer.tierId } }) : null,
    tierHistory(db, customer.id),
  ]);

  return {
    // A fresh token per render of the form: a double submit carries the same
    // one and adjusts once; after a successful save the loader issues a new one.
    requestId: crypto.randomUUID(),
    customer: {
      id: customer.id,
      name: customerName(customer),
      email: customer.redactedAt ? null : customer.email,
      shopifyLegacyId: customer.redactedAt ? null : (/\/(\d+)$/.exec(customer.shopifyId)?.[1] ?? null),
      balance: customer.balance,
      pending: customer.pendingBalance,
      birthday: customer.birthday ?? "",
      tier: tier ? { name: tier.name, multiplier: tier.multiplier, perks: tier.perks } : null,
      memberSince: customer.createdAt.toISOString(),
      redacted: Boolean(customer.redactedAt),
    },
    tierMoves: moves.map((m) => ({ id: m.id, at: m.createdAt.toISOString(), from: m.fromName, to: m.toName, reason: m.reason, basis: m.basisValue })),
    allowNegativeBalance: shop.allowNegativeBalance,
    emails: await customerEmails(db, shop.id, customer.id),
    ledger: {
      total,
      page,
      pageCount,
      entries: entries.map((e) => ({
        id: e.id,
        createdAt: e.createdAt.toISOString(),
        type: e.type,
        points: e.points,
        pendingPoints: e.pendingPoints,
        availableAt: e.availableAt?.toISOString() ?? null,
        balanceAfter: e.balanceAfter,
        sourceType: e.sourceType,
        sourceId: e.sourceId,
        actor: e.actor,
        reason: e.reason,
        details: e.details,
      })),
    },
  };
};

type AdjustField = "points" | "reason";
type ActionResult =
  | { ok: true; points: number; balance: number; duplicate: boolean }
  | { ok: false; errors: Partial<Record<AdjustField, string>> }
  | { intent: "birthday"; ok: true; birthday: string | null }
  | { intent: "birthday"; ok: false; error: string };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const customer = params.id ? await getCustomer(db, shop.id, params.id) : null;
  if (!customer) notFound();

  const form = await request.formData();
  if (form.get("intent") === "birthday") {
    const parsed = parseBirthday(String(form.get("birthday") ?? ""));
    if (!parsed.ok) return { intent: "birthday", ok: false, error: parsed.error };
    await setBirthday(db, shop.id, customer.id, parsed.value);
    return { intent: "birthday", ok: true, birthday: parsed.value };
  }
  const requestId = String(form.get("requestId") ?? "").slice(0, 100);
  try {
    const entry = await adjustPoints(db, shop, customer.id, {
      points: String(form.get("points") ?? ""),
      reason: String(form.get("reason") ?? ""),
      actor: actorOf(session),
      requestId: requestId || undefined,
    });
    return { ok: true, points: entry.points, balance: entry.balanceAfter, duplicate: false };
  } catch (error) {
    if (error instanceof AdjustmentError) return { ok: false, errors: { [error.field]: error.message } };
    // The same form token again (a double submit): the first one already adjusted.
    if (requestId && isUniqueViolation(error)) {
      const fresh = await getCustomer(db, shop.id, customer.id);
      return { ok: true, points: 0, balance: fresh?.balance ?? customer.balance, duplicate: true };
    }
    throw error;
  }
};

function AdjustmentForm({ requestId, balance, allowNegative }: { requestId: string; balance: number; allowNegative: boolean }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Partial<Record<AdjustField, string>>>({});
  const submitting = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";

  useEffect(() => {
    if (!actionData || "intent" in actionData) return;
    if (actionData.ok) {
      setPoints("");
      setReason("");
      setErrors({});
      if (!actionData.duplicate) {
        const change = actionData.points;
        shopify.toast.show(
          change >= 0 ? `Added ${formatPoints(change)} points` : `Deducted ${formatPoints(Math.abs(change))} points`,
        );
      }
    } else {
      setErrors(actionData.errors);
    }
  }, [actionData, shopify]);

  const preview = /^[+-]?\d+$/.test(points.trim()) ? Number(points.trim()) : null;
  const helpText =
    preview !== null && preview !== 0
      ? `New balance: ${formatPoints(balance + preview)}`
      : "Positive to add points, negative (e.g. -50) to deduct.";

  return (
    <Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (submitting) return;
          submit({ points, reason, requestId }, { method: "post", preventScrollReset: true });
        }}
      >
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Adjust points
          </Text>
          {!allowNegative && (
            <Text as="p" tone="subdued">
              Balances can&apos;t go below zero, so you can deduct at most {formatPoints(Math.max(balance, 0))} points.
            </Text>
          )}
          <FormLayout>
            <TextField
              label="Points"
              name="points"
              type="integer"
              value={points}
              onChange={(value) => {
                setPoints(value);
                if (errors.points) setErrors((e) => ({ ...e, points: undefined }));
              }}
              error={errors.points}
              helpText={helpText}
              autoComplete="off"
              requiredIndicator
            />
            <TextField
              label="Reason"
              name="reason"
              value={reason}
              onChange={(value) => {
                setReason(value);
                if (errors.reason) setErrors((e) => ({ ...e, reason: undefined }));
              }}
              error={errors.reason}
              helpText="Shown in the customer's points history."
              maxLength={500}
              autoComplete="off"
              requiredIndicator
              multiline={2}
            />
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={submitting} disabled={submitting}>
              Save adjustment
            </Button>
          </InlineStack>
        </BlockStack>
      </form>
    </Card>
  );
}

function BirthdayForm({ birthday, disabled }: { birthday: string; disabled: boolean }) {
  const actionData = useActionData<typeof action>();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [value, setValue] = useState(birthday);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!actionData || !("intent" in actionData)) return;
    if (actionData.ok) {
      setError(undefined);
      setValue(actionData.birthday ?? "");
      shopify.toast.show(actionData.birthday ? "Birthday saved" : "Birthday removed");
    } else setError(actionData.error);
  }, [actionData, shopify]);
  return (
    <Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit({ intent: "birthday", birthday: value }, { method: "post", preventScrollReset: true });
        }}
      >
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Birthday
          </Text>
          <TextField
            label="Birthday"
            labelHidden
            value={value}
            onChange={(v) => {
              setValue(v);
              setError(undefined);
            }}
            placeholder="MM-DD"
            helpText="Month and day (e.g. 07-14); the year is not kept. Used for the birthday bonus when it is on."
            error={error}
            disabled={disabled}
            autoComplete="off"
          />
          <InlineStack align="end">
            <Button submit disabled={disabled}>
              Save birthday
            </Button>
          </InlineStack>
        </BlockStack>
      </form>
    </Card>
  );
}

export default function CustomerPage() {
  const { requestId, customer, ledger, allowNegativeBalance, tierMoves, emails } = useLoaderData<typeof loader>();
  const pageUrl = (n: number) => `/app/customers/${customer.id}${n > 1 ? `?page=${n}` : ""}`;

  return (
    <Page
      title={customer.name}
      subtitle={customer.email ?? undefined}
      backAction={{ content: "Customers", url: "/app/customers" }}
      secondaryActions={
        customer.shopifyLegacyId
          ? [{ content: "View in Shopify", url: `shopify://admin/customers/${customer.shopifyLegacyId}`, target: "_top" }]
          : undefined
      }
    >
      <Layout>
        {customer.redacted && (
          <Layout.Section>
            <Banner tone="info" title="Personal data erased">
              <p>
                This customer&apos;s personal data was erased at the store&apos;s request. Their points history is kept
                so that the program&apos;s totals stay correct.
              </p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <InlineGrid columns={{ xs: 1, sm: 5 }} gap="400">
              <BlockStack gap="100">
                <Text as="p" tone="subdued">
                  Spendable points
                </Text>
                <Text as="p" variant="headingXl" tone={customer.balance < 0 ? "critical" : undefined}>
                  {formatPoints(customer.balance)}
                </Text>
              </BlockStack>
              <BlockStack gap="100">
                <Text as="p" tone="subdued">
                  Pending
                </Text>
                <Text as="p" variant="headingXl" tone="subdued">
                  {formatPoints(customer.pending)}
                </Text>
              </BlockStack>
              <BlockStack gap="100">
                <Text as="p" tone="subdued">
                  Tier
                </Text>
                {customer.tier ? (
                  <BlockStack gap="050">
                    <InlineStack gap="100">
                      <Badge tone="info">{customer.tier.name}</Badge>
                      <Text as="span" tone="subdued">
                        × {customer.tier.multiplier}
                      </Text>
                    </InlineStack>
                    {customer.tier.perks && (
                      <Text as="p" variant="bodySm" tone="subdued">
                        {customer.tier.perks}
                      </Text>
                    )}
                  </BlockStack>
                ) : (
                  <Text as="p" variant="headingSm">
                    —
                  </Text>
                )}
              </BlockStack>
              <BlockStack gap="100">
                <Text as="p" tone="subdued">
                  Email
                </Text>
                <Text as="p" variant="headingSm" breakWord>
                  {customer.email ?? "—"}
                </Text>
              </BlockStack>
              <BlockStack gap="100">
                <Text as="p" tone="subdued">
                  Member since
                </Text>
                <Text as="p" variant="headingSm">
                  {formatDate(customer.memberSince)}
                </Text>
              </BlockStack>
            </InlineGrid>
          </Card>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <AdjustmentForm requestId={requestId} balance={customer.balance} allowNegative={allowNegativeBalance} />
            <BirthdayForm birthday={customer.birthday} disabled={customer.redacted} />
            {!customer.redacted && <IssueRewardCard customerId={customer.id} />}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Tier history
              </Text>
              {tierMoves.length === 0 ? (
                <Text as="p" tone="subdued">
                  No tier changes yet. Customers move between tiers as orders, refunds and (for rolling windows) time pass.
                </Text>
              ) : (
                <BlockStack gap="100">
                  {tierMoves.map((m) => (
                    <InlineStack key={m.id} gap="200" blockAlign="center">
                      <Text as="span" tone="subdued">
                        {formatDateTime(m.at)}
                      </Text>
                      <Text as="span">
                        {m.from ?? "No tier"} → <strong>{m.to ?? "No tier"}</strong>
                      </Text>
                      <Text as="span" tone="subdued">
                        ({TIER_REASONS[m.reason] ?? m.reason}; {m.basis})
                      </Text>
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="fullWidth">
          <Card padding="0">
            <BlockStack>
              <Box padding="400">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Points history
                  </Text>
                  <Text as="span" tone="subdued">
                    {ledger.total.toLocaleString("en-US")} {ledger.total === 1 ? "entry" : "entries"}
                  </Text>
                </InlineStack>
              </Box>
              <IndexTable
                resourceName={{ singular: "entry", plural: "entries" }}
                itemCount={ledger.entries.length}
                selectable={false}
                emptyState={
                  <Box padding="400">
                    <Text as="p" tone="subdued">
                      No points yet. Points appear here when this customer&apos;s paid orders arrive, or when you adjust
                      them.
                    </Text>
                  </Box>
                }
                headings={[
                  { title: "Date" },
                  { title: "Type" },
                  { title: "Points", alignment: "end" },
                  { title: "Balance after", alignment: "end" },
                  { title: "Source" },
                  { title: "Reason" },
                ]}
              >
                {ledger.entries.map((entry, index) => {
                  const badge = entryTypeBadge(entry.type);
                  const source = describeSource(entry.sourceType, entry.sourceId, entry.actor);
                  const clamp = clampOf(entry.details);
                  return (
                    <IndexTable.Row id={entry.id} key={entry.id} position={index}>
                      <IndexTable.Cell>{formatDateTime(entry.createdAt)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Badge tone={badge.tone}>{badge.label}</Badge>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <BlockStack gap="050" inlineAlign="end">
                          <Text as="span" alignment="end" numeric tone={entry.points < 0 ? "critical" : "success"}>
                            {formatPointsChange(entry.points)}
                          </Text>
                          {entry.pendingPoints !== 0 && (
                            <Text as="span" alignment="end" numeric variant="bodySm" tone="subdued">
                              {formatPointsChange(entry.pendingPoints)} pending
                              {entry.availableAt && entry.pendingPoints > 0 ? ` until ${formatDate(entry.availableAt)}` : ""}
                            </Text>
                          )}
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {formatPoints(entry.balanceAfter)}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        {source.url ? (
                          <Link url={source.url} target="_top">
                            {source.label}
                          </Link>
                        ) : (
                          source.label
                        )}
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <div style={{ whiteSpace: "normal", maxWidth: "22rem" }}>
                          <BlockStack gap="100">
                            {entry.reason && <Text as="span">{entry.reason}</Text>}
                            {clamp && (
                              <Text as="span" tone="caution" variant="bodySm">
                                {clampNote(clamp)}
                              </Text>
                            )}
                            {!entry.reason && !clamp && (
                              <Text as="span" tone="subdued">
                                —
                              </Text>
                            )}
                          </BlockStack>
                        </div>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  );
                })}
              </IndexTable>
              {ledger.pageCount > 1 && (
                <Box padding="300" borderBlockStartWidth="025" borderColor="border">
                  <InlineStack align="center">
                    <Pagination
                      hasPrevious={ledger.page > 1}
                      previousURL={ledger.page > 1 ? pageUrl(ledger.page - 1) : undefined}
                      hasNext={ledger.page < ledger.pageCount}
                      nextURL={ledger.page < ledger.pageCount ? pageUrl(ledger.page + 1) : undefined}
                      label={`Page ${ledger.page} of ${ledger.pageCount}`}
                    />
                  </InlineStack>
                </Box>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section variant="fullWidth">
          <CustomerEmails customerId={customer.id} emails={emails.emails} total={emails.total} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
