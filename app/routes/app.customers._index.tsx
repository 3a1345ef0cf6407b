import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import db from "../db.server";
import { CUSTOMER_SORTS, listCustomers, type CustomerSort } from "../models/customer.server";
import { shopForSession } from "../models/shop.server";
import { listTiers } from "../models/tier.server";
import { customerName, formatDate, formatPoints, oneOf, pageParam } from "../services/loyalty/display";
import { authenticate } from "../shopify.server";
import { PageFooter } from "../components/PageFooter";

const PAGE_SIZE = 25;
const EMPTY_STATE_IMAGE = "https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png";

const SORT_OPTIONS: { label: string; value: CustomerSort }[] = [
  { label: "Highest balance", value: "balance-desc" },
  { label: "Lowest balance", value: "balance-asc" },
  { label: "Name (A–Z)", value: "name-asc" },
  { label: "Newest members", value: "recent" },
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const params = new URL(request.url).searchParams;
  const query = (params.get("q") ?? "").trim().slice(0, 200);
  const sort = oneOf(params.get("sort"), CUSTOMER_SORTS, "balance-desc");
  const tiers = await listTiers(db, shop.id);
  const tierParam = params.get("tier") ?? "";
  const tier = tierParam === "none" || tiers.some((t) => t.id === tierParam) ? tierParam : "";
  const requested = pageParam(params.get("page"));
  let result = await listCustomers(db, shop.id, { query, sort, tier: tier || null, page: requested, pageSize: PAGE_SIZE });
  // A page past the end (e.g. after a search narrowed the list) shows the last one.
  if (requested > result.pageCount) {
    result = await listCustomers(db, shop.id, { query, sort, tier: tier || null, page: result.pageCount, pageSize: PAGE_SIZE });
  }
  const tierNames = new Map(tiers.map((t) => [t.id, t.name]));
  return {
    query,
    sort,
    tier,
    tiers: tiers.map((t) => ({ id: t.id, name: t.name })),
    total: result.total,
    page: result.page,
    pageCount: result.pageCount,
    customers: result.rows.map((c) => ({
      id: c.id,
      name: customerName(c),
      email: c.redactedAt ? null : c.email,
      balance: c.balance,
      pending: c.pendingBalance,
      tier: c.tierId ? (tierNames.get(c.tierId) ?? null) : null,
      memberSince: c.createdAt.toISOString(),
    })),
  };
};

