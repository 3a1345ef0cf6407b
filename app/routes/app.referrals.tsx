// Referrals: how the program performs, recent friends, and its settings.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Card, Checkbox, FormLayout, IndexTable, InlineGrid, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { getReferralSettings, recentReferrals, referralStats, saveReferralSettings } from "../models/referral.server";
import { shopForSession } from "../models/shop.server";
import { formatDateTime, formatPoints } from "../services/loyalty/display";
import { validateReferralSettings, type ReferralErrors } from "../services/referrals/settings";
import { pendingDaysOf } from "../services/rewards/program.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const [settings, stats, recent] = await Promise.all([getReferralSettings(db, shop.id), referralStats(db, shop.id), recentReferrals(db, shop.id)]);
  const names = await db.customer.findMany({
    where: { id: { in: recent.flatMap((r) => [r.referrerId, r.friendCustomerId ?? ""]) } },
    select: { id: true, firstName: true, lastName: true, email: true },
  });
  const nameOf = (id: string | null) => {
    const c = names.find((n) => n.id === id);
    return c ? [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || "Customer" : "—";
  };
  return {
    currencyCode: shop.currencyCode,
    pendingDays: pendingDaysOf(shop),
    settings,
    stats,
    recent: recent.map((r) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      referrer: nameOf(r.referrerId),
      friend: nameOf(r.friendCustomerId),
      status: r.status,
      reason: r.rejectReason,
      points: r.pointsGranted,
      dueAt: r.dueAt?.toISOString() ?? null,
    })),
  };
};

type ActionResult = { ok: true } | { ok: false; errors: ReferralErrors };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const form = await request.formData();
  const f = (k: string) => String(form.get(k) ?? "");
  const result = validateReferralSettings({
    enabled: f("enabled"),
    friendDiscountKind: f("friendDiscountKind"),
    friendDiscountValue: f("friendDiscountValue"),
    friendMinimumSubtotal: f("friendMinimumSubtotal"),
    friendCodeExpiryDays: f("friendCodeExpiryDays"),
    referrerPoints: f("referrerPoints"),
  });
  if (!result.ok) return result;
  await saveReferralSettings(db, shop.id, result.settings);
  return { ok: true };
};

const STATUS_BADGES: Record<string, { tone?: "success" | "attention" | "critical"; label: string }> = {
  ordered: { tone: "attention", label: "Waiting" },
  completed: { tone: "success", label: "Rewarded" },
  rejected: { tone: "critical", label: "Refused" },
};

