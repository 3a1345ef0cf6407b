// The offers feature end to end on the database: the catalog cache and the
// co-purchase history (imported through the Admin API and kept fresh by
// signed webhooks), offers with real discount codes, the extension endpoints
// with checkout / customer account session tokens, tracking, attribution and
// A/B tests.
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { loader as clickLoader } from "../../app/routes/api.offers.click";
import { action as orderStatusAction } from "../../app/routes/api.order-status";
import { action as thankYouAction } from "../../app/routes/api.thank-you";
import { action as webhookAction } from "../../app/routes/webhooks";
import { syncCatalog } from "../../app/services/offers/catalog.server";
import { foldPurchases, topK, type PurchaseRecord } from "../../app/services/offers/engine";
import { endTest, startTest, testResults } from "../../app/services/offers/experiments.server";
import { foldRecordedOrders, importHistory, precomputeRecommendations, recordPurchases, TOP_K } from "../../app/services/offers/history.server";
import { loadCatalog, storeUnfoldedPurchase } from "../../app/models/offers.server";
import { saveOffer } from "../../app/services/offers/offers.server";
import { recommendForOrder } from "../../app/services/offers/recommend.server";
import { offerPerformance } from "../../app/services/offers/tracking.server";
import type { OfferInput } from "../../app/services/offers/validation";
import { sessionToken } from "../../sandbox/session-token";
import { storeOfflineSession } from "../admin";
import { createShop, jobContext, nextId, orderBody } from "../factories";
import { mockShopifyServer } from "../mock-shopify-server";
import { webhookRequest } from "../webhooks";

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}0`;
const graphql = (shop: string) => (query: string, options?: { variables?: Record<string, unknown> }) =>
  fetch(`https://${shop}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": "shpat_test" },
    body: JSON.stringify({ query, variables: options?.variables ?? {} }),
  });

function productNode(n: number, over: Record<string, unknown> = {}) {
  return {
    id: P(n),
    title: `Product ${n}`,
    handle: `product-${n}`,
    vendor: "Northwind",
    tags: ["denim"],
    status: "ACTIVE",
    onlineStoreUrl: `https://shop/products/product-${n}`,
    totalInventory: 10,
    featuredImage: { url: `https://cdn.example.com/${n}.png` },
    collections: { nodes: [{ id: "gid://shopify/Collection/1" }] },
    variants: { nodes: [{ id: V(n), title: "M", price: `${n}.50`, inventoryQuantity: 10, availableForSale: true }] },
    ...over,
  };
}

/** Answers CatalogProducts in pages of `size` from `nodes`, as Shopify pages a connection. */
function catalogPages(nodes: object[], size: number) {
  return ({ variables }: { variables: Record<string, unknown> }) => {
    const start = variables.after ? Number(variables.after) : 0;
    const page = nodes.slice(start, start + size);
    return { products: { nodes: page, pageInfo: { hasNextPage: start + size < nodes.length, endCursor: String(start + page.length) } } };
  };
}

let shop: string;

beforeEach(async () => {
  shop = (await createShop(db)).id;
});