export default function Customers() {
  const { query, sort, tier, tiers, total, page, pageCount, customers } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [search, setSearch] = useState(query);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const lastSubmitted = useRef(query);

  // Keep the field in step with the URL when it changes from elsewhere (back/forward),
  // but never overwrite what the merchant is still typing after a debounced search.
  useEffect(() => {
    if (query !== lastSubmitted.current.trim()) setSearch(query);
    lastSubmitted.current = query;
  }, [query]);
  useEffect(() => () => clearTimeout(timer.current), []);
  // Leaving the page (e.g. opening a customer right after typing) cancels a
  // pending debounced search, which would otherwise navigate back here.
  useEffect(() => {
    if (navigation.state !== "idle" && navigation.location && navigation.location.pathname !== "/app/customers") {
      clearTimeout(timer.current);
    }
  }, [navigation.state, navigation.location]);

  const go = useCallback(
    (next: { q?: string; sort?: string; page?: number; tier?: string }) => {
      const params = new URLSearchParams();
      const q = next.q ?? search;
      const s = next.sort ?? sort;
      const t = next.tier ?? tier;
      lastSubmitted.current = q;
      if (q.trim()) params.set("q", q.trim());
      if (s !== "balance-desc") params.set("sort", s);
      if (t) params.set("tier", t);
      if (next.page && next.page > 1) params.set("page", String(next.page));
      submit(params, { method: "get", replace: true, preventScrollReset: true });
    },
    [search, sort, tier, submit],
  );

  const onSearchChange = (value: string) => {
    setSearch(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => go({ q: value }), 350);
  };

  const pageUrl = (n: number) => {
    const params = new URLSearchParams(searchParams);
    if (n > 1) params.set("page", String(n));
    else params.delete("page");
    const text = params.toString();
    return text ? `/app/customers?${text}` : "/app/customers";
  };

  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/customers";
  const nothingAtAll = total === 0 && !query && !tier;
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  // App Bridge's fetch carries the session token; the file is saved from a blob.
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const params = new URLSearchParams();
      if (query) params.set("q", query);
      if (tier) params.set("tier", tier);
      if (sort !== "balance-desc") params.set("sort", sort);
      const response = await fetch(`/app/customers/export?${params}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = `encore-members-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      URL.revokeObjectURL(url);
    } catch (error) {
      setExportError(`The export failed (${error instanceof Error ? error.message : "unknown error"}). Try again.`);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Page
      title="Customers"
      subtitle={nothingAtAll ? undefined : `${total.toLocaleString("en-US")} members`}
      secondaryActions={nothingAtAll ? undefined : [{ content: "Export CSV", onAction: exportCsv, loading: exporting }]}
    >
      {exportError && (
        <Box paddingBlockEnd="300">
          <Text as="p" tone="critical">
            {exportError}
          </Text>
        </Box>
      )}
      {nothingAtAll ? (
        <Card>
          <EmptyState heading="No customers yet" image={EMPTY_STATE_IMAGE}>
            <p>Customers appear here, with their points, as soon as their first paid order arrives.</p>
          </EmptyState>
        </Card>
      ) : (
        <Card padding="0">
          <BlockStack>
            <Box padding="300">
              <form
                role="search"
                onSubmit={(event) => {
                  event.preventDefault();
                  clearTimeout(timer.current);
                  go({ q: search });
                }}
              >
                <InlineStack gap="300" wrap={false} blockAlign="end">
                  <div style={{ flex: 1 }}>
                    <TextField
                      label="Search customers"
                      labelHidden
                      name="q"
                      type="search"
                      placeholder="Search by name or email"
                      value={search}
                      onChange={onSearchChange}
                      clearButton
                      onClearButtonClick={() => {
                        setSearch("");
                        clearTimeout(timer.current);
                        go({ q: "" });
                      }}
                      autoComplete="off"
                    />
                  </div>
                  {tiers.length > 0 && (
                    <Select
                      label="Tier"
                      labelInline
                      options={[{ label: "All tiers", value: "" }, ...tiers.map((t) => ({ label: t.name, value: t.id })), { label: "No tier", value: "none" }]}
                      value={tier}
                      onChange={(value) => go({ tier: value })}
                    />
                  )}
                  <Select
                    label="Sort by"
                    labelInline
                    options={SORT_OPTIONS}
                    value={sort}
                    onChange={(value) => go({ sort: value })}
                  />
                </InlineStack>
              </form>
            </Box>
            <IndexTable
              resourceName={{ singular: "customer", plural: "customers" }}
              itemCount={customers.length}
              selectable={false}
              loading={loading}
              emptyState={
                <Box padding="600">
                  <BlockStack gap="200" inlineAlign="center">
                    <Text as="p" variant="headingMd">
                      {query ? `No customers match “${query}”` : "No customers in this tier"}
                    </Text>
                    <Text as="p" tone="subdued">
                      {query ? "Try a different name or email address." : "Customers move into tiers as their orders arrive."}
                    </Text>
                  </BlockStack>
                </Box>
              }
              headings={[
                { title: "Name" },
                { title: "Email" },
                { title: "Tier" },
                { title: "Member since" },
                { title: "Pending", alignment: "end" },
                { title: "Balance", alignment: "end" },
              ]}
            >
              {customers.map((c, index) => (
                <IndexTable.Row id={c.id} key={c.id} position={index}>
                  <IndexTable.Cell>
                    <Link url={`/app/customers/${c.id}`} dataPrimaryLink removeUnderline monochrome>
                      <Text as="span" fontWeight="semibold">
                        {c.name}
                      </Text>
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{c.email ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{c.tier ? <Badge tone="info">{c.tier}</Badge> : "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{formatDate(c.memberSince)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric tone="subdued">
                      {c.pending ? formatPoints(c.pending) : "—"}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatPoints(c.balance)}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
            <PageFooter page={page} pageCount={pageCount} pageUrl={pageUrl} />
          </BlockStack>
        </Card>
      )}
    </Page>
  );
}
