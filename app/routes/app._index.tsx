// Home: the results dashboard — what post-purchase engagement earned the
// merchant in a period, compared with the one before. Figures are assembled
// by app/services/results/dashboard.server.ts.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Select,
  Text,
} from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useState } from "react";
import { downloadCsv } from "../components/csv-download";
import { ResultsChart } from "../components/ResultsChart";
import db from "../db.server";
import { recentActivity } from "../models/ledger.server";
import { settingsOf, shopForSession } from "../models/shop.server";
import { customerName, entryTypeBadge, formatDateTime, formatPoints, formatPointsChange, rateSummary } from "../services/loyalty/display";
import { formatMoney } from "../services/money";
import type { Figure, Table } from "../services/results/dashboard.server";
import { buildDashboard } from "../services/results/dashboard.server";
import { PERIODS, parsePeriodKey } from "../services/results/period";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const period = parsePeriodKey(new URL(request.url).searchParams.get("period"));
  const [dashboard, activity] = await Promise.all([buildDashboard(db, shop, period), recentActivity(db, shop.id, 8)]);
  return {
    dashboard,
    settings: settingsOf(shop),
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

// Figures where a fall is the good direction would be listed here; none yet.
function ChangeBadge({ figure }: { figure: Figure }) {
  const c = figure.change;
  if (!c) return null;
  if (c.percent === null) return <Badge tone="info">New</Badge>;
  if (c.direction === "flat") return <Badge>No change</Badge>;
  const arrow = c.direction === "up" ? "↑" : "↓";
  return <Badge tone={c.direction === "up" ? "success" : "critical"}>{`${arrow} ${Math.abs(c.percent)}%`}</Badge>;
}

function formatFigure(figure: Figure, currencyCode: string): string {
  switch (figure.format) {
    case "money":
      return formatMoney(String(figure.value), currencyCode);
    case "percent":
      return `${figure.value}%`;
    default:
      return formatPoints(Number(figure.value));
  }
}

function FigureCard({ figure, currencyCode }: { figure: Figure; currencyCode: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm" tone="subdued">
          {figure.label}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <Text as="p" variant="heading2xl">
            {formatFigure(figure, currencyCode)}
          </Text>
          <ChangeBadge figure={figure} />
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {figure.help}
        </Text>
      </BlockStack>
    </Card>
  );
}

function TableCard({ table, period }: { table: Table; period: string }) {
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pageSize = 10;
  const [page, setPage] = useState(0);
  const rows = table.rows.slice(page * pageSize, (page + 1) * pageSize);
  const exportCsv = async () => {
    setExporting(true);
    setError(null);
    try {
      await downloadCsv(`/app/results/export?table=${table.id}&period=${period}`, `encore-${table.id}-${period}.csv`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setExporting(false);
    }
  };
  return (
    <Card padding="0">
      <Box padding="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {table.title}
          </Text>
          <Button onClick={exportCsv} loading={exporting} accessibilityLabel={`Export ${table.title} as CSV`}>
            Export CSV
          </Button>
        </InlineStack>
        {error ? (
          <Text as="p" tone="critical">
            {error}
          </Text>
        ) : null}
      </Box>
      <DataTable
        columnContentTypes={table.columns.map((c) => (c.numeric ? "numeric" : "text"))}
        headings={table.columns.map((c) => c.label)}
        rows={rows.map((row) => table.columns.map((c) => row[c.key] ?? ""))}
        footerContent={
          table.rows.length > pageSize
            ? `Showing ${page * pageSize + 1}–${Math.min((page + 1) * pageSize, table.rows.length)} of ${table.rows.length}`
            : undefined
        }
        pagination={
          table.rows.length > pageSize
            ? {
                hasPrevious: page > 0,
                onPrevious: () => setPage(page - 1),
                hasNext: (page + 1) * pageSize < table.rows.length,
                onNext: () => setPage(page + 1),
              }
            : undefined
        }
      />
    </Card>
  );
}

export default function Results() {
  const { dashboard, settings, activity } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const { currencyCode } = dashboard;
  const paused = Number(settings.earnRate) === 0;

  return (
    <Page
      title="Results"
      subtitle="What post-purchase engagement earned your store"
      primaryAction={
        <div style={{ minWidth: 180 }}>
          <Select
            label="Period"
            labelInline
            options={Object.entries(PERIODS).map(([value, p]) => ({ value, label: p.label }))}
            value={dashboard.period.key}
            onChange={(value) => navigate(`?period=${value}`)}
            disabled={navigation.state === "loading"}
          />
        </div>
      }
    >
      <Layout>
        {!dashboard.hasData ? (
          <Layout.Section>
            <Card>
              <EmptyState heading="Your results will appear here" action={{ content: "Review program settings", url: "/app/settings" }} image="/empty-results.svg">
                <p>
                  Customers join the loyalty program automatically with their first paid order. As orders arrive, this page
                  shows your repeat-purchase rate, members, and the points they earn and spend, compared with the period
                  before.
                </p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                {dashboard.headline.map((figure) => (
                  <FigureCard key={figure.id} figure={figure} currencyCode={currencyCode} />
                ))}
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                {dashboard.charts.map((chart) => (
                  <Card key={chart.id}>
                    <BlockStack gap="300">
                      <Text as="h2" variant="headingMd">
                        {chart.title}
                      </Text>
                      <ResultsChart series={chart.series} />
                    </BlockStack>
                  </Card>
                ))}
              </InlineGrid>
            </Layout.Section>
            {dashboard.sections.map((section) => (
              <Layout.Section key={section.id}>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingLg">
                    {section.title}
                  </Text>
                  <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                    {section.figures.map((figure) => (
                      <FigureCard key={figure.id} figure={figure} currencyCode={currencyCode} />
                    ))}
                  </InlineGrid>
                  {section.charts.map((chart) => (
                    <Card key={chart.id}>
                      <BlockStack gap="300">
                        <Text as="h3" variant="headingMd">
                          {chart.title}
                        </Text>
                        <ResultsChart series={chart.series} />
                      </BlockStack>
                    </Card>
                  ))}
                  {section.tables.map((table) => (
                    <TableCard key={table.id} table={table} period={dashboard.period.key} />
                  ))}
                </BlockStack>
              </Layout.Section>
            ))}
            {dashboard.tables.map((table) => (
              <Layout.Section key={table.id}>
                <TableCard table={table} period={dashboard.period.key} />
              </Layout.Section>
            ))}
          </>
        )}

        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Program
                </Text>
                {paused ? <Badge tone="attention">Earning paused</Badge> : <Badge tone="success">Earning</Badge>}
              </InlineStack>
              <Text as="p">{paused ? "No points are awarded (rate 0)." : rateSummary(settings.earnRate, currencyCode)}</Text>
              <Text as="p" tone="subdued">
                Points are earned on merchandise after discounts, excluding shipping, taxes, tips and gift cards.
              </Text>
              <Link url="/app/settings">Change settings</Link>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
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
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
