import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, InlineGrid, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { Bars, ScoreChart } from "../components/ScoreChart";
import db from "../db.server";
import { getSatisfactionSettings, latestComments, satisfactionReport } from "../models/satisfaction.server";
import { shopForSession } from "../models/shop.server";
import { formatDate, legacyId } from "../services/loyalty/display";
import { SCALE_RANGE } from "../services/satisfaction/settings";
import { authenticate } from "../shopify.server";

const PERIODS = [
  { label: "Last 7 days", value: "7" },
  { label: "Last 30 days", value: "30" },
  { label: "Last 90 days", value: "90" },
  { label: "Last 12 months", value: "365" },
];
const EMPTY_STATE_IMAGE = "https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const raw = new URL(request.url).searchParams.get("days") ?? "30";
  const days = PERIODS.some((p) => p.value === raw) ? Number(raw) : 30;
  const to = new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const settings = await getSatisfactionSettings(db, shop.id);
  const [report, comments, open] = await Promise.all([
    satisfactionReport(db, shop.id, settings.scale, { from, to }),
    latestComments(db, shop.id, 10),
    db.inboxItem.count({ where: { shopId: shop.id, status: "open" } }),
  ]);
  return {
    days: String(days),
    surveyEnabled: settings.surveyEnabled,
    report,
    openFollowUps: open,
    comments: comments.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
  };
};

const scoreText = (scale: "csat" | "nps", score: number | null) => (score === null ? "—" : scale === "csat" ? `${score}%` : String(score));

export default function Satisfaction() {
  const { days, surveyEnabled, report, comments, openFollowUps } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const max = SCALE_RANGE[report.scale].max;
  const scoreName = report.scale === "nps" ? "NPS" : "CSAT";

  return (
    <Page
      title="Satisfaction"
      primaryAction={{ content: "Survey settings", url: "/app/satisfaction/settings" }}
      secondaryActions={[{ content: `Inbox (${openFollowUps} open)`, url: "/app/inbox" }]}
    >
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="p" tone="subdued">
            {surveyEnabled ? `Answers from the survey block and email links, on the ${scoreName} scale.` : "The survey is switched off in Survey settings."}
          </Text>
          <div style={{ minWidth: 180 }}>
            <Select label="Period" labelInline options={PERIODS} value={days} onChange={(value) => navigate(`?days=${value}`)} />
          </div>
        </InlineStack>
        {report.responses === 0 ? (
          <Card>
            <EmptyState heading="No survey answers in this period" image={EMPTY_STATE_IMAGE} action={{ content: "Set up the survey", url: "/app/satisfaction/settings" }}>
              <p>
                Add the Encore survey block to your thank-you and order status pages in the checkout editor. Answers, scores by product and
                follow-ups appear here.
              </p>
            </EmptyState>
          </Card>
        ) : (
          <Layout>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
                <Card>
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingSm">
                      {scoreName}
                    </Text>
                    <Text as="p" variant="heading2xl">
                      {scoreText(report.scale, report.score)}
                    </Text>
                    <Text as="p" tone="subdued">
                      {report.scale === "nps" ? "Promoters (9–10) minus detractors (0–6)" : "Share of answers scoring 4 or 5"}
                    </Text>
                  </BlockStack>
                </Card>
                <Card>
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingSm">
                      Answers
                    </Text>
                    <Text as="p" variant="heading2xl">
                      {report.responses.toLocaleString("en-US")}
                    </Text>
                    <Text as="p" tone="subdued">
                      In the period
                    </Text>
                  </BlockStack>
                </Card>
                <Card>
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingSm">
                      Response rate
                    </Text>
                    <Text as="p" variant="heading2xl">
                      {report.responseRate === null ? "—" : `${report.responseRate}%`}
                    </Text>
                    <Text as="p" tone="subdued">
                      Of {report.orders.toLocaleString("en-US")} orders placed in the period
                    </Text>
                  </BlockStack>
                </Card>
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {scoreName} over time
                  </Text>
                  <ScoreChart points={report.overTime} scale={report.scale} label={`${scoreName} over time`} />
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Scores
                  </Text>
                  <Bars rows={[...report.distribution].reverse().map((d) => ({ label: `${d.score} of ${max}`, count: d.count }))} label="Score distribution" />
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    How did you hear about us?
                  </Text>
                  {report.sources.length ? (
                    <Bars rows={report.sources.map((s) => ({ label: s.answer, count: s.count }))} label="How customers heard about the shop" />
                  ) : (
                    <Text as="p" tone="subdued">
                      No answers yet. Turn on the second question in Survey settings to ask it.
                    </Text>
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <Card padding="0">
                <BlockStack>
                  <div style={{ padding: "16px 16px 8px" }}>
                    <Text as="h2" variant="headingMd">
                      Score by product
                    </Text>
                  </div>
                  <IndexTable
                    resourceName={{ singular: "product", plural: "products" }}
                    itemCount={report.products.length}
                    selectable={false}
                    emptyState={
                      <div style={{ padding: 16 }}>
                        <Text as="p" tone="subdued">
                          No product scores yet: the survey block sends the order&apos;s products with each answer.
                        </Text>
                      </div>
                    }
                    headings={[{ title: "Product" }, { title: "Answers", alignment: "end" }, { title: "Average", alignment: "end" }, { title: scoreName, alignment: "end" }]}
                  >
                    {report.products.slice(0, 25).map((p, i) => (
                      <IndexTable.Row id={p.productId} key={p.productId} position={i}>
                        <IndexTable.Cell>{p.title}</IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" alignment="end" numeric>
                            {p.responses}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" alignment="end" numeric>
                            {p.average} / {max}
                          </Text>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <Text as="span" alignment="end" numeric>
                            {scoreText(report.scale, p.score)}
                          </Text>
                        </IndexTable.Cell>
                      </IndexTable.Row>
                    ))}
                  </IndexTable>
                </BlockStack>
              </Card>
            </Layout.Section>
          </Layout>
        )}
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Latest comments
            </Text>
            {comments.length === 0 ? (
              <Text as="p" tone="subdued">
                No comments yet.
              </Text>
            ) : (
              comments.map((c) => (
                <BlockStack key={c.id} gap="100">
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone={c.score <= (c.scale === "nps" ? 6 : 2) ? "critical" : c.score >= (c.scale === "nps" ? 9 : 4) ? "success" : undefined}>
                      {`${c.score} / ${SCALE_RANGE[c.scale === "nps" ? "nps" : "csat"].max}`}
                    </Badge>
                    <Text as="span" tone="subdued">
                      Order {c.orderName ?? `#${legacyId(c.orderId)}`} · {formatDate(c.createdAt)}
                    </Text>
                  </InlineStack>
                  <Text as="p">{c.comment}</Text>
                </BlockStack>
              ))
            )}
            <RemixLink to="/app/inbox?filter=low_score">See low scores in the inbox</RemixLink>
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
