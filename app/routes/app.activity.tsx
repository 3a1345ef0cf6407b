import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, IndexTable, InlineStack, Link, Page, Select, Text } from "@shopify/polaris";
import db from "../db.server";
import { ENTRY_TYPES, listShopActivity, type EntryType } from "../models/ledger.server";
import { shopForSession } from "../models/shop.server";
import { ENTRY_TYPE_LABELS, customerName, describeSource, entryTypeBadge, formatDateTime, formatPoints, formatPointsChange, pageParam } from "../services/loyalty/display";
import { authenticate } from "../shopify.server";
import { PageFooter } from "../components/PageFooter";

const PAGE_SIZE = 50;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const params = new URL(request.url).searchParams;
  const typeParam = params.get("type") ?? "";
  const type = (ENTRY_TYPES as readonly string[]).includes(typeParam) ? (typeParam as EntryType) : null;
  const requested = pageParam(params.get("page"));
  let result = await listShopActivity(db, shop.id, { type, page: requested, pageSize: PAGE_SIZE });
  if (requested > result.pageCount) result = await listShopActivity(db, shop.id, { type, page: result.pageCount, pageSize: PAGE_SIZE });
  return {
    type: type ?? "",
    total: result.total,
    page: result.page,
    pageCount: result.pageCount,
    entries: result.rows.map((e) => ({
      id: e.id,
      createdAt: e.createdAt.toISOString(),
      type: e.type,
      points: e.points,
      pendingPoints: e.pendingPoints,
      balanceAfter: e.balanceAfter,
      source: describeSource(e.sourceType, e.sourceId, e.actor),
      reason: e.reason,
      customer: { id: e.customer.id, name: customerName(e.customer) },
    })),
  };
};

// The labels live in display.ts (safe for the browser); ENTRY_TYPES is server-only.
const TYPE_OPTIONS = [{ label: "All activity", value: "" }, ...Object.entries(ENTRY_TYPE_LABELS).map(([value, { label }]) => ({ label, value }))];

export default function ActivityPage() {
  const { type, total, page, pageCount, entries } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const submit = useSubmit();
  const navigation = useNavigation();
  const pageUrl = (n: number) => {
    const params = new URLSearchParams(searchParams);
    if (n > 1) params.set("page", String(n));
    else params.delete("page");
    const text = params.toString();
    return text ? `/app/activity?${text}` : "/app/activity";
  };

  return (
    <Page title="Activity" subtitle={`${total.toLocaleString("en-US")} ledger entries`}>
      <Card padding="0">
        <BlockStack>
          <Box padding="300">
            <InlineStack align="end">
              <Select
                label="Type"
                labelInline
                options={TYPE_OPTIONS}
                value={type}
                onChange={(value) => submit(value ? { type: value } : {}, { method: "get", replace: true })}
              />
            </InlineStack>
          </Box>
          <IndexTable
            resourceName={{ singular: "entry", plural: "entries" }}
            itemCount={entries.length}
            selectable={false}
            loading={navigation.state === "loading"}
            emptyState={
              <Box padding="600">
                <Text as="p" alignment="center" tone="subdued">
                  {type ? "No entries of this type yet." : "No points activity yet. Entries appear as orders, refunds, bonuses and adjustments happen."}
                </Text>
              </Box>
            }
            headings={[
              { title: "Date" },
              { title: "Customer" },
              { title: "Type" },
              { title: "Points", alignment: "end" },
              { title: "Pending", alignment: "end" },
              { title: "Balance after", alignment: "end" },
              { title: "Source" },
              { title: "Reason" },
            ]}
          >
            {entries.map((e, i) => {
              const badge = entryTypeBadge(e.type);
              return (
                <IndexTable.Row id={e.id} key={e.id} position={i}>
                  <IndexTable.Cell>{formatDateTime(e.createdAt)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Link url={`/app/customers/${e.customer.id}`} removeUnderline>
                      {e.customer.name}
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={badge.tone}>{badge.label}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric tone={e.points < 0 ? "critical" : undefined}>
                      {formatPointsChange(e.points)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric tone="subdued">
                      {e.pendingPoints ? formatPointsChange(e.pendingPoints) : "—"}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatPoints(e.balanceAfter)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{e.source.label}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ whiteSpace: "normal", maxWidth: "20rem" }}>{e.reason ?? "—"}</div>
                  </IndexTable.Cell>
                </IndexTable.Row>
              );
            })}
          </IndexTable>
          <PageFooter page={page} pageCount={pageCount} pageUrl={pageUrl} />
        </BlockStack>
      </Card>
    </Page>
  );
}
