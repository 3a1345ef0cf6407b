import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { listDataRequests } from "../models/data-request.server";
import { settingsOf, updateSettings, shopForSession } from "../models/shop.server";
import { formatDateTime, legacyId, oneUnitOf } from "../services/loyalty/display";
import {
  MAX_EARN_RATE,
  ROUNDING_LABELS,
  isRounding,
  previewPoints,
  validateSettings,
  type SettingsErrors,
  type SettingsValue,
} from "../services/loyalty/settings";
import { ROUNDINGS, formatMoney, type Rounding } from "../services/money";
import { authenticate } from "../shopify.server";

const EXAMPLE_AMOUNT = "49.99";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const requests = await listDataRequests(db, shop.id);
  return {
    currencyCode: shop.currencyCode,
    settings: settingsOf(shop),
    dataRequests: requests.map((r) => ({
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      email: r.email,
      customerId: legacyId(r.customerShopifyId) ?? r.customerShopifyId,
      shopifyRequestId: r.shopifyRequestId,
    })),
  };
};

type ActionResult = { ok: true; settings: SettingsValue } | { ok: false; errors: SettingsErrors };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const result = validateSettings(await request.formData());
  if (!result.ok) return { ok: false, errors: result.errors };
  await updateSettings(db, shop.id, result.value);
  return { ok: true, settings: result.value };
};

const ROUNDING_OPTIONS = ROUNDINGS.map((value) => ({ value, label: ROUNDING_LABELS[value] }));

function ProgramSettingsForm() {
  const { currencyCode, settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();

  const [earnRate, setEarnRate] = useState(settings.earnRate);
  const [earnRounding, setEarnRounding] = useState<Rounding>(settings.earnRounding);
  const [allowNegativeBalance, setAllowNegativeBalance] = useState(settings.allowNegativeBalance);
  const [errors, setErrors] = useState<SettingsErrors>({});
  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";

  useEffect(() => {
    if (!actionData) return;
    if (actionData.ok) {
      setErrors({});
      setEarnRate(actionData.settings.earnRate);
      shopify.toast.show("Settings saved");
    } else {
      setErrors(actionData.errors);
    }
  }, [actionData, shopify]);

  const dirty =
    earnRate.trim() !== settings.earnRate ||
    earnRounding !== settings.earnRounding ||
    allowNegativeBalance !== settings.allowNegativeBalance;

  const example = previewPoints(earnRate, earnRounding, EXAMPLE_AMOUNT);
  const errorList = Object.values(errors).filter(Boolean);

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (saving) return;
        submit(
          { earnRate, earnRounding, allowNegativeBalance: allowNegativeBalance ? "true" : "false" },
          { method: "post", preventScrollReset: true },
        );
      }}
    >
      <BlockStack gap="400">
        {errorList.length > 0 && (
          <Banner tone="critical" title="The settings were not saved">
            <p>Fix the highlighted {errorList.length === 1 ? "field" : "fields"} and save again.</p>
          </Banner>
        )}
        <Card>
          <BlockStack gap="400">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                Earning
              </Text>
              <Text as="p" tone="subdued">
                Customers earn points on the merchandise they pay for, after discounts. Shipping, taxes, tips and gift
                cards don&apos;t earn points. Changes apply to orders that arrive from now on.
              </Text>
            </BlockStack>
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  label="Earning rate"
                  name="earnRate"
                  type="text"
                  inputMode="decimal"
                  value={earnRate}
                  onChange={(value) => {
                    setEarnRate(value);
                    if (errors.earnRate) setErrors((e) => ({ ...e, earnRate: undefined }));
                  }}
                  suffix={`points per ${oneUnitOf(currencyCode)}`}
                  helpText={`From 0 to ${MAX_EARN_RATE.toLocaleString("en-US")}, up to 4 decimal places. 0 pauses earning.`}
                  error={errors.earnRate}
                  autoComplete="off"
                  requiredIndicator
                />
                <Select
                  label="Rounding"
                  name="earnRounding"
                  options={ROUNDING_OPTIONS}
                  value={earnRounding}
                  onChange={(value) => {
                    if (isRounding(value)) setEarnRounding(value);
                    if (errors.earnRounding) setErrors((e) => ({ ...e, earnRounding: undefined }));
                  }}
                  helpText="Applied once to each order's total points."
                  error={errors.earnRounding}
                />
              </FormLayout.Group>
            </FormLayout>
            <Box background="bg-surface-secondary" padding="300" borderRadius="200">
              <Text as="p">
                {example === null ? (
                  <Text as="span" tone="subdued">
                    Enter a valid earning rate to see an example.
                  </Text>
                ) : (
                  <>
                    An order with {formatMoney(EXAMPLE_AMOUNT, currencyCode)} of merchandise earns{" "}
                    <Text as="span" fontWeight="semibold">
                      {example.toLocaleString("en-US")} {example === 1 ? "point" : "points"}
                    </Text>
                    .
                  </>
                )}
              </Text>
            </Box>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="400">
            <Text as="h2" variant="headingMd">
              Balances
            </Text>
            <Checkbox
              label="Allow negative balances"
              name="allowNegativeBalance"
              checked={allowNegativeBalance}
              onChange={(checked) => {
                setAllowNegativeBalance(checked);
                if (errors.allowNegativeBalance) setErrors((e) => ({ ...e, allowNegativeBalance: undefined }));
              }}
              error={errors.allowNegativeBalance}
              helpText={
                allowNegativeBalance
                  ? "On: when a refund or cancellation takes back more points than the customer has left (because they already spent them), the balance goes below zero and future orders pay it back first."
                  : "Off: when a refund or cancellation would take the balance below zero, Encore takes only what is left, and the shortfall is recorded on the customer's history entry."
              }
            />
          </BlockStack>
        </Card>
        <InlineStack align="end">
          <Button submit variant="primary" loading={saving} disabled={!dirty || saving}>
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </form>
  );
}

