// Offers: the merchant's offer rules with their performance, the catalog and
// order history imports the recommendations rely on, fallback products, and
// A/B tests with their results.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { getSyncState, listOffers, loadCatalog, offerSettings, parseList, saveOfferSettings } from "../models/offers.server";
import { shopForSession } from "../models/shop.server";
import { formatDateTime, pageParam } from "../services/loyalty/display";
import { formatMoney } from "../services/money";
import { syncCatalog } from "../services/offers/catalog.server";
import { endTest, startTest, testResults, validateTest } from "../services/offers/experiments.server";
import { importHistory, precomputeRecommendations } from "../services/offers/history.server";
import { deleteOffer, setOfferEnabled } from "../services/offers/offers.server";
import { offerPerformance } from "../services/offers/tracking.server";
import { authenticate } from "../shopify.server";

const PAGE_SIZE = 20;
const EMPTY_STATE_IMAGE = "https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png";

const TRIGGER_LABELS: Record<string, string> = {
  any: "Every order",
  product: "Bought products",
  collection: "Bought from collections",
  tag: "Bought tagged products",
  order_value: "Order value",
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const page = pageParam(new URL(request.url).searchParams.get("page"));
  const [offers, performance, catalogState, historyState, settings, products, tests] = await Promise.all([
    listOffers(db, shop.id),
    offerPerformance(db, shop.id),
    getSyncState(db, shop.id, "catalog"),
    getSyncState(db, shop.id, "history"),
    offerSettings(db, shop.id),
    db.catalogProduct.count({ where: { shopId: shop.id, deletedAt: null } }),
    db.offerTest.findMany({ where: { shopId: shop.id }, orderBy: { startedAt: "desc" }, take: 10 }),
  ]);
  const fallback = await loadCatalog(db, shop.id, settings.fallbackProductIds);
  const names = new Map(offers.map((o) => [o.id, o.name]));
  const state = (s: typeof catalogState) =>
    s ? { status: s.status, items: s.items, error: s.error, finishedAt: s.finishedAt?.toISOString() ?? null } : null;
  return {
    currencyCode: shop.currencyCode,
    page,
    pages: Math.max(1, Math.ceil(offers.length / PAGE_SIZE)),
    offers: offers.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((o) => ({
      id: o.id,
      name: o.name,
      enabled: o.enabled,
      priority: o.priority,
      trigger: TRIGGER_LABELS[o.triggerType] ?? o.triggerType,
      products: parseList(o.offeredProductIds).length,
      discount: o.discountKind === "percent" ? `${o.discountValue}% off` : o.discountKind === "amount" ? `${formatMoney(o.discountValue!, shop.currencyCode)} off` : "No discount",
      code: o.discountCode,
      performance: performance.get(o.id) ?? { views: 0, clicks: 0, conversions: 0, revenue: "0.00", conversionRate: 0 },
    })),
    allOffers: offers.map((o) => ({ id: o.id, name: o.name })),
    catalog: { ...state(catalogState), products },
    history: state(historyState),
    fallback: settings.fallbackProductIds.map((id) => ({ id, title: fallback.get(id)?.title ?? id })),
    minSupport: settings.minSupport,
    tests: await Promise.all(
      tests.map(async (t) => ({
        id: t.id,
        name: t.name,
        status: t.status,
        winner: t.winner,
        splitB: t.splitB,
        startedAt: t.startedAt.toISOString(),
        a: names.get(t.offerAId) ?? "(deleted offer)",
        b: t.offerBId ? (names.get(t.offerBId) ?? "(deleted offer)") : "Holdout (no offer)",
        results: await testResults(db, t),
      })),
    ),
  };
};