export default function ReferralsPage() {
  const { settings, stats, recent, currencyCode, pendingDays } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [values, setValues] = useState({
    enabled: settings.enabled,
    friendDiscountKind: settings.friendDiscountKind,
    friendDiscountValue: settings.friendDiscountValue,
    friendMinimumSubtotal: settings.friendMinimumSubtotal ?? "",
    friendCodeExpiryDays: String(settings.friendCodeExpiryDays),
    referrerPoints: String(settings.referrerPoints),
  });
  const [errors, setErrors] = useState<ReferralErrors>({});
  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";

  useEffect(() => {
    if (!actionData) return;
    if (actionData.ok) shopify.toast.show("Referral settings saved");
    else setErrors(actionData.errors);
  }, [actionData, shopify]);

  const set = (key: keyof typeof values) => (value: string | boolean) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };
  const save = () => {
    const check = validateReferralSettings({ ...values, enabled: String(values.enabled) });
    if (!check.ok) return setErrors(check.errors);
    submit({ ...values, enabled: String(values.enabled) }, { method: "post" });
  };

  const figures = [
    ["Link clicks", stats.clicks],
    ["Sign-ups (first orders)", stats.signUps],
    ["Completed", stats.completed],
    ["Points granted", stats.pointsGranted],
  ] as const;

  return (
    <Page title="Referrals" primaryAction={{ content: "Save", onAction: save, loading: saving, disabled: saving }}>
      <Layout>
        <Layout.Section>
          <Card>
            <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
              {figures.map(([label, value]) => (
                <BlockStack gap="100" key={label}>
                  <Text as="p" tone="subdued">
                    {label}
                  </Text>
                  <Text as="p" variant="headingLg">
                    {formatPoints(value)}
                  </Text>
                </BlockStack>
              ))}
            </InlineGrid>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                Settings
              </Text>
              <Checkbox
                label="Referral program on"
                helpText="Members see their referral link on their account's Rewards page."
                checked={values.enabled}
                onChange={set("enabled")}
              />
              <FormLayout>
                <FormLayout.Group>
                  <Select
                    label="Friend's discount"
                    options={[
                      { label: "Percentage off", value: "percentage_off" },
                      { label: "Amount off", value: "amount_off" },
                    ]}
                    value={values.friendDiscountKind}
                    onChange={set("friendDiscountKind")}
                    error={errors.friendDiscountKind}
                  />
                  <TextField
                    label={values.friendDiscountKind === "percentage_off" ? "Percentage" : "Amount"}
                    value={values.friendDiscountValue}
                    onChange={set("friendDiscountValue")}
                    error={errors.friendDiscountValue}
                    suffix={values.friendDiscountKind === "percentage_off" ? "%" : undefined}
                    prefix={values.friendDiscountKind === "amount_off" ? currencyCode : undefined}
                    autoComplete="off"
                  />
                </FormLayout.Group>
                <FormLayout.Group>
                  <TextField
                    label="Friend's minimum order subtotal"
                    value={values.friendMinimumSubtotal}
                    onChange={set("friendMinimumSubtotal")}
                    error={errors.friendMinimumSubtotal}
                    prefix={currencyCode}
                    helpText="Optional."
                    autoComplete="off"
                  />
                  <TextField
                    label="Friend's code valid for (days)"
                    type="integer"
                    value={values.friendCodeExpiryDays}
                    onChange={set("friendCodeExpiryDays")}
                    error={errors.friendCodeExpiryDays}
                    autoComplete="off"
                  />
                </FormLayout.Group>
                <TextField
                  label="Referrer's reward (points)"
                  type="integer"
                  value={values.referrerPoints}
                  onChange={set("referrerPoints")}
                  error={errors.referrerPoints}
                  helpText={`Granted when the friend's first order is paid${pendingDays ? ` and ${pendingDays} days have passed without a cancellation` : ""}. One reward per friend; self-referrals and repeat friends (same account, email or shipping address) earn nothing.`}
                  autoComplete="off"
                />
              </FormLayout>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <Text as="h2" variant="headingMd">
                Recent referrals
              </Text>
            </Box>
            <IndexTable
              resourceName={{ singular: "referral", plural: "referrals" }}
              itemCount={recent.length}
              selectable={false}
              emptyState={
                <Box padding="400">
                  <Text as="p" tone="subdued">
                    No referred orders yet. Turn the program on; members share their link from their account page.
                  </Text>
                </Box>
              }
              headings={[{ title: "Date" }, { title: "Referrer" }, { title: "Friend" }, { title: "Status" }, { title: "Points", alignment: "end" }]}
            >
              {recent.map((r, i) => {
                const badge = STATUS_BADGES[r.status] ?? { label: r.status };
                return (
                  <IndexTable.Row id={r.id} key={r.id} position={i}>
                    <IndexTable.Cell>{formatDateTime(r.createdAt)}</IndexTable.Cell>
                    <IndexTable.Cell>{r.referrer}</IndexTable.Cell>
                    <IndexTable.Cell>{r.friend}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <BlockStack gap="050">
                        <Badge tone={badge.tone}>{badge.label}</Badge>
                        {r.reason && (
                          <Text as="span" variant="bodySm" tone="subdued">
                            {r.reason}
                          </Text>
                        )}
                        {r.status === "ordered" && r.dueAt && (
                          <Text as="span" variant="bodySm" tone="subdued">
                            Points due {formatDateTime(r.dueAt)}
                          </Text>
                        )}
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatPoints(r.points)}
                      </Text>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
