// Offers at a big store's size: 10,000 products and 1,000,000 past orders.
//
// Co-purchase build: the orders are folded into the statistics through the
// history import's own path (recordPurchases, a page of orders per
// transaction), then every product's top-K is precomputed; then the cost of
// one more order as orders/paid records it. Offers endpoint: the thank-you
// extension's answer (answerExtension: the extension route minus the session
// token check) for distinct orders with varied baskets, on that database
// plus the catalog, merchant rules, an A/B test, customers and awards.
//
// Orders come from a seeded PRNG with co-purchase structure: products belong
// to themes (think "denim", "running"), a customer mostly buys within their
// theme, and best-sellers are skewed; a fifth of orders are guests' and a few
// loyal customers order often.
import type { Db } from "../app/db.server.ts";
import type { PurchaseRecord } from "../app/services/offers/engine.ts";
import { answerExtension, type ExtensionRequest } from "../app/services/offers/extension-api.server.ts";
import { foldRecordedOrders, precomputeRecommendations, recordPurchases } from "../app/services/offers/history.server.ts";
import { storeUnfoldedPurchase } from "../app/models/offers.server.ts";
import { dropDatabase, freshDatabase, insertAll, mb, openDb, type Provider } from "./db.ts";
import { round, runLoad, type LoadResult } from "./stats.ts";

const SHOP = "bench-offers.myshopify.com";
export const FULL_ORDERS = 1_000_000;
const PRODUCTS = 10_000;
const THEMES = 400;
const PER_THEME = PRODUCTS / THEMES;

const productGid = (n: number) => `gid://shopify/Product/${1_000_000 + n}`;
const customerGid = (n: number) => `gid://shopify/Customer/${5_000_000 + n}`;
const customerRowId = (n: number) => `bench-customer-${n}`;
const productNumber = (gid: string) => Number(gid.slice(gid.lastIndexOf("/") + 1)) - 1_000_000;

/** A small fast PRNG (mulberry32): the same history on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Order extends PurchaseRecord {
  customer: number | null;
  subtotal: string;
}

/** The store's orders, oldest first; `customers` members, ~4 orders each. */
export function orderStream(orders: number, seed = 42) {
  const random = prng(seed);
  const customers = Math.max(10, Math.round(orders / 4));
  const loyal = Math.max(1, Math.round(customers / 100));
  let i = 0;
  const next = (): Order => {
    const orderId = `gid://shopify/Order/${10_000_000 + i++}`;
    const r = random();
    const customer = r < 0.2 ? null : r < 0.25 ? Math.floor(random() * loyal) : Math.floor(random() * customers);
    const theme = customer === null ? Math.floor(random() * THEMES) : (Math.imul(customer, 2654435761) >>> 0) % THEMES;
    const s = random();
    const size = s < 0.45 ? 1 : s < 0.75 ? 2 : s < 0.9 ? 3 : 4 + Math.floor(random() * 3);
    const products = Array.from({ length: size }, () =>
      random() < 0.7 ? theme * PER_THEME + Math.floor(PER_THEME * random() ** 2) : Math.floor(PRODUCTS * random() ** 3),
    );
    return {
      orderId,
      buyerKey: customer === null ? orderId : customerGid(customer),
      productIds: [...new Set(products.map(productGid))],
      customer,
      subtotal: products.reduce((sum, p) => sum + price(p), 0).toFixed(2),
    };
  };
  return { customers, next };
}

const price = (product: number) => 10 + (product % 90);

export interface CoPurchaseResult {
  provider: Provider;
  orders: number;
  ordersPerTransaction: number;
  buildSeconds: number;
  ordersPerSecond: number;
  /** Peak resident set size while building, and before it. */
  peakRssMb: number;
  baselineRssMb: number;
  rows: { buyerProducts: number; pairs: number; recommendations: number };
  precomputeSeconds: number;
  /** One more order through recordPurchase (statistics only). */
  incremental: LoadResult;
  /** …and with its products' lists refreshed, as orders/paid does. */
  incrementalWithRefresh: LoadResult;
}

export interface OffersEndpointResult {
  provider: Provider;
  orders: number;
  products: number;
  load: LoadResult[];
  /** Share of answers with a "bought together" offer. */
  boughtTogetherShare: number;
}