type ActionResult = { ok: boolean; message: string; errors?: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session, admin } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "sync-catalog": {
      try {
        // A few pages per click keeps the request short; the import resumes where it stopped.
        const r = await syncCatalog(db, admin.graphql, shop.id, { maxPages: 20, currencyCode: shop.currencyCode });
        return { ok: true, message: r.status === "done" ? `Catalog imported: ${r.items} products` : `Imported ${r.items} products so far; continue to import the rest` };
      } catch (error) {
        return { ok: false, message: `The catalog import stopped: ${String(error)}. Run it again to continue.` };
      }
    }
    case "import-history": {
      try {
        const r = await importHistory(db, admin.graphql, shop.id, { maxPages: 20 });
        return { ok: true, message: r.status === "done" ? `Order history imported: ${r.items} orders` : `Imported ${r.items} orders so far; continue to import the rest` };
      } catch (error) {
        return { ok: false, message: `The history import stopped: ${String(error)}. Run it again to continue.` };
      }
    }
    case "toggle": {
      await setOfferEnabled(db, shop.id, String(form.get("id")), form.get("enabled") === "true");
      return { ok: true, message: form.get("enabled") === "true" ? "Offer turned on" : "Offer turned off" };
    }
    case "delete": {
      try {
        const deleted = await deleteOffer(db, admin.graphql, shop.id, String(form.get("id")));
        return deleted ? { ok: true, message: "Offer deleted" } : { ok: false, message: "This offer no longer exists" };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    }
    case "fallback": {
      const ids = parseList(String(form.get("productIds") ?? "[]")).filter((id) => /^gid:\/\/shopify\/Product\/\d+$/.test(id));
      const minSupport = Number(form.get("minSupport") ?? 2);
      if (!Number.isInteger(minSupport) || minSupport < 1 || minSupport > 100) {
        return { ok: false, message: "Not saved", errors: { minSupport: "A whole number from 1 to 100" } };
      }
      await saveOfferSettings(db, shop.id, { fallbackProductIds: ids.slice(0, 20), minSupport });
      // The minimum support changes which pairs count: recompute every list.
      await precomputeRecommendations(db, shop.id);
      return { ok: true, message: "Recommendation settings saved" };
    }
    case "start-test": {
      const result = await validateTest(db, shop.id, form);
      if (!result.ok) return { ok: false, message: "The test was not started", errors: result.errors };
      await startTest(db, shop.id, result.value);
      return { ok: true, message: "A/B test started" };
    }
    case "end-test": {
      const winner = form.get("winner") === "b" ? "b" : "a";
      const ended = await endTest(db, shop.id, String(form.get("id")), winner);
      return ended ? { ok: true, message: `Test ended; arm ${winner.toUpperCase()} kept` } : { ok: false, message: "This test is not running" };
    }
    default:
      return { ok: false, message: "Unknown action" };
  }
};

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

