import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Page, Pagination, Tabs, Text } from "@shopify/polaris";
import db from "../db.server";
import { shopForSession } from "../models/shop.server";
import { formatDateTime, pageParam } from "../services/loyalty/display";
import { INBOX_FILTERS, listInbox, type InboxFilter } from "../services/satisfaction/inbox.server";
import { authenticate } from "../shopify.server";

const PAGE_SIZE = 25;
const TABS: { id: InboxFilter; content: string }[] = [
  { id: "open", content: "Open" },
  { id: "low_score", content: "Low scores" },
  { id: "return_request", content: "Return requests" },
  { id: "resolved", content: "Resolved" },
  { id: "all", content: "All" },
];
const EMPTY_STATE_IMAGE = "https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const params = new URL(request.url).searchParams;
  const raw = params.get("filter") as InboxFilter;
  const filter = INBOX_FILTERS.includes(raw) ? raw : "open";
  const result = await listInbox(db, shop.id, filter, { page: pageParam(params.get("page")), pageSize: PAGE_SIZE });
  return {
    filter,
    page: result.page,
    pageCount: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    open: result.open,
    items: result.items.map((i) => ({
      id: i.id,
      kind: i.kind,
      status: i.status,
      summary: i.summary,
      orderName: i.orderName,
      customer: i.customerName ?? i.customerEmail ?? "Guest",
      createdAt: i.createdAt.toISOString(),
    })),
  };
};

export default function Inbox() {
  const { filter, page, pageCount, open, items } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const selected = TABS.findIndex((t) => t.id === filter);
  return (
    <Page title="Inbox" subtitle={`${open} open`} backAction={{ content: "Satisfaction", url: "/app/satisfaction" }}>
      <Card padding="0">
        <Tabs tabs={TABS.map((t) => ({ ...t, panelID: `inbox-${t.id}` }))} selected={selected} onSelect={(i) => navigate(`?filter=${TABS[i].id}`)}>
          <IndexTable
            resourceName={{ singular: "item", plural: "items" }}
            itemCount={items.length}
            selectable={false}
            emptyState={
              <EmptyState heading={filter === "open" ? "Nothing needs your attention" : "No items here"} image={EMPTY_STATE_IMAGE}>
                <p>Low survey scores and customers&apos; refund and exchange requests appear here for you to follow up.</p>
              </EmptyState>
            }
            headings={[{ title: "Received" }, { title: "Type" }, { title: "Customer" }, { title: "Summary" }, { title: "Status" }]}
          >
            {items.map((item, index) => (
              <IndexTable.Row id={item.id} key={item.id} position={index} onClick={() => navigate(`/app/inbox/${item.id}`)}>
                <IndexTable.Cell>{formatDateTime(item.createdAt)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={item.kind === "low_score" ? "critical" : "attention"}>{item.kind === "low_score" ? "Low score" : "Return request"}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{item.customer}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" truncate>
                    {item.summary}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={item.status === "open" ? "warning" : "success"}>{item.status === "open" ? "Open" : "Resolved"}</Badge>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Tabs>
        {pageCount > 1 && (
          <div style={{ display: "flex", justifyContent: "center", padding: 12 }}>
            <Pagination
              hasPrevious={page > 1}
              hasNext={page < pageCount}
              onPrevious={() => navigate(`?filter=${filter}&page=${page - 1}`)}
              onNext={() => navigate(`?filter=${filter}&page=${page + 1}`)}
              label={`Page ${page} of ${pageCount}`}
            />
          </div>
        )}
      </Card>
    </Page>
  );
}