export async function benchOffers(
  provider: Provider,
  options: { scale: number; batch: number; endpoint: boolean; requests: number; levels: number[]; log: (s: string) => void },
): Promise<{ copurchase: CoPurchaseResult; endpoint: OffersEndpointResult | null }> {
  const { log } = options;
  const name = "encore_bench_offers";
  const db = await openDb(freshDatabase(provider, name));
  try {
    const totalOrders = Math.round(FULL_ORDERS * options.scale);
    const stream = orderStream(totalOrders);
    await db.shop.create({ data: { id: SHOP, name: "Bench offers" } });

    log(`  ${provider}: folding ${totalOrders} orders into the co-purchase statistics…`);
    // The last orders are kept for the endpoint's requests.
    const keep = options.endpoint ? options.requests * options.levels.length + 200 : 0;
    const recent: Order[] = [];
    const baselineRss = process.memoryUsage().rss;
    let peakRss = baselineRss;
    const started = performance.now();
    for (let done = 0; done < totalOrders; ) {
      const page = Array.from({ length: Math.min(options.batch, totalOrders - done) }, stream.next);
      await recordPurchases(db, SHOP, page);
      // The import waits for the Admin API between pages; so the event loop
      // turns here too (SQLite's driver frees finished statements then).
      await new Promise(setImmediate);
      done += page.length;
      if (done > totalOrders - keep) recent.push(...page.slice(Math.max(0, page.length - (done - (totalOrders - keep)))));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (done % 100_000 === 0) log(`    ${done} orders, ${round((performance.now() - started) / 1000, 1)} s`);
    }
    const buildSeconds = (performance.now() - started) / 1000;
    const precomputeStarted = performance.now();
    await precomputeRecommendations(db, SHOP);
    const precomputeSeconds = (performance.now() - precomputeStarted) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    // orders/paid only records the order; the fold job adds it to the counts
    // and refreshes its products' lists (here one order per fold, its worst case).
    const incremental = await runLoad(1000, 1, async () => storeUnfoldedPurchase(db, SHOP, stream.next()));
    const incrementalWithRefresh = await runLoad(1000, 1, async () => {
      await storeUnfoldedPurchase(db, SHOP, stream.next());
      return (await foldRecordedOrders(db, SHOP)).orders === 1;
    });
    const copurchase: CoPurchaseResult = {
      provider,
      orders: totalOrders,
      ordersPerTransaction: options.batch,
      buildSeconds: round(buildSeconds, 1),
      ordersPerSecond: Math.round(totalOrders / buildSeconds),
      peakRssMb: mb(peakRss),
      baselineRssMb: mb(baselineRss),
      rows: {
        buyerProducts: await db.purchaseBuyerProduct.count({ where: { shopId: SHOP } }),
        pairs: await db.purchasePair.count({ where: { shopId: SHOP } }),
        recommendations: await db.productRecommendation.count({ where: { shopId: SHOP } }),
      },
      precomputeSeconds: round(precomputeSeconds, 1),
      incremental,
      incrementalWithRefresh,
    };
    log(
      `  ${provider} co-purchase: ${totalOrders} orders in ${copurchase.buildSeconds} s (${copurchase.ordersPerSecond}/s), peak RSS ${copurchase.peakRssMb} MB; ` +
        `precompute ${copurchase.precomputeSeconds} s; one more order p50 ${incremental.p50Ms} ms (with refresh ${incrementalWithRefresh.p50Ms} ms)`,
    );
    if (!options.endpoint) return { copurchase, endpoint: null };

    await seedStorefront(db, stream.customers, recent);
    const endpoint = await loadEndpoint(db, provider, totalOrders, recent, options);
    return { copurchase, endpoint };
  } finally {
    await db.$disconnect();
    dropDatabase(provider, name);
  }
}