export default function Offers() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const shopify = useAppBridge();
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";

  useEffect(() => {
    if (actionData) shopify.toast.show(actionData.message, { isError: !actionData.ok });
  }, [actionData, shopify]);

  const post = (fields: Record<string, string>) => submit(fields, { method: "post", preventScrollReset: true });

  return (
    <Page title="Offers" subtitle="Post-purchase offers on the thank-you and order status pages" primaryAction={{ content: "Create offer", url: "/app/offers/new" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {data.catalog.products === 0 && (
              <Banner tone="warning" title="Import your catalog first">
                <p>Encore only offers products it knows are published and in stock. Import the catalog, then your order history for “bought together” recommendations.</p>
              </Banner>
            )}
            <OfferList post={post} />
            <TestsCard post={post} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Data
                </Text>
                <ImportRow
                  label="Catalog"
                  detail={`${data.catalog.products} products cached`}
                  state={data.catalog.status ? data.catalog : null}
                  action="Import catalog"
                  disabled={busy}
                  onRun={() => post({ intent: "sync-catalog" })}
                />
                <ImportRow
                  label="Order history"
                  detail={data.history ? `${data.history.items} orders imported` : "Not imported"}
                  state={data.history}
                  action="Import order history"
                  disabled={busy}
                  onRun={() => post({ intent: "import-history" })}
                />
                <Text as="p" tone="subdued">
                  Products stay up to date through Shopify&apos;s product webhooks, and every paid order adds to the history.
                </Text>
              </BlockStack>
            </Card>
            <FallbackCard post={post} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function ImportRow(props: {
  label: string;
  detail: string;
  state: { status?: string; error?: string | null; finishedAt?: string | null } | null;
  action: string;
  disabled: boolean;
  onRun: () => void;
}) {
  const { state } = props;
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="span" fontWeight="semibold">
          {props.label}
        </Text>
        {state?.status === "done" ? <Badge tone="success">Imported</Badge> : state?.status === "running" ? <Badge tone="attention">Partly imported</Badge> : <Badge>Not imported</Badge>}
      </InlineStack>
      <Text as="p" tone="subdued">
        {props.detail}
        {state?.finishedAt ? ` · ${formatDateTime(state.finishedAt)}` : ""}
      </Text>
      {state?.error ? (
        <Text as="p" tone="critical">
          {state.error}
        </Text>
      ) : null}
      <Box>
        <Button onClick={props.onRun} disabled={props.disabled}>
          {state?.status === "running" ? "Continue import" : props.action}
        </Button>
      </Box>
    </BlockStack>
  );
}

function OfferList({ post }: { post: (f: Record<string, string>) => void }) {
  const { offers, page, pages, currencyCode } = useLoaderData<typeof loader>();
  if (offers.length === 0) {
    return (
      <Card>
        <EmptyState heading="Create your first offer" action={{ content: "Create offer", url: "/app/offers/new" }} image={EMPTY_STATE_IMAGE}>
          <p>
            An offer shows chosen products, with a discount code if you like, to shoppers whose order matches a rule. Without offers, the thank-you page shows what
            other customers bought together, then your picks, then best-sellers.
          </p>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: "offer", plural: "offers" }}
        itemCount={offers.length}
        selectable={false}
        headings={[
          { title: "Offer" },
          { title: "Status" },
          { title: "Views", alignment: "end" },
          { title: "Clicks", alignment: "end" },
          { title: "Conversion", alignment: "end" },
          { title: "Revenue", alignment: "end" },
          { title: "" },
        ]}
      >
        {offers.map((o, i) => (
          <IndexTable.Row id={o.id} key={o.id} position={i}>
            <IndexTable.Cell>
              <BlockStack gap="050">
                <RemixLink to={`/app/offers/${o.id}`}>
                  <Text as="span" fontWeight="semibold">
                    {o.name}
                  </Text>
                </RemixLink>
                <Text as="span" tone="subdued">
                  {o.trigger} → {o.products} {o.products === 1 ? "product" : "products"} · {o.discount}
                  {o.code ? ` · ${o.code}` : ""}
                </Text>
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>{o.enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {o.performance.views}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {o.performance.clicks}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {o.performance.conversions} ({percent(o.performance.conversionRate)})
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {formatMoney(o.performance.revenue, currencyCode)}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <InlineStack gap="200" wrap={false}>
                <Button size="slim" onClick={() => post({ intent: "toggle", id: o.id, enabled: o.enabled ? "false" : "true" })}>
                  {o.enabled ? "Turn off" : "Turn on"}
                </Button>
                <Button
                  size="slim"
                  tone="critical"
                  variant="plain"
                  onClick={() => {
                    if (window.confirm(`Delete the offer “${o.name}”? Its discount code is deactivated; its results stay in the totals.`)) post({ intent: "delete", id: o.id });
                  }}
                >
                  Delete
                </Button>
              </InlineStack>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
      {pages > 1 && (
        <Box padding="300">
          <InlineStack align="center">
            <Pagination
              hasPrevious={page > 1}
              previousURL={`/app/offers?page=${page - 1}`}
              hasNext={page < pages}
              nextURL={`/app/offers?page=${page + 1}`}
              label={`Page ${page} of ${pages}`}
            />
          </InlineStack>
        </Box>
      )}
    </Card>
  );
}

function FallbackCard({ post }: { post: (f: Record<string, string>) => void }) {
  const { fallback, minSupport } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const shopify = useAppBridge();
  const [products, setProducts] = useState(fallback);
  const [support, setSupport] = useState(String(minSupport));
  useEffect(() => setProducts(fallback), [fallback]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Recommendations
        </Text>
        <Text as="p" tone="subdued">
          When no offer and no “bought together” product fills the block, these products are shown, then best-sellers.
        </Text>
        {products.length ? (
          <BlockStack gap="100">
            {products.map((p) => (
              <InlineStack key={p.id} align="space-between">
                <Text as="span">{p.title}</Text>
                <Button variant="plain" onClick={() => setProducts(products.filter((x) => x.id !== p.id))}>
                  Remove
                </Button>
              </InlineStack>
            ))}
          </BlockStack>
        ) : (
          <Text as="p">No products chosen.</Text>
        )}
        <Box>
          <Button
            onClick={async () => {
              const picked = await shopify.resourcePicker({ type: "product", multiple: true, selectionIds: products.map((p) => ({ id: p.id })) });
              if (picked) setProducts((picked as { id: string; title: string }[]).map((p) => ({ id: p.id, title: p.title })));
            }}
          >
            Choose products
          </Button>
        </Box>
        <TextField
          label="Minimum customers for “bought together”"
          type="number"
          value={support}
          onChange={setSupport}
          autoComplete="off"
          helpText="Pairs bought by fewer customers are treated as chance."
          error={actionData?.errors?.minSupport}
        />
        <Box>
          <Button variant="primary" onClick={() => post({ intent: "fallback", productIds: JSON.stringify(products.map((p) => p.id)), minSupport: support })}>
            Save
          </Button>
        </Box>
      </BlockStack>
    </Card>
  );
}

function TestsCard({ post }: { post: (f: Record<string, string>) => void }) {
  const { tests, allOffers, currencyCode } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  const [name, setName] = useState("");
  const [offerA, setOfferA] = useState(allOffers[0]?.id ?? "");
  const [offerB, setOfferB] = useState("holdout");
  const [split, setSplit] = useState("50");
  const options = allOffers.map((o) => ({ label: o.name, value: o.id }));
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          A/B tests
        </Text>
        {tests.length === 0 && (
          <Text as="p" tone="subdued">
            Compare two offers, or an offer against showing nothing (a holdout). Orders are split by a stable hash of the order, so a shopper always sees the same arm.
          </Text>
        )}
        {tests.map((t) => (
          <Box key={t.id} padding="300" background="bg-surface-secondary" borderRadius="200">
            <BlockStack gap="200">
              <InlineStack align="space-between">
                <Text as="h3" variant="headingSm">
                  {t.name}
                </Text>
                {t.status === "running" ? <Badge tone="info">Running</Badge> : <Badge>{`Ended · kept ${t.winner?.toUpperCase()}`}</Badge>}
              </InlineStack>
              <Text as="p" tone="subdued">
                Started {formatDateTime(t.startedAt)} · {100 - t.splitB}% / {t.splitB}%
              </Text>
              {(["a", "b"] as const).map((arm) => {
                const r = t.results[arm];
                return (
                  <Text as="p" key={arm}>
                    <Text as="span" fontWeight="semibold">
                      {arm.toUpperCase()}: {arm === "a" ? t.a : t.b}
                    </Text>{" "}
                    — {r.exposures} orders saw it, {r.conversions} converted ({percent(r.rate)}, 95% CI {percent(r.low)}–{percent(r.high)}), revenue{" "}
                    {formatMoney(r.revenue, currencyCode)}
                  </Text>
                );
              })}
              <Text as="p" tone={t.results.significant ? "success" : "subdued"}>
                {t.results.leader
                  ? `${t.results.leader.toUpperCase()} leads${t.results.significant ? " clearly (the intervals do not overlap)" : ", but the intervals still overlap"}.`
                  : "No difference yet."}
              </Text>
              {t.status === "running" && (
                <InlineStack gap="200">
                  {(["a", "b"] as const).map((arm) => (
                    <Button
                      key={arm}
                      onClick={() => {
                        if (window.confirm(`End “${t.name}” and keep arm ${arm.toUpperCase()}? The other offer is turned off.`)) post({ intent: "end-test", id: t.id, winner: arm });
                      }}
                    >
                      {`End and keep ${arm.toUpperCase()}`}
                    </Button>
                  ))}
                </InlineStack>
              )}
            </BlockStack>
          </Box>
        ))}
        {allOffers.length > 0 ? (
          <FormLayout>
            <Text as="h3" variant="headingSm">
              Start a test
            </Text>
            <TextField label="Test name" value={name} onChange={setName} autoComplete="off" error={errors.name} />
            <FormLayout.Group>
              <Select label="Arm A" options={options} value={offerA} onChange={setOfferA} error={errors.offerAId} />
              <Select label="Arm B" options={[{ label: "Holdout (no offer)", value: "holdout" }, ...options]} value={offerB} onChange={setOfferB} error={errors.offerBId} />
              <TextField label="Orders in arm B" type="number" suffix="%" value={split} onChange={setSplit} autoComplete="off" error={errors.splitB} />
            </FormLayout.Group>
            <Button onClick={() => post({ intent: "start-test", name, offerAId: offerA, offerBId: offerB, splitB: split })}>Start test</Button>
          </FormLayout>
        ) : (
          <Text as="p" tone="subdued">
            Create an offer to test it.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