async function deliver(topic: string, body: object, options: { shop?: string; eventId?: string } = {}) {
  const res = await webhookAction({ request: webhookRequest({ topic, shop: options.shop ?? shop, body, eventId: options.eventId }), params: {}, context: {} });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A paid order whose lines are the given products (price per line). */
function paidOrder(spec: { customerId?: string | null; products: [number, string][]; codes?: string[]; id?: string }) {
  const body = orderBody({ id: spec.id, customerId: spec.customerId, lines: spec.products.map(([, price]) => ({ price })) }) as Record<string, any>;
  body.line_items.forEach((l: Record<string, unknown>, i: number) => {
    l.product_id = Number(spec.products[i][0]);
    l.variant_id = Number(`${spec.products[i][0]}0`);
  });
  body.discount_codes = (spec.codes ?? []).map((code) => ({ code, amount: "1.00", type: "percentage" }));
  return body;
}

async function seedCatalog(count = 8, over: Record<number, Record<string, unknown>> = {}) {
  mockShopifyServer({ CatalogProducts: catalogPages(Array.from({ length: count }, (_, i) => productNode(i + 1, over[i + 1])), 50) });
  await syncCatalog(db, graphql(shop), shop);
}

describe("catalog cache", () => {
  it("imports page by page, resumes from the stored cursor, and marks products gone from Shopify as deleted", async () => {
    const nodes = [1, 2, 3, 4, 5].map((n) => productNode(n, n === 3 ? { status: "DRAFT", onlineStoreUrl: null } : {}));
    const mock = mockShopifyServer({ CatalogProducts: catalogPages(nodes, 2) });
    expect(await syncCatalog(db, graphql(shop), shop, { maxPages: 2 })).toEqual({ status: "running", pages: 2, items: 4 });
    expect(await db.catalogProduct.count({ where: { shopId: shop } })).toBe(4);
    expect(await syncCatalog(db, graphql(shop), shop)).toEqual({ status: "done", pages: 3, items: 5 });
    // The third page was asked from the cursor stored after the second.
    expect(mock.calls.map((c) => c.variables.after)).toEqual([null, "2", "4"]);
    const draft = await db.catalogProduct.findFirstOrThrow({ where: { shopId: shop, productId: P(3) } });
    expect(draft).toMatchObject({ status: "DRAFT", published: false, price: "3.50", inventory: 10 });

    // Product 5 was deleted in Shopify: the next full sync does not list it.
    mockShopifyServer({ CatalogProducts: catalogPages(nodes.slice(0, 4), 50) });
    expect(await syncCatalog(db, graphql(shop), shop)).toMatchObject({ status: "done", items: 4 });
    expect((await db.catalogProduct.findFirstOrThrow({ where: { shopId: shop, productId: P(5) } })).deletedAt).not.toBeNull();

    // What the recommender reads of them: the first buyable variant, drafts and deletions as such.
    const items = await loadCatalog(db, shop, [P(1), P(3), P(5), P(99)]);
    expect([...items.keys()].sort()).toEqual([P(1), P(3), P(5)]);
    expect(items.get(P(1))).toEqual({
      productId: P(1),
      title: "Product 1",
      handle: "product-1",
      imageUrl: "https://cdn.example.com/1.png",
      price: "1.50",
      currencyCode: "USD",
      status: "ACTIVE",
      published: true,
      inventory: 10,
      tags: ["denim"],
      collectionIds: ["gid://shopify/Collection/1"],
      variantId: V(1),
      deleted: false,
    });
    expect(items.get(P(3))).toMatchObject({ status: "DRAFT", published: false, deleted: false });
    expect(items.get(P(5))).toMatchObject({ published: true, deleted: true });
  });

  it("keeps fresh through signed products/update and products/delete webhooks", async () => {
    await seedCatalog(2);
    const update = {
      id: 1,
      title: "Product 1 (new)",
      handle: "product-1",
      vendor: "Northwind",
      status: "active",
      published_at: "2026-11-01T00:00:00-05:00",
      tags: "denim, sale",
      image: { src: "https://cdn.example.com/new.png" },
      variants: [
        { id: 10, title: "S", price: "12.00", inventory_quantity: 0, inventory_management: "shopify", inventory_policy: "deny" },
        { id: 11, title: "M", price: "14.00", inventory_quantity: 3, inventory_management: "shopify", inventory_policy: "deny" },
      ],
    };
    expect((await deliver("products/update", update)).status).toBe(200);
    const row = await db.catalogProduct.findFirstOrThrow({ where: { shopId: shop, productId: P(1) } });
    expect(row).toMatchObject({ title: "Product 1 (new)", price: "14.00", inventory: 3, published: true, imageUrl: "https://cdn.example.com/new.png" });
    expect(JSON.parse(row.tags)).toEqual(["denim", "sale"]);
    // Collections are not in the payload: the imported ones stay.
    expect(JSON.parse(row.collectionIds)).toEqual(["gid://shopify/Collection/1"]);

    // Sold out: no longer offerable.
    await deliver("products/update", { ...update, variants: update.variants.map((v) => ({ ...v, inventory_quantity: 0 })) });
    expect((await db.catalogProduct.findFirstOrThrow({ where: { shopId: shop, productId: P(1) } })).inventory).toBe(0);

    expect((await deliver("products/delete", { id: 2 })).status).toBe(200);
    expect((await db.catalogProduct.findFirstOrThrow({ where: { shopId: shop, productId: P(2) } })).deletedAt).not.toBeNull();
    // A payload without the fields the cache needs is refused, and nothing changes.
    expect((await deliver("products/update", { id: 1 })).status).toBe(400);
  });
});

/** Past orders: every pair of products 1–3 bought by 3 of the 4 buyers of each. */
const history: { customer: string | null; products: number[] }[] = [
  { customer: "c1", products: [1, 2] },
  { customer: "c2", products: [1, 2, 3] },
  { customer: "c3", products: [1, 3] },
  { customer: null, products: [2, 3] },
  { customer: "c1", products: [3] },
  { customer: "c4", products: [1, 2] },
];

describe("co-purchase history", () => {
  it("incremental updates (import, then webhooks, with duplicates) equal a full rebuild over the same orders", async () => {
    const ids = history.map(() => nextId());
    const custId = (c: string) => ({ c1: "9101", c2: "9102", c3: "9103", c4: "9104" })[c]!;
    // The first four orders are in the store's past: imported through the Admin API.
    const past = history.slice(0, 4).map((h, i) => ({
      id: `gid://shopify/Order/${ids[i]}`,
      cancelledAt: null as string | null,
      customer: h.customer ? { id: `gid://shopify/Customer/${custId(h.customer)}` } : null,
      lineItems: { nodes: h.products.map((p) => ({ product: { id: P(p) } })) },
    }));
    past.push({ id: "gid://shopify/Order/1", cancelledAt: "2026-01-01T00:00:00Z", customer: null, lineItems: { nodes: [{ product: { id: P(1) } }, { product: { id: P(2) } }] } });
    mockShopifyServer({
      HistoryOrders: ({ variables }) => {
        const start = variables.after ? Number(variables.after) : 0;
        const page = past.slice(start, start + 2);
        return { orders: { nodes: page, pageInfo: { hasNextPage: start + 2 < past.length, endCursor: String(start + page.length) } } };
      },
    });
    expect(await importHistory(db, graphql(shop), shop, { maxPages: 1 })).toMatchObject({ status: "running", pages: 1 });
    expect(await importHistory(db, graphql(shop), shop)).toMatchObject({ status: "done", pages: 3, items: 4 });

    // The rest arrive as orders/paid; one is delivered twice (a different event).
    for (let i = 4; i < history.length; i++) {
      const body = paidOrder({ id: ids[i], customerId: history[i].customer ? custId(history[i].customer!) : null, products: history[i].products.map((p) => [p, "10.00"]) });
      expect((await deliver("orders/paid", body)).status).toBe(200);
      if (i === 4) expect((await deliver("orders/paid", body)).status).toBe(200);
    }

    const full = foldPurchases(
      history.map((h, i) => ({
        orderId: `gid://shopify/Order/${ids[i]}`,
        buyerKey: h.customer ? `gid://shopify/Customer/${custId(h.customer)}` : `gid://shopify/Order/${ids[i]}`,
        productIds: h.products.map(P),
      })) satisfies PurchaseRecord[],
    );
    const counts = async () => ({
      buyers: Object.fromEntries((await db.purchaseProductStat.findMany({ where: { shopId: shop } })).map((s) => [s.productId, s.buyers])),
      pairs: Object.fromEntries((await db.purchasePair.findMany({ where: { shopId: shop } })).map((p) => [`${p.productA}|${p.productB}`, p.buyers])),
    });
    const lists = async () => {
      const rows = await db.productRecommendation.findMany({ where: { shopId: shop }, orderBy: [{ productId: "asc" }, { rank: "asc" }] });
      const actual = new Map<string, string[]>();
      for (const r of rows) actual.set(r.productId, [...(actual.get(r.productId) ?? []), r.recommendedId]);
      return Object.fromEntries(actual);
    };
    // The webhooks only recorded their orders: the counts are still the import's.
    expect((await counts()).buyers).toEqual(Object.fromEntries(foldPurchases(history.slice(0, 4).map((h, i) => ({ orderId: String(i), buyerKey: h.customer ?? String(i), productIds: h.products.map(P) }))).buyers));
    // The fold job adds them (each once) and refreshes the lists of the products they touched.
    expect(await foldRecordedOrders(db, shop)).toEqual({ orders: 2, products: 3 });
    expect(await foldRecordedOrders(db, shop)).toEqual({ orders: 0, products: 0 });
    expect(await counts()).toEqual({ buyers: Object.fromEntries(full.buyers), pairs: Object.fromEntries(full.pairs) });

    // The refreshed rows equal the top-K of the full rebuild, as does a full precompute.
    const expected = topK([...full.pairs].map(([k, together]) => ({ a: k.split("|")[0], b: k.split("|")[1], together })), full.buyers, TOP_K, 2);
    const expectedLists = Object.fromEntries([...expected].map(([k, v]) => [k, v.map((r) => r.recommendedId)]));
    expect(await lists()).toEqual(expectedLists);
    await precomputeRecommendations(db, shop);
    expect(await lists()).toEqual(expectedLists);
  });

  it("the fold gives the event loop a turn between its batches", async () => {
    const other = (await createShop(db)).id;
    for (let i = 0; i < 120; i++) {
      await storeUnfoldedPurchase(db, other, { orderId: `gid://shopify/Order/${nextId()}`, buyerKey: `gid://shopify/Customer/${nextId()}`, productIds: [P(1), P(2)] });
    }
    let looped = false;
    setImmediate(() => (looped = true));
    expect((await foldRecordedOrders(db, other, { refresh: false })).orders).toBe(120);
    // (On SQLite nothing else in the batches gives it one: 50 orders a batch, three batches.)
    expect(looped).toBe(true);
  });

  it("the bulk fold (import pages) stores the same statistics as folding orders one by one", async () => {
    // Buyers coming back, guests, repeated products, an order in two batches
    // and twice in one batch: a small history with everything the fold handles.
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const orders: PurchaseRecord[] = Array.from({ length: 80 }, () => {
      const orderId = `gid://shopify/Order/${nextId()}`;
      const buyerKey = random() < 0.2 ? orderId : `gid://shopify/Customer/${9200 + Math.floor(random() * 15)}`;
      return { orderId, buyerKey, productIds: Array.from({ length: 1 + Math.floor(random() * 4) }, () => P(1 + Math.floor(random() * 9))) };
    });
    // One by one: each order recorded as orders/paid does, then folded.
    const other = (await createShop(db)).id;
    for (const order of orders) {
      await storeUnfoldedPurchase(db, other, order);
      await foldRecordedOrders(db, other);
    }

    // Webhooks recorded some orders first; the import then folds pages of 9
    // (overlapping) and leaves those to the fold job.
    for (const order of orders.slice(10, 14)) expect(await storeUnfoldedPurchase(db, shop, order)).toBe(true);
    expect(await storeUnfoldedPurchase(db, shop, orders[10])).toBe(false);
    let added = 0;
    for (let i = 0; i < orders.length; i += 9) added += await recordPurchases(db, shop, [...orders.slice(Math.max(0, i - 2), i + 9), orders[i]]);
    expect(added).toBe(orders.length - 4);
    expect(await recordPurchases(db, shop, orders)).toBe(0);
    expect((await foldRecordedOrders(db, shop)).orders).toBe(4);

    const stored = async (shopId: string) => ({
      orders: await db.purchaseHistoryOrder.count({ where: { shopId } }),
      buyerProducts: (await db.purchaseBuyerProduct.findMany({ where: { shopId } })).map((r) => `${r.buyerKey} ${r.productId}`).sort(),
      buyers: Object.fromEntries((await db.purchaseProductStat.findMany({ where: { shopId } })).map((s) => [s.productId, s.buyers])),
      pairs: Object.fromEntries((await db.purchasePair.findMany({ where: { shopId } })).map((p) => [`${p.productA}|${p.productB}`, p.buyers])),
    });
    const bulk = await stored(shop);
    expect(bulk).toEqual(await stored(other));
    const full = foldPurchases(orders);
    expect(bulk.buyers).toEqual(Object.fromEntries(full.buyers));
    expect(bulk.pairs).toEqual(Object.fromEntries(full.pairs));
    expect(bulk.orders).toBe(orders.length);
  });

  it("an import that finishes folds the orders webhooks recorded meanwhile, so the first lists are whole", async () => {
    // orders/paid recorded two orders while the import ran; the store's past holds a third.
    await storeUnfoldedPurchase(db, shop, { orderId: `gid://shopify/Order/${nextId()}`, buyerKey: "gid://shopify/Customer/9301", productIds: [P(1), P(2)] });
    await storeUnfoldedPurchase(db, shop, { orderId: `gid://shopify/Order/${nextId()}`, buyerKey: "gid://shopify/Customer/9302", productIds: [P(1), P(2)] });
    const past = [{ id: `gid://shopify/Order/${nextId()}`, cancelledAt: null, customer: { id: "gid://shopify/Customer/9303" }, lineItems: { nodes: [{ product: { id: P(1) } }, { product: { id: P(3) } }] } }];
    mockShopifyServer({ HistoryOrders: () => ({ orders: { nodes: past, pageInfo: { hasNextPage: false, endCursor: "1" } } }) });
    expect(await importHistory(db, graphql(shop), shop)).toMatchObject({ status: "done", items: 1 });
    expect(await db.purchaseHistoryOrder.count({ where: { shopId: shop, foldedAt: null } })).toBe(0);
    const buyers = Object.fromEntries((await db.purchaseProductStat.findMany({ where: { shopId: shop } })).map((s) => [s.productId, s.buyers]));
    expect(buyers).toEqual({ [P(1)]: 3, [P(2)]: 2, [P(3)]: 1 });
    const recs = await db.productRecommendation.findMany({ where: { shopId: shop, productId: P(2) }, select: { recommendedId: true, support: true } });
    expect(recs).toEqual([{ recommendedId: P(1), support: 2 }]);
  });

  it("folds concurrently recorded orders exactly once when several folds run at the same time", async () => {
    let seed = 11;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const orders: PurchaseRecord[] = Array.from({ length: 1200 }, () => {
      const orderId = `gid://shopify/Order/${nextId()}`;
      return { orderId, buyerKey: `gid://shopify/Customer/${7700 + Math.floor(random() * 60)}`, productIds: [...new Set([P(1 + Math.floor(random() * 8)), P(1 + Math.floor(random() * 8))])] };
    });
    for (const order of orders) await storeUnfoldedPurchase(db, shop, order);
    const runs = await Promise.all([1, 2, 3].map(() => foldRecordedOrders(db, shop)));
    expect(runs.reduce((n, r) => n + r.orders, 0)).toBe(orders.length);
    const full = foldPurchases(orders);
    const stats = await db.purchaseProductStat.findMany({ where: { shopId: shop } });
    const pairs = await db.purchasePair.findMany({ where: { shopId: shop } });
    expect(Object.fromEntries(stats.map((s) => [s.productId, s.buyers]))).toEqual(Object.fromEntries(full.buyers));
    expect(Object.fromEntries(pairs.map((p) => [`${p.productA}|${p.productB}`, p.buyers]))).toEqual(Object.fromEntries(full.pairs));
  });

  it("recommends from precomputed rows with an explanation, and falls back to best-sellers", async () => {
    await seedCatalog(4);
    for (const h of history) {
      await deliver("orders/paid", paidOrder({ customerId: h.customer ? `88${h.customer.slice(1)}` : null, products: h.products.map((p) => [p, "10.00"]) }));
    }
    await foldRecordedOrders(db, shop);
    // Every pair was bought by 3 of the 4 buyers of each product: equal
    // scores, equal support, so the product id decides; product 4 was never
    // bought, and product 3 was just bought.
    const recs = await recommendForOrder(db, shop, { productIds: [P(3)], limit: 3, surface: "email" });
    expect(recs.map((r) => [r.productId, r.reason])).toEqual([
      [P(1), "Bought together by 3 customers"],
      [P(2), "Bought together by 3 customers"],
    ]);
    expect(recs[0]).toMatchObject({ variantId: V(1), title: "Product 1", price: "1.50", currencyCode: "USD", discount: null, offerId: null });
    expect(recs[0].url).toBe(`https://${shop}/cart/10:1`);
    expect(recs.some((r) => r.productId === P(3))).toBe(false);
    // Nothing bought together with product 4: best-sellers fill in.
    const fallback = await recommendForOrder(db, shop, { productIds: [P(4)], limit: 2, surface: "email" });
    expect(fallback.map((r) => [r.productId, r.reason])).toEqual([
      [P(1), "Best-seller: bought by 4 customers"],
      [P(2), "Best-seller: bought by 4 customers"],
    ]);
  });
});

const offerInput = (over: Partial<OfferInput> = {}): OfferInput => ({
  name: "Belts for jeans",
  enabled: true,
  priority: 1,
  triggerType: "product",
  triggerValues: [P(1)],
  minOrderValue: null,
  maxOrderValue: null,
  offeredProductIds: [P(2)],
  discountKind: "percent",
  discountValue: "15",
  startsAt: null,
  endsAt: null,
  ...over,
});

function discountMock() {
  let n = 0;
  return mockShopifyServer({
    OfferDiscountCreate: () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${++n}` }, userErrors: [] } }),
    OfferDiscountDeactivate: ({ variables }) => ({ discountCodeDeactivate: { codeDiscountNode: { id: variables.id }, userErrors: [] } }),
  });
}

describe("offers with discount codes", () => {
  it("creates a code limited to the offered products when saved, and a new one when the discount changes", async () => {
    const mock = discountMock();
    const saved = await saveOffer(db, graphql(shop), shop, null, offerInput());
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const input = mock.calls[0].variables.basicCodeDiscount as any;
    expect(input).toMatchObject({
      code: saved.offer.discountCode,
      context: { all: "ALL" },
      customerGets: { value: { percentage: 0.15 }, items: { products: { productsToAdd: [P(2)] } } },
    });
    expect(saved.offer.discountCode).toMatch(/^ENCORE-[A-Z2-9]{8}$/);

    // Same discount: no new code.
    await saveOffer(db, graphql(shop), shop, saved.offer.id, offerInput({ priority: 3 }));
    expect(mock.calls.filter((c) => c.operationName === "OfferDiscountCreate")).toHaveLength(1);
    const changed = await saveOffer(db, graphql(shop), shop, saved.offer.id, offerInput({ discountKind: "amount", discountValue: "5.00" }));
    expect(changed.ok && changed.offer.discountCode).not.toBe(saved.offer.discountCode);
    expect(mock.calls.find((c) => c.operationName === "OfferDiscountDeactivate")?.variables.id).toBe("gid://shopify/DiscountCodeNode/1");
    expect((mock.calls.at(-2)!.variables.basicCodeDiscount as any).customerGets.value).toEqual({ discountAmount: { amount: "5.00", appliesOnEachItem: false } });
  });

  it("saves nothing when Shopify refuses the discount, and says why", async () => {
    mockShopifyServer({
      OfferDiscountCreate: { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique" }] } },
    });
    const result = await saveOffer(db, graphql(shop), shop, null, offerInput());
    expect(result).toEqual({ ok: false, errors: { discountValue: "Shopify refused the discount: Code must be unique" } });
    expect(await db.offer.count({ where: { shopId: shop } })).toBe(0);
  });
});

// ---------------------------------------------------------------------------
// Extension endpoints

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

function extensionRequest(path: string, token: string, body: object) {
  return new Request(`https://my-test-app.myshopify.io${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: "https://extensions.shopifycdn.com", "user-agent": CHROME },
    body: JSON.stringify(body),
  });
}

const tokenFor = (shopDomain: string, sub?: string, claims: Record<string, unknown> = {}) =>
  sessionToken({ shop: shopDomain, apiKey: API_KEY, apiSecret: API_SECRET_KEY, sub, claims: { iss: `https://${shopDomain}`, ...claims } });

async function thankYou(token: string, body: object) {
  const res = await thankYouAction({ request: extensionRequest("/api/thank-you", token, body), params: {}, context: {} });
  return { status: res.status, cors: res.headers.get("access-control-allow-origin"), body: await res.json().catch(() => null) };
}
async function orderStatus(token: string, body: object) {
  const res = await orderStatusAction({ request: extensionRequest("/api/order-status", token, body), params: {}, context: {} });
  return { status: res.status, body: await res.json().catch(() => null) };
}

describe("extension endpoints", () => {
  async function paidOrderOnFile(customerId = "5501") {
    await seedCatalog(4);
    const discount = discountMock();
    void discount;
    const saved = await saveOffer(db, graphql(shop), shop, null, offerInput());
    const body = paidOrder({ customerId, products: [[1, "40.00"]] });
    await deliver("orders/paid", body);
    return { orderId: `gid://shopify/Order/${body.id}`, offer: saved.ok ? saved.offer : null };
  }

  it("answers a logged-in customer with the order's points, balance and offers (with discount and signed click link)", async () => {
    const { orderId, offer } = await paidOrderOnFile();
    const res = await thankYou(tokenFor(shop, "gid://shopify/Customer/5501"), { orderId: orderId.replace("Order", "OrderIdentity"), limit: 3 });
    expect(res.status).toBe(200);
    expect(res.cors).toBeTruthy();
    expect(res.body.source).toBe("webhook");
    expect(res.body.points).toEqual({ earned: 40, status: "available", balance: 40 });
    expect(res.body.offers[0]).toMatchObject({
      productId: P(2),
      offerId: offer!.id,
      discount: { kind: "percent", value: "15" },
      price: "2.50",
      discountedPrice: "2.13",
      url: `https://${shop}/cart/20:1?discount=${offer!.discountCode}`,
    });
    expect(res.body.offers.some((o: { productId: string }) => o.productId === P(1))).toBe(false);
    expect(await db.offerEvent.count({ where: { shopId: shop, type: "impression", offerId: offer!.id } })).toBe(1);

    // The button: click recorded, then the cart permalink.
    const click = await clickLoader({ request: new Request(res.body.offers[0].clickUrl), params: {}, context: {} });
    expect(click.status).toBe(302);
    expect(click.headers.get("location")).toBe(res.body.offers[0].url);
    expect(await db.offerEvent.count({ where: { shopId: shop, type: "click", offerId: offer!.id } })).toBe(1);
    // A different first character of the signature (never the same one, which would leave it valid).
    const tampered = res.body.offers[0].clickUrl.replace(/sig=(.)/, (_: string, c: string) => `sig=${c === "x" ? "y" : "x"}`);
    expect((await clickLoader({ request: new Request(tampered), params: {}, context: {} })).status).toBe(400);
  });

  it("answers from the order's history whatever lines the extension sends, and records a reload's impressions once", async () => {
    await seedCatalog(4);
    for (const h of history) {
      await deliver("orders/paid", paidOrder({ customerId: h.customer ? `88${h.customer.slice(1)}` : null, products: h.products.map((p) => [p, "10.00"]) }));
    }
    await foldRecordedOrders(db, shop);
    const body = paidOrder({ customerId: "7777", products: [[3, "10.00"]] });
    await deliver("orders/paid", body);
    const orderId = `gid://shopify/Order/${body.id}`;
    const token = tokenFor(shop, "gid://shopify/Customer/7777");
    const bare = await thankYou(token, { orderId, limit: 3 });
    expect(bare.body.points).toEqual({ earned: 10, status: "available", balance: 10 });
    expect(bare.body.offers.map((o: { productId: string; reason: string }) => [o.productId, o.reason])).toEqual([
      [P(1), "Bought together by 3 customers"],
      [P(2), "Bought together by 3 customers"],
    ]);
    // The order's own lines, or lines that disagree with what orders/paid recorded: the same answer.
    for (const productId of [P(3), P(4)]) {
      const res = await thankYou(token, { orderId, limit: 3, lines: [{ productId, quantity: 1, amount: "10.00" }] });
      expect(res.body).toEqual(bare.body);
    }
    expect(await db.offerEvent.count({ where: { shopId: shop, orderId, type: "impression" } })).toBe(2);

  });

  it("shows a guest offers and no points", async () => {
    const { orderId } = await paidOrderOnFile();
    const res = await thankYou(tokenFor(shop, undefined, { sub: undefined }), { orderId, limit: 2 });
    expect(res.status).toBe(200);
    expect(res.body.points).toBeNull();
    expect(res.body.offers.length).toBeGreaterThan(0);
  });

  it("refuses expired and forged tokens with 401", async () => {
    const { orderId } = await paidOrderOnFile();
    const expired = tokenFor(shop, "gid://shopify/Customer/5501", { exp: Math.floor(Date.now() / 1000) - 120 });
    expect((await thankYou(expired, { orderId })).status).toBe(401);
    const forged = sessionToken({ shop, apiKey: API_KEY, apiSecret: "not-the-secret", sub: "gid://shopify/Customer/5501" });
    const res = await thankYou(forged, { orderId });
    expect(res.status).toBe(401);
    expect(res.cors).toBe("*");
    expect((await orderStatus(forged, { orderId })).status).toBe(401);
  });

  it("answers only for the token's shop and customer", async () => {
    const { orderId } = await paidOrderOnFile();
    // Another customer of the same shop asks about this order.
    expect((await orderStatus(tokenFor(shop, "gid://shopify/Customer/999"), { orderId })).status).toBe(403);
    expect((await thankYou(tokenFor(shop, "gid://shopify/Customer/999"), { orderId })).status).toBe(403);
    expect((await orderStatus(tokenFor(shop, "gid://shopify/Customer/5501"), { orderId })).status).toBe(200);
    // Another shop's token: that shop knows nothing of the order, so nothing of shop A leaks.
    const other = (await createShop(db)).id;
    mockShopifyServer({ OrderForDisplay: { order: null } });
    await storeOfflineSession(other);
    const res = await thankYou(tokenFor(other, "gid://shopify/Customer/5501"), { orderId, lines: [] });
    expect(res.status).toBe(200);
    expect(res.body.offers).toEqual([]);
    expect(res.body.points).toBeNull();
  });

  it("answers from the Admin API when orders/paid has not arrived: pending points, never zero", async () => {
    await seedCatalog(4);
    await storeOfflineSession(shop);
    const orderId = `gid://shopify/Order/${nextId()}`;
    mockShopifyServer({
      OrderForDisplay: {
        order: {
          id: orderId,
          customer: { id: "gid://shopify/Customer/5501" },
          currencyCode: "USD",
          lineItems: { nodes: [{ quantity: 1, product: { id: P(1) }, discountedTotalSet: { shopMoney: { amount: "55.90", currencyCode: "USD" } } }] },
        },
      },
    });
    const res = await thankYou(tokenFor(shop, "gid://shopify/Customer/5501"), { orderId, limit: 3 });
    expect(res.body).toMatchObject({ source: "admin", points: { earned: 55, status: "pending" } });
    expect(res.body.offers.some((o: { productId: string }) => o.productId === P(1))).toBe(false);
    expect(await db.ledgerEntry.count({ where: { shopId: shop } })).toBe(0); // display only
  });

  it("falls back to the lines the extension sent when the Admin API cannot answer", async () => {
    await seedCatalog(4);
    // No offline session stored: the Admin API is out of reach.
    const orderId = `gid://shopify/Order/${nextId()}`;
    const res = await thankYou(tokenFor(shop, "gid://shopify/Customer/5501"), { orderId, limit: 3, lines: [{ productId: P(1), quantity: 1, amount: "20.00" }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: "extension", points: { earned: 20, status: "pending" } });
    expect(res.body.offers.map((o: { productId: string }) => o.productId)).not.toContain(P(1));
    // Bad input is a clear 400.
    expect((await thankYou(tokenFor(shop), { orderId: "" })).status).toBe(400);
  });
});

describe("attribution and A/B tests", () => {
  it("credits the offer whose code the next order used, once, with the offered products' revenue", async () => {
    await seedCatalog(4);
    discountMock();
    const saved = await saveOffer(db, graphql(shop), shop, null, offerInput());
    if (!saved.ok) throw new Error("not saved");
    const code = saved.offer.discountCode!;
    const order = paidOrder({ customerId: "5601", products: [[2, "19.99"], [3, "5.00"]], codes: [code.toLowerCase()] });
    order.line_items[0].quantity = 2;
    order.line_items[0].discount_allocations = [{ amount: "6.00", amount_set: { shop_money: { amount: "6.00", currency_code: "USD" } } }];
    const eventId = nextId();
    expect((await deliver("orders/paid", order, { eventId })).status).toBe(200);
    expect((await deliver("orders/paid", order, { eventId: nextId() })).status).toBe(200); // another event, same order
    const conversions = await db.offerConversion.findMany({ where: { shopId: shop } });
    expect(conversions).toHaveLength(1);
    expect(conversions[0]).toMatchObject({ offerId: saved.offer.id, revenue: "33.98" }); // 2 × 19.99 − 6.00
    expect((await offerPerformance(db, shop)).get(saved.offer.id)).toMatchObject({ conversions: 1, revenue: "33.98" });
  });

  it("splits orders between an offer and a holdout, measures both arms, and keeps the winner", async () => {
    await seedCatalog(4);
    discountMock();
    await storeOfflineSession(shop);
    const saved = await saveOffer(db, graphql(shop), shop, null, offerInput({ triggerType: "any", triggerValues: [] }));
    if (!saved.ok) throw new Error("not saved");
    const test = await startTest(db, shop, { name: "Belts or nothing", offerAId: saved.offer.id, offerBId: null, splitB: 50 });
    mockShopifyServer({ OrderForDisplay: { order: null } });
    const arms: Record<string, string[]> = { a: [], b: [] };
    for (let i = 0; i < 12; i++) {
      const customer = String(6000 + i);
      const orderId = `gid://shopify/Order/${nextId()}`;
      const res = await thankYou(tokenFor(shop, `gid://shopify/Customer/${customer}`), { orderId, limit: 3, lines: [{ productId: P(1), quantity: 1, amount: "5.00" }] });
      const shown = res.body.offers.some((o: { offerId: string | null }) => o.offerId === saved.offer.id);
      arms[shown ? "a" : "b"].push(customer);
      // Reloading shows the same arm.
      const again = await thankYou(tokenFor(shop, `gid://shopify/Customer/${customer}`), { orderId, limit: 3, lines: [{ productId: P(1), quantity: 1, amount: "5.00" }] });
      expect(again.body.offers.some((o: { offerId: string | null }) => o.offerId === saved.offer.id)).toBe(shown);
    }
    expect(arms.a.length).toBeGreaterThan(0);
    expect(arms.b.length).toBeGreaterThan(0);
    // One arm-a customer uses the code; one holdout customer buys the product anyway.
    await deliver("orders/paid", paidOrder({ customerId: arms.a[0], products: [[2, "2.50"]], codes: [saved.offer.discountCode!] }));
    await deliver("orders/paid", paidOrder({ customerId: arms.b[0], products: [[2, "2.50"], [4, "4.50"]] }));
    const results = await testResults(db, test);
    expect(results.a).toMatchObject({ exposures: arms.a.length, conversions: 1, revenue: "2.50" });
    expect(results.b).toMatchObject({ exposures: arms.b.length, conversions: 1, revenue: "2.50" });
    expect(results.a.low).toBeLessThanOrEqual(results.a.rate);
    expect(results.a.high).toBeGreaterThanOrEqual(results.a.rate);

    await endTest(db, shop, test.id, "a");
    expect(await db.offerTest.findUniqueOrThrow({ where: { id: test.id } })).toMatchObject({ status: "ended", winner: "a" });
    expect((await db.offer.findUniqueOrThrow({ where: { id: saved.offer.id } })).enabled).toBe(true);
  });
});

describe("compliance webhooks", () => {
  it("customers/redact unlinks the customer from the history and events, keeping the counts; shop/redact erases the feature's data", async () => {
    await seedCatalog(3);
    await deliver("orders/paid", paidOrder({ customerId: "7701", products: [[1, "10.00"], [2, "10.00"]] }));
    await recordEventsFor("gid://shopify/Customer/7701");
    const before = await db.purchasePair.findMany({ where: { shopId: shop } });
    const redact = { shop_domain: shop, customer: { id: 7701, email: "x@example.com" }, orders_to_redact: [] };
    expect((await deliver("customers/redact", redact)).status).toBe(200);
    expect(await db.purchaseBuyerProduct.count({ where: { shopId: shop, buyerKey: "gid://shopify/Customer/7701" } })).toBe(0);
    expect(await db.purchaseHistoryOrder.count({ where: { shopId: shop, buyerKey: "gid://shopify/Customer/7701" } })).toBe(0);
    expect(await db.offerEvent.count({ where: { shopId: shop, customerId: { not: null } } })).toBe(0);
    expect(await db.purchasePair.findMany({ where: { shopId: shop } })).toEqual(before);

    expect((await deliver("shop/redact", { shop_id: 1, shop_domain: shop })).status).toBe(200);
    for (const count of [db.catalogProduct.count({ where: { shopId: shop } }), db.purchasePair.count({ where: { shopId: shop } }), db.offerEvent.count({ where: { shopId: shop } })]) {
      expect(await count).toBe(0);
    }
  });
});

async function recordEventsFor(customerId: string) {
  const { recordEvents } = await import("../../app/services/offers/tracking.server");
  await recordEvents(db, shop, "impression", { orderId: "gid://shopify/Order/1", customerId, surface: "thank_you" }, [{ productId: P(3), offerId: null, testId: null, arm: null }]);
}

describe("jobs", () => {
  it("the catalog sync job imports ten pages per run and enqueues its continuation; the fold job folds recorded orders; precompute refreshes every shop", async () => {
    const { catalogSyncJob, foldOrdersJob, precomputeJob } = await import("../../app/jobs/offers.server");
    await storeOfflineSession(shop);
    mockShopifyServer({ CatalogProducts: catalogPages(Array.from({ length: 12 }, (_, i) => productNode(i + 1)), 1) });
    const ctx = jobContext(db);
    const { enqueued } = ctx;
    await catalogSyncJob.run(ctx, { shopId: shop });
    expect(await db.catalogProduct.count({ where: { shopId: shop } })).toBe(10);
    expect(enqueued).toEqual([{ name: "offers.catalog-sync", payload: { shopId: shop }, key: `${shop}:10` }]);
    await catalogSyncJob.run(ctx, { shopId: shop });
    expect(await db.catalogProduct.count({ where: { shopId: shop } })).toBe(12);
    expect(enqueued).toHaveLength(1);

    await deliver("orders/paid", paidOrder({ customerId: "8801", products: [[1, "1.00"], [2, "1.00"]] }));
    await deliver("orders/paid", paidOrder({ customerId: "8802", products: [[1, "1.00"], [2, "1.00"]] }));
    const recommendations = () =>
      db.productRecommendation.findMany({ where: { shopId: shop }, select: { productId: true, recommendedId: true, support: true }, orderBy: { productId: "asc" } });
    const expected = [
      { productId: P(1), recommendedId: P(2), support: 2 },
      { productId: P(2), recommendedId: P(1), support: 2 },
    ];
    expect(await recommendations()).toEqual([]);
    await foldOrdersJob.run(ctx, {});
    expect(await db.purchaseHistoryOrder.count({ where: { shopId: shop, foldedAt: null } })).toBe(0);
    expect(await recommendations()).toEqual(expected);
    await db.productRecommendation.deleteMany({ where: { shopId: shop } });
    await precomputeJob.run(ctx, {});
    expect(await recommendations()).toEqual(expected);
  });
});
