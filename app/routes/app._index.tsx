import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import db from "../db.server";
import { programTotals, recentActivity } from "../models/ledger.server";
import { settingsOf, shopForSession } from "../models/shop.server";
import {
  customerName,
  entryTypeBadge,
  formatDateTime,
  formatPoints,
  formatPointsChange,
  rateSummary,
} from "../services/loyalty/display";
import { ROUNDING_LABELS } from "../services/loyalty/settings";
import { authenticate } from "../shopify.server";

const EMPTY_STATE_IMAGE = "https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const [totals, activity] = await Promise.all([programTotals(db, shop.id), recentActivity(db, shop.id, 10)]);
  return {
    currencyCode: shop.currencyCode,
    settings: settingsOf(shop),
    totals,
    activity: activity.map((entry) => ({
      id: entry.id,
      createdAt: entry.createdAt.toISOString(),
      type: entry.type,
      points: entry.points,
      balanceAfter: entry.balanceAfter,
      customerId: entry.customer.id,
      customerName: customerName(entry.customer),
    })),
  };
};

function Stat({ label, value, help }: { label: string; value: number; help: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {formatPoints(value)}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { currencyCode, settings, totals, activity } = useLoaderData<typeof loader>();
  const paused = Number(settings.earnRate) === 0;

  return (
    <Page title="Encore loyalty">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Program status
                </Text>
                {paused ? <Badge tone="attention">Earning paused</Badge> : <Badge tone="success">Earning</Badge>}
              </InlineStack>
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
                <BlockStack gap="100">
                  <Text as="p" tone="subdued">
                    Earning rate
                  </Text>
                  <Text as="p" variant="headingSm">
                    {paused ? "0 points (no points are awarded)" : rateSummary(settings.earnRate, currencyCode)}
                  </Text>
                </BlockStack>
                <BlockStack gap="100">
                  <Text as="p" tone="subdued">
                    Rounding
                  </Text>
                  <Text as="p" variant="headingSm">
                    {ROUNDING_LABELS[settings.earnRounding] ?? settings.earnRounding}
                  </Text>
                </BlockStack>
                <BlockStack gap="100">
                  <Text as="p" tone="subdued">
                    Negative balances
                  </Text>
                  <Text as="p" variant="headingSm">
                    {settings.allowNegativeBalance ? "Allowed" : "Not allowed"}
                  </Text>
                </BlockStack>
              </InlineGrid>
              <Text as="p" tone="subdued">
                Points are earned on merchandise after discounts, excluding shipping, taxes, tips and gift cards.{" "}
                <Link url="/app/settings">Change settings</Link>
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>

        {totals.members === 0 ? (
          <Layout.Section>
            <Card>
              <EmptyState
                heading="No members yet"
                action={{ content: "Review program settings", url: "/app/settings" }}
                image={EMPTY_STATE_IMAGE}
              >
                <p>
                  There is nothing to set up per customer: customers join automatically, and their points appear here
                  as soon as their paid orders arrive.
                </p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 2, md: 5 }} gap="400">
                <Stat label="Members" value={totals.members} help="Customers with a points account" />
                <Stat label="Points issued" value={totals.pointsIssued} help="All points ever credited" />
                <Stat label="Points redeemed" value={totals.pointsRedeemed} help="Points spent on rewards" />
                <Stat label="Outstanding" value={totals.pointsOutstanding} help="Spendable points held in balances today" />
                <Stat label="Pending" value={totals.pointsPending} help="Points inside the return window, not yet spendable" />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <Card padding="0">
                <BlockStack gap="0">
                  <Box padding="400">
                    <InlineStack align="space-between" blockAlign="center">
                      <Text as="h2" variant="headingMd">
                        Recent activity
                      </Text>
                      <Link url="/app/customers">View customers</Link>
                    </InlineStack>
                  </Box>
                  {activity.length === 0 ? (
                    <Box paddingInline="400" paddingBlockEnd="400">
                      <Text as="p" tone="subdued">
                        No points have moved yet.
                      </Text>
                    </Box>
                  ) : (
                    <DataTable
                      columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
                      headings={["Date", "Customer", "Type", "Points", "Balance after"]}
                      rows={activity.map((entry) => {
                        const badge = entryTypeBadge(entry.type);
                        return [
                          formatDateTime(entry.createdAt),
                          <Link key={entry.id} url={`/app/customers/${entry.customerId}`} removeUnderline>
                            {entry.customerName}
                          </Link>,
                          <Badge key={`${entry.id}-type`} tone={badge.tone}>
                            {badge.label}
                          </Badge>,
                          <Text key={`${entry.id}-points`} as="span" tone={entry.points < 0 ? "critical" : "success"} numeric>
                            {formatPointsChange(entry.points)}
                          </Text>,
                          formatPoints(entry.balanceAfter),
                        ];
                      })}
                    />
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}