function DataRequests() {
  const { dataRequests } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const [downloading, setDownloading] = useState<string | null>(null);

  // A plain link would navigate the embedded frame without the session token;
  // fetch (which App Bridge authenticates) and hand the file to the browser.
  const download = async (id: string) => {
    setDownloading(id);
    try {
      const response = await fetch(`/app/data-requests/${encodeURIComponent(id)}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = `encore-data-request-${id}.json`;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      shopify.toast.show("The export could not be downloaded. Try again.", { isError: true });
    } finally {
      setDownloading(null);
    }
  };

  return (
    <Card padding="0">
      <BlockStack>
        <Box padding="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Privacy requests
            </Text>
            <Text as="p" tone="subdued">
              When a customer asks your store for their data, Shopify sends Encore a request and the customer&apos;s
              points data is prepared here. Download it and send it to the customer.
            </Text>
          </BlockStack>
        </Box>
        <IndexTable
          resourceName={{ singular: "data request", plural: "data requests" }}
          itemCount={dataRequests.length}
          selectable={false}
          emptyState={
            <Box paddingInline="400" paddingBlockEnd="400">
              <Text as="p" tone="subdued">
                No data requests yet.
              </Text>
            </Box>
          }
          headings={[{ title: "Received" }, { title: "Customer" }, { title: "Request" }, { title: "Export", alignment: "end" }]}
        >
          {dataRequests.map((r, index) => (
            <IndexTable.Row id={r.id} key={r.id} position={index}>
              <IndexTable.Cell>{formatDateTime(r.createdAt)}</IndexTable.Cell>
              <IndexTable.Cell>{r.email ?? `Customer ${r.customerId}`}</IndexTable.Cell>
              <IndexTable.Cell>{r.shopifyRequestId ?? "—"}</IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack align="end">
                  <Button
                    size="slim"
                    onClick={() => download(r.id)}
                    loading={downloading === r.id}
                    accessibilityLabel={`Download the export for ${r.email ?? `customer ${r.customerId}`}`}
                  >
                    Download JSON
                  </Button>
                </InlineStack>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </BlockStack>
    </Card>
  );
}

export default function Settings() {
  return (
    <Page title="Settings" backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        <Layout.AnnotatedSection
          title="Loyalty program"
          description="How many points customers earn, and what happens when a refund takes back points already spent."
        >
          <ProgramSettingsForm />
        </Layout.AnnotatedSection>
        <Layout.Section>
          <DataRequests />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