/** What the endpoint reads besides the statistics: catalog, rules, an A/B test, customers and the recent orders' awards. */
async function seedStorefront(db: Db, customers: number, recent: Order[]) {
  const shopId = SHOP;
  const ids = Array.from({ length: PRODUCTS }, (_, n) => n);
  await insertAll(ids, (chunk) =>
    db.catalogProduct.createMany({
      data: chunk.map((n) => ({
        shopId,
        productId: productGid(n),
        title: `Product ${n}`,
        handle: `product-${n}`,
        imageUrl: `https://cdn.example.com/${n}.png`,
        tags: JSON.stringify([`theme-${Math.floor(n / PER_THEME)}`]),
        collectionIds: JSON.stringify([`gid://shopify/Collection/${Math.floor(n / PER_THEME)}`]),
        // A few drafts and sold-out products, which are never offered.
        status: n % 50 === 7 ? "DRAFT" : "ACTIVE",
        published: n % 50 !== 7,
        price: price(n).toFixed(2),
        currencyCode: "USD",
        inventory: n % 33 === 5 ? 0 : 10 + (n % 400),
      })),
    }),
  );
  await insertAll(ids, (chunk) =>
    db.catalogVariant.createMany({
      data: chunk.map((n) => ({ shopId, productId: productGid(n), variantId: `gid://shopify/ProductVariant/${2_000_000 + n}`, title: "Default", price: price(n).toFixed(2), available: true, inventory: 10 })),
    }),
  );
  const offer = (name: string, data: Partial<Parameters<Db["offer"]["create"]>[0]["data"]>) =>
    db.offer.create({ data: { shopId, name, triggerType: "any", ...data } });
  await offer("Big basket bonus", { triggerType: "order_value", minOrderValue: "150.00", offeredProductIds: JSON.stringify([productGid(5), productGid(6)]), discountKind: "percent", discountValue: "10", discountCode: "BIG10", priority: 3 });
  const popular = await offer("Best-seller companion", { triggerType: "product", triggerValues: JSON.stringify(ids.slice(0, 50).map(productGid)), offeredProductIds: JSON.stringify([productGid(100)]), discountKind: "amount", discountValue: "5.00", discountCode: "PAIR5", priority: 2 });
  await offer("Theme 1–20 collection", { triggerType: "collection", triggerValues: JSON.stringify(ids.slice(1, 21).map((t) => `gid://shopify/Collection/${t}`)), offeredProductIds: JSON.stringify([productGid(30), productGid(31)]), priority: 1 });
  await offer("Theme 3 tag", { triggerType: "tag", triggerValues: JSON.stringify(["theme-3"]), offeredProductIds: JSON.stringify([productGid(80)]) });
  await offer("Paused", { enabled: false, offeredProductIds: JSON.stringify([productGid(9)]) });
  await db.offerTest.create({ data: { shopId, name: "Companion vs nothing", offerAId: popular.id, offerBId: null, splitB: 50 } });
  await db.offerSettings.create({ data: { shopId, fallbackProductIds: JSON.stringify([productGid(1), productGid(2), productGid(3)]) } });

  const members = Array.from({ length: customers }, (_, n) => n);
  await insertAll(members, (chunk) =>
    db.customer.createMany({
      data: chunk.map((n) => ({ id: customerRowId(n), shopId, shopifyId: customerGid(n), email: `c${n}@example.com`, searchText: `c${n}@example.com`, balance: (n * 37) % 2000 })),
    }),
  );
  await insertAll(recent, (chunk) =>
    db.orderAward.createMany({
      data: chunk.map((o) => ({
        shopId,
        orderId: o.orderId,
        customerId: o.customer === null ? null : customerRowId(o.customer),
        status: o.customer === null ? "guest" : "awarded",
        currencyCode: "USD",
        merchandiseTotal: o.subtotal,
        rate: "1",
        rounding: "floor",
        pointsAwarded: o.customer === null ? 0 : Math.floor(Number(o.subtotal)),
        lines: "[]",
      })),
    }),
  );
}

async function loadEndpoint(db: Db, provider: Provider, orders: number, recent: Order[], options: { requests: number; levels: number[]; log: (s: string) => void }) {
  // Every fifth thank-you page is ahead of its webhook: the order is not in
  // the history yet and the extension's lines are what Encore knows of it.
  const requests = recent.map((o, i): ExtensionRequest => {
    const ahead = i % 5 === 4;
    return {
      shopId: SHOP,
      customerId: o.customer === null ? null : customerGid(o.customer),
      orderId: ahead ? o.orderId.replace("/Order/", "/OrderIdentity/9") : o.orderId.replace("/Order/", "/OrderIdentity/"),
      surface: "thank_you",
      limit: 3,
      lines: o.productIds.map((productId) => ({ productId, quantity: 1, amount: price(productNumber(productId)).toFixed(2) })),
    };
  });
  const deps = { db, adminFor: async () => null, appUrl: "https://encore.example.com", secret: "bench-secret" };
  let boughtTogether = 0;
  const send = (offset: number) => async (i: number) => {
    const result = await answerExtension(deps, requests[offset + i]);
    if (result.status !== 200 || !("offers" in result.body) || result.body.offers.length === 0) return false;
    if (result.body.offers.some((o) => o.reason.startsWith("Bought together"))) boughtTogether++;
    return true;
  };
  await runLoad(200, 4, send(0)); // warm-up: JIT, pools, statement caches
  boughtTogether = 0;
  const load: LoadResult[] = [];
  for (const [n, concurrency] of options.levels.entries()) {
    const result = await runLoad(options.requests, concurrency, send(200 + n * options.requests));
    options.log(`  ${provider} offers ×${concurrency}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.perSecond}/s, errors ${result.errors}`);
    load.push(result);
  }
  return { provider, orders, products: PRODUCTS, load, boughtTogetherShare: round(boughtTogether / (options.requests * options.levels.length), 3) };
}
