// Data access for the offers feature: the catalog cache, the co-purchase
// statistics, the precomputed recommendations, offers, settings and tracking.
import type { Db, Tx } from "../db.server";
import { inList, insertStatement, newRowId, quoteNames, valuesList } from "./sql";
import { cachedShopData, invalidateShopData, SHOP_DATA_TTL_MS, TtlCache } from "../services/cache.server";
import type { CatalogItem, CoPurchaseRow, FoldResult, OfferRule, PurchaseRecord, TriggerType } from "../services/offers/engine";
import { direct } from "../db/direct";

type Client = Db | Tx;

export const parseList = (json: string | null | undefined): string[] => {
  if (!json) return [];
  try {
    const value = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
};

// ---------------------------------------------------------------------------
// Catalog

export interface CatalogProductData {
  productId: string;
  title: string;
  handle: string;
  imageUrl: string | null;
  vendor: string;
  tags: string[];
  /** undefined keeps what is stored (products/update carries no collections). */
  collectionIds?: string[];
  status: string;
  published: boolean;
  price: string;
  currencyCode: string;
  inventory: number | null;
  variants: { variantId: string; title: string; price: string; available: boolean; inventory: number | null }[];
}

export async function upsertCatalogProduct(db: Db, shopId: string, p: CatalogProductData, syncedAt = new Date()) {
  const values = {
    title: p.title,
    handle: p.handle,
    imageUrl: p.imageUrl,
    vendor: p.vendor,
    tags: JSON.stringify(p.tags),
    ...(p.collectionIds ? { collectionIds: JSON.stringify(p.collectionIds) } : {}),
    status: p.status,
    published: p.published,
    price: p.price,
    currencyCode: p.currencyCode,
    inventory: p.inventory,
    deletedAt: null,
    syncedAt,
  };
  await db.$transaction(async (tx) => {
    await tx.catalogProduct.upsert({
      where: { shopId_productId: { shopId, productId: p.productId } },
      create: { shopId, productId: p.productId, ...values },
      update: values,
    });
    await tx.catalogVariant.deleteMany({ where: { shopId, productId: p.productId, variantId: { notIn: p.variants.map((v) => v.variantId) } } });
    for (const [position, v] of p.variants.entries()) {
      const data = { productId: p.productId, title: v.title, price: v.price, available: v.available, inventory: v.inventory, position };
      await tx.catalogVariant.upsert({
        where: { shopId_variantId: { shopId, variantId: v.variantId } },
        create: { shopId, variantId: v.variantId, ...data },
        update: data,
      });
    }
  });
  invalidateCatalog(db, shopId, p.productId);
}

export async function markProductDeleted(db: Db, shopId: string, productId: string) {
  const result = await db.catalogProduct.updateMany({ where: { shopId, productId }, data: { deletedAt: new Date() } });
  invalidateCatalog(db, shopId, productId);
  return result;
}

/** After a full sync: products Shopify no longer listed are gone. */
export async function markUnseenDeleted(db: Db, shopId: string, since: Date) {
  const result = await db.catalogProduct.updateMany({ where: { shopId, syncedAt: { lt: since }, deletedAt: null }, data: { deletedAt: new Date() } });
  invalidateCatalog(db, shopId);
  return result;
}

/** Products per catalog read (well under the bind variable limits). */
const CATALOG_CHUNK = 500;

/**
 * Catalog items by product id, with the first buyable variant. One raw
 * statement per chunk (the variant by a subquery): the recommender reads the
 * items its cache misses on every answer, and a raw round trip costs a
 * fraction of the client's two queries.
 */
export async function loadCatalog(db: Db, shopId: string, productIds: string[]): Promise<Map<string, CatalogItem>> {
  const items = new Map<string, CatalogItem>();
  const ids = [...new Set(productIds)];
  for (let i = 0; i < ids.length; i += CATALOG_CHUNK) {
    const chunk = ids.slice(i, i + CATALOG_CHUNK);
    // (The item's own columns, with SQLite's numbers for booleans and the lists as stored JSON.)
    type Row = Omit<CatalogItem, "published" | "tags" | "collectionIds" | "deleted"> & { published: boolean | number; tags: string; collectionIds: string; deleted: number };
    const rows = await direct(db).$queryRawUnsafe<Row[]>(
      `SELECT p."productId", p."title", p."handle", p."imageUrl", p."price", p."currencyCode", p."status", p."published", p."inventory",
              p."tags", p."collectionIds", CASE WHEN p."deletedAt" IS NULL THEN 0 ELSE 1 END AS "deleted",
              (SELECT v."variantId" FROM "CatalogVariant" v
                WHERE v."shopId" = p."shopId" AND v."productId" = p."productId" AND v."available" = TRUE
                ORDER BY v."position", v."id" LIMIT 1) AS "variantId"
         FROM "CatalogProduct" p WHERE p."shopId" = $1 AND p."productId" IN (${inList(chunk.length, 2)})`,
      shopId,
      ...chunk,
    );
    for (const p of rows) {
      items.set(p.productId, {
        ...p,
        published: Boolean(p.published),
        inventory: p.inventory === null ? null : Number(p.inventory),
        tags: parseList(p.tags),
        collectionIds: parseList(p.collectionIds),
        deleted: Number(p.deleted) === 1,
      });
    }
  }
  return items;
}

// The recommender's candidates (rule, fallback and best-selling products, and
// the basket's co-purchases) repeat across a shop's answers: their catalog
// items are cached per product for the per-shop TTL (../services/cache.server.ts),
// in a cache of their own sized for a few big catalogs. A product's webhook
// forgets it in the process that handles it; other processes (the job
// workers handle webhooks) serve it at most the TTL late.
const catalogCaches = new WeakMap<object, TtlCache<CatalogItem | null>>();

function catalogCache(db: Db) {
  let cache = catalogCaches.get(db);
  if (!cache) catalogCaches.set(db, (cache = new TtlCache<CatalogItem | null>({ ttlMs: SHOP_DATA_TTL_MS, maxEntries: 200_000 })));
  return cache;
}

const catalogKey = (shopId: string, productId: string) => `${shopId}\u0000${productId}`;

/** loadCatalog of the given products, reading only those not cached (in one query). */
export async function cachedCatalog(db: Db, shopId: string, productIds: string[]): Promise<Map<string, CatalogItem>> {
  const cache = catalogCache(db);
  const items = new Map<string, Promise<CatalogItem | null>>();
  const missing: string[] = [];
  for (const id of new Set(productIds)) {
    const hit = cache.peek(catalogKey(shopId, id));
    if (hit) items.set(id, hit);
    else missing.push(id);
  }
  if (missing.length) {
    const loaded = loadCatalog(db, shopId, missing);
    for (const id of missing) items.set(id, cache.get(catalogKey(shopId, id), async () => (await loaded).get(id) ?? null));
  }
  const found = await Promise.all([...items].map(async ([id, item]) => [id, await item] as const));
  return new Map(found.filter((e): e is readonly [string, CatalogItem] => e[1] !== null));
}

/** After a catalog write: forgets the product's cached item (all of the shop's when omitted) in this process. */
export function invalidateCatalog(db: Db, shopId: string, productId?: string) {
  const cache = catalogCaches.get(db);
  if (!cache) return;
  if (productId) cache.delete(catalogKey(shopId, productId));
  else cache.deletePrefix(catalogKey(shopId, ""));
}

export function searchCatalog(db: Db, shopId: string, query: string, take = 20) {
  return db.catalogProduct.findMany({
    where: { shopId, deletedAt: null, ...(query ? { title: { contains: query } } : {}) },
    orderBy: { title: "asc" },
    take,
  });
}

// ---------------------------------------------------------------------------
// Import progress

export type SyncKind = "catalog" | "history";

export function getSyncState(db: Db, shopId: string, kind: SyncKind) {
  return db.offerSyncState.findUnique({ where: { shopId_kind: { shopId, kind } } });
}

export function saveSyncState(
  db: Db,
  shopId: string,
  kind: SyncKind,
  data: { status: string; cursor?: string | null; pages?: number; items?: number; error?: string | null; startedAt?: Date; finishedAt?: Date | null },
) {
  return db.offerSyncState.upsert({ where: { shopId_kind: { shopId, kind } }, create: { shopId, kind, ...data }, update: data });
}

// ---------------------------------------------------------------------------
// Co-purchase statistics and recommendations

// The fold's statements are raw: an import folds a big store's million
// orders, and a raw statement costs a fraction of a client query. Rows per
// statement stay under the bind variable limits (32766 on SQLite, 65535 on
// PostgreSQL).
const BULK_ROWS = 1000;
// Values per IN list of a client query (Prisma's own limit on SQLite is 999).
const PRISMA_ROWS = 150;

/** What the given buyers bought before, for folding a batch of their orders. */
export async function buyersProducts(tx: Client, shopId: string, buyerKeys: string[]): Promise<Map<string, Set<string>>> {
  const bought = new Map<string, Set<string>>();
  for (let i = 0; i < buyerKeys.length; i += BULK_ROWS) {
    const chunk = buyerKeys.slice(i, i + BULK_ROWS);
    const rows = await tx.$queryRawUnsafe<{ buyerKey: string; productId: string }[]>(
      `SELECT "buyerKey", "productId" FROM "PurchaseBuyerProduct" WHERE "shopId" = $1 AND "buyerKey" IN (${inList(chunk.length, 2)})`,
      shopId,
      ...chunk,
    );
    for (const r of rows) bought.set(r.buyerKey, (bought.get(r.buyerKey) ?? new Set()).add(r.productId));
  }
  return bought;
}

export async function recordedOrderIds(tx: Client, shopId: string, orderIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < orderIds.length; i += BULK_ROWS) {
    const chunk = orderIds.slice(i, i + BULK_ROWS);
    const rows = await tx.$queryRawUnsafe<{ orderId: string }[]>(
      `SELECT "orderId" FROM "PurchaseHistoryOrder" WHERE "shopId" = $1 AND "orderId" IN (${inList(chunk.length, 2)})`,
      shopId,
      ...chunk,
    );
    for (const r of rows) found.add(r.orderId);
  }
  return found;
}

/** Inserts rows given as objects keyed by column, BULK_ROWS per statement. */
async function insertRows<R extends Record<string, unknown>>(tx: Client, table: string, columns: readonly (keyof R & string)[], rows: R[]) {
  for (let i = 0; i < rows.length; i += BULK_ROWS) {
    const insert = insertStatement(tx, table, columns, rows.slice(i, i + BULK_ROWS));
    await tx.$executeRawUnsafe(insert.sql, ...insert.params);
  }
}

/**
 * Adds a folded batch to the stored statistics: its orders (unless they are
 * stored already, recorded by orders/paid and claimed by the fold), the buyers' new
 * products (both unique, so a concurrent fold of the same order or buyer
 * fails the batch with a unique violation), and the counts, incremented in
 * place by one INSERT … ON CONFLICT per chunk (the same statement on SQLite
 * and PostgreSQL).
 */
export async function addPurchaseStats(tx: Tx, shopId: string, fold: FoldResult, { ordersStored = false } = {}) {
  const createdAt = new Date();
  if (!ordersStored) {
    const orders = fold.orders.map((o) => ({ id: newRowId(), shopId, orderId: o.orderId, buyerKey: o.buyerKey, productIds: JSON.stringify(o.productIds), createdAt, foldedAt: createdAt }));
    await insertRows(tx, "PurchaseHistoryOrder", ["id", "shopId", "orderId", "buyerKey", "productIds", "createdAt", "foldedAt"], orders);
  }
  const bought = fold.boughtNow.map(([buyerKey, productId]) => ({ id: newRowId(), shopId, buyerKey, productId }));
  await insertRows(tx, "PurchaseBuyerProduct", ["id", "shopId", "buyerKey", "productId"], bought);

  const buyers = [...fold.buyers].map(([productId, n]) => [newRowId(), shopId, productId, n]);
  await upsertAdding(tx, "PurchaseProductStat", ["id", "shopId", "productId", "buyers"], ["shopId", "productId"], buyers);
  const pairs = [...fold.pairs].map(([key, n]) => [newRowId(), shopId, ...key.split("|"), n]);
  await upsertAdding(tx, "PurchasePair", ["id", "shopId", "productA", "productB", "buyers"], ["shopId", "productA", "productB"], pairs);
}

/** Inserts rows whose last column is a count, adding it to the stored count where the key exists. */
async function upsertAdding(tx: Tx, table: string, columns: string[], key: string[], rows: (string | number)[][]) {
  const count = columns[columns.length - 1];
  for (let i = 0; i < rows.length; i += BULK_ROWS) {
    const chunk = rows.slice(i, i + BULK_ROWS);
    await tx.$executeRawUnsafe(
      `INSERT INTO "${table}" (${quoteNames(columns)}) VALUES ${valuesList(chunk.length, columns.length)} ON CONFLICT (${quoteNames(key)}) DO UPDATE SET "${count}" = "${table}"."${count}" + excluded."${count}"`,
      ...chunk.flat(),
    );
  }
}

/**
 * orders/paid's one write for the co-purchase history: the orders, waiting to
 * be folded in (one statement for a batch of deliveries). An order stored
 * already (a repeated delivery) is left as it is; answers the orders stored now.
 */
export async function storeUnfoldedPurchases(db: Client, shopId: string, purchases: PurchaseRecord[]): Promise<Set<string>> {
  if (!purchases.length) return new Set();
  const createdAt = new Date();
  const rows = purchases.map((p) => ({ id: newRowId(), shopId, orderId: p.orderId, buyerKey: p.buyerKey, productIds: JSON.stringify(p.productIds), createdAt }));
  const insert = insertStatement(db, "PurchaseHistoryOrder", ["id", "shopId", "orderId", "buyerKey", "productIds", "createdAt"], rows);
  const stored = await direct(db).$queryRawUnsafe<{ orderId: string }[]>(`${insert.sql} ON CONFLICT ("shopId", "orderId") DO NOTHING RETURNING "orderId"`, ...insert.params);
  return new Set(stored.map((r) => r.orderId));
}

/** One order's record (false: stored already). */
export const storeUnfoldedPurchase = async (db: Client, shopId: string, purchase: PurchaseRecord) =>
  (await storeUnfoldedPurchases(db, shopId, [purchase])).size > 0;

/**
 * Claims up to `limit` recorded orders not yet folded in, oldest first,
 * marking them folded in the caller's transaction. A concurrent fold's claim
 * waits for this transaction's row locks and then finds them folded, so each
 * order is counted once.
 */
export async function claimUnfoldedPurchases(tx: Tx, shopId: string, limit: number, now: Date): Promise<PurchaseRecord[]> {
  const rows = await tx.$queryRaw<{ orderId: string; buyerKey: string; productIds: string }[]>`
    UPDATE "PurchaseHistoryOrder" SET "foldedAt" = ${now}
    WHERE "shopId" = ${shopId} AND "foldedAt" IS NULL AND "id" IN (
      SELECT "id" FROM "PurchaseHistoryOrder" WHERE "shopId" = ${shopId} AND "foldedAt" IS NULL ORDER BY "createdAt", "id" LIMIT ${limit}
    )
    RETURNING "orderId", "buyerKey", "productIds"`;
  return rows.map((r) => ({ orderId: r.orderId, buyerKey: r.buyerKey, productIds: JSON.parse(r.productIds) as string[] }));
}

/** Shops with recorded orders waiting to be folded in. */
export async function shopsWithUnfoldedPurchases(db: Db): Promise<string[]> {
  const groups = await db.purchaseHistoryOrder.groupBy({ by: ["shopId"], where: { foldedAt: null }, orderBy: { shopId: "asc" } });
  return groups.map((g) => g.shopId);
}

/**
 * Pairs bought together by at least `minSupport` buyers (fewer score
 * nothing: most pairs of a big store), of the given products or of all. For
 * given products, one index search per side joined by UNION: SQLite answers
 * `productA IN … OR productB IN …` by scanning every pair of the shop (a
 * full precompute over a million orders' pairs took minutes per chunk).
 */
export async function allPairs(db: Db, shopId: string, productIds?: string[], minSupport = 1) {
  type Row = { productA: string; productB: string; buyers: number };
  let rows: Row[];
  if (!productIds) {
    rows = await db.purchasePair.findMany({ where: { shopId, buyers: { gte: minSupport } }, select: { productA: true, productB: true, buyers: true } });
  } else {
    // (Keyed: a pair whose products fall in two chunks is read by both.)
    const pairs = new Map<string, Row>();
    for (let i = 0; i < productIds.length; i += BULK_ROWS) {
      const chunk = productIds.slice(i, i + BULK_ROWS);
      const ids = inList(chunk.length, 3);
      const found = await db.$queryRawUnsafe<Row[]>(
        `SELECT "productA", "productB", "buyers" FROM "PurchasePair" WHERE "shopId" = $1 AND "buyers" >= $2 AND "productA" IN (${ids})
         UNION
         SELECT "productA", "productB", "buyers" FROM "PurchasePair" WHERE "shopId" = $1 AND "buyers" >= $2 AND "productB" IN (${ids})`,
        shopId,
        minSupport,
        ...chunk,
      );
      for (const r of found) pairs.set(`${r.productA}|${r.productB}`, r);
    }
    rows = [...pairs.values()];
  }
  return rows.map((r) => ({ a: r.productA, b: r.productB, together: Number(r.buyers) }));
}

/** Buyers per product: of the given products, or of every product of the shop. */
export async function buyerCounts(db: Db, shopId: string, productIds?: string[]) {
  const counts = new Map<string, number>();
  const batches = productIds ? Array.from({ length: Math.ceil(productIds.length / PRISMA_ROWS) }, (_, i) => productIds.slice(i * PRISMA_ROWS, (i + 1) * PRISMA_ROWS)) : [undefined];
  for (const batch of batches) {
    const rows = await db.purchaseProductStat.findMany({ where: { shopId, ...(batch ? { productId: { in: batch } } : {}) }, select: { productId: true, buyers: true } });
    for (const r of rows) counts.set(r.productId, r.buyers);
  }
  return counts;
}

export function bestSellers(db: Db, shopId: string, take: number) {
  return db.purchaseProductStat.findMany({
    where: { shopId, buyers: { gt: 0 } },
    orderBy: [{ buyers: "desc" }, { productId: "asc" }],
    take,
    select: { productId: true, buyers: true },
  });
}

/** Replaces the precomputed rows of the given products. */
export async function replaceRecommendations(db: Db, shopId: string, productIds: string[], rows: Map<string, CoPurchaseRow[]>) {
  const computedAt = new Date();
  await db.$transaction(async (tx) => {
    await tx.productRecommendation.deleteMany({ where: { shopId, productId: { in: productIds } } });
    const data = productIds.flatMap((id) =>
      (rows.get(id) ?? []).map((r, rank) => ({ shopId, productId: id, rank, recommendedId: r.recommendedId, score: r.score, support: r.support, computedAt })),
    );
    if (data.length) await tx.productRecommendation.createMany({ data });
  });
}

/** What the thank-you block knows of an order, read together (see orderViewFacts). */
export interface OrderViewFacts {
  history: { buyerKey: string; productIds: string[] } | null;
  award: { customerId: string | null; status: string; merchandiseTotal: string; pointsAwarded: number; pointsReversed: number } | null;
  /** The token's customer, when given and known. */
  customer: { id: string; balance: number; redacted: boolean } | null;
  /** The precomputed recommendations of `productIds`, by product then rank. */
  coPurchase: CoPurchaseRow[];
}

/**
 * The thank-you / order status block's reads in one statement: the order's
 * history row and award, the token's customer and the recommendations of the
 * products the extension sent (the order's, almost always). The block is on
 * every order's page, and one raw round trip costs a fraction of four
 * client queries. Rows of each part share generic columns, told apart by
 * "kind".
 */
export async function orderViewFacts(
  db: Db,
  shopId: string,
  input: { orderId: string; customerShopifyId: string | null; productIds: string[] },
): Promise<OrderViewFacts> {
  const parts = [
    // (Typed NULLs: PostgreSQL types a UNION's columns from its first branches.)
    `SELECT 'history' AS "kind", "buyerKey" AS "a", "productIds" AS "b", CAST(NULL AS TEXT) AS "c",
       CAST(NULL AS INTEGER) AS "n1", CAST(NULL AS INTEGER) AS "n2", CAST(NULL AS DOUBLE PRECISION) AS "x"
       FROM "PurchaseHistoryOrder" WHERE "shopId" = $1 AND "orderId" = $2`,
    `SELECT 'award', "customerId", "status", "merchandiseTotal", "pointsAwarded", "pointsReversed", NULL
       FROM "OrderAward" WHERE "shopId" = $1 AND "orderId" = $2`,
  ];
  const params: unknown[] = [shopId, input.orderId];
  if (input.customerShopifyId) {
    params.push(input.customerShopifyId);
    parts.push(`SELECT 'customer', "id", NULL, NULL, "balance", CASE WHEN "redactedAt" IS NULL THEN 0 ELSE 1 END, NULL
       FROM "Customer" WHERE "shopId" = $1 AND "shopifyId" = $${params.length}`);
  }
  const productIds = [...new Set(input.productIds)];
  if (productIds.length) {
    parts.push(`SELECT 'rec', "productId", "recommendedId", NULL, "rank", "support", "score"
       FROM "ProductRecommendation" WHERE "shopId" = $1 AND "productId" IN (${inList(productIds.length, params.length + 1)})`);
    params.push(...productIds);
  }
  const rows = await direct(db).$queryRawUnsafe<{ kind: string; a: string | null; b: string | null; c: string | null; n1: number | null; n2: number | null; x: number | null }[]>(
    parts.join("\n UNION ALL\n"),
    ...params,
  );
  const facts: OrderViewFacts = { history: null, award: null, customer: null, coPurchase: [] };
  const ranked: (CoPurchaseRow & { rank: number })[] = [];
  for (const r of rows) {
    if (r.kind === "history") facts.history = { buyerKey: r.a!, productIds: JSON.parse(r.b!) as string[] };
    else if (r.kind === "award") facts.award = { customerId: r.a, status: r.b!, merchandiseTotal: r.c!, pointsAwarded: Number(r.n1), pointsReversed: Number(r.n2) };
    else if (r.kind === "customer") facts.customer = { id: r.a!, balance: Number(r.n1), redacted: Number(r.n2) === 1 };
    else ranked.push({ productId: r.a!, recommendedId: r.b!, rank: Number(r.n1), support: Number(r.n2), score: Number(r.x) });
  }
  // recommendationsFor's order: by product, then rank.
  ranked.sort((p, q) => (p.productId < q.productId ? -1 : p.productId > q.productId ? 1 : p.rank - q.rank));
  facts.coPurchase = ranked.map(({ rank: _rank, ...row }) => row);
  return facts;
}

export async function recommendationsFor(db: Db, shopId: string, productIds: string[]): Promise<CoPurchaseRow[]> {
  if (productIds.length === 0) return [];
  return db.productRecommendation.findMany({
    where: { shopId, productId: { in: productIds } },
    orderBy: [{ productId: "asc" }, { rank: "asc" }],
    select: { productId: true, recommendedId: true, score: true, support: true },
  });
}

/** An impression or click of an offered product. */
export interface OfferEventData {
  shopId: string;
  type: "impression" | "click";
  orderId: string;
  customerId: string | null;
  surface: string;
  productId: string;
  offerId: string | null;
  testId: string | null;
  arm: string | null;
}

/**
 * Records offer events, one statement for all of a page's offers (it is on
 * every order's page). Shown again (a reload), the events already recorded
 * are skipped: one per order, product, surface and type.
 */
export async function insertOfferEvents(db: Db, events: OfferEventData[]) {
  if (events.length === 0) return;
  const createdAt = new Date();
  const insert = insertStatement(
    db,
    "OfferEvent",
    ["id", "shopId", "type", "orderId", "customerId", "surface", "productId", "offerId", "testId", "arm", "createdAt"],
    events.map((e) => ({ ...e, id: newRowId(), createdAt })),
  );
  await direct(db).$executeRawUnsafe(`${insert.sql} ON CONFLICT ("shopId", "type", "orderId", "productId", "surface") DO NOTHING`, ...insert.params);
}

// ---------------------------------------------------------------------------
// Offers and settings

export type OfferRow = NonNullable<Awaited<ReturnType<Db["offer"]["findFirst"]>>>;

/** The columns ruleOf reads. */
export const RULE_COLUMNS = {
  id: true,
  name: true,
  enabled: true,
  priority: true,
  triggerType: true,
  triggerValues: true,
  minOrderValue: true,
  maxOrderValue: true,
  offeredProductIds: true,
  discountKind: true,
  discountValue: true,
  discountCode: true,
  startsAt: true,
  endsAt: true,
  createdAt: true,
} as const;

export function ruleOf(o: Pick<OfferRow, keyof typeof RULE_COLUMNS>): OfferRule {
  return {
    id: o.id,
    name: o.name,
    enabled: o.enabled,
    priority: o.priority,
    triggerType: o.triggerType as TriggerType,
    triggerValues: parseList(o.triggerValues),
    minOrderValue: o.minOrderValue,
    maxOrderValue: o.maxOrderValue,
    offeredProductIds: parseList(o.offeredProductIds),
    discount: o.discountKind && o.discountValue ? { kind: o.discountKind as "percent" | "amount", value: o.discountValue } : null,
    discountCode: o.discountCode,
    startsAt: o.startsAt,
    endsAt: o.endsAt,
    createdAt: o.createdAt,
  };
}

export function listOffers(db: Db, shopId: string) {
  return db.offer.findMany({ where: { shopId }, orderBy: [{ priority: "desc" }, { createdAt: "asc" }] });
}

/** The shop's offers as the recommender's rules (in listOffers' order), reading only their columns. */
export async function offerRules(db: Db, shopId: string): Promise<OfferRule[]> {
  const rows = await db.offer.findMany({ where: { shopId }, orderBy: [{ priority: "desc" }, { createdAt: "asc" }], select: RULE_COLUMNS });
  return rows.map(ruleOf);
}

export function getOffer(db: Db, shopId: string, id: string) {
  return db.offer.findFirst({ where: { shopId, id } });
}

export async function offerSettings(db: Db, shopId: string) {
  const row = await db.offerSettings.findUnique({ where: { shopId }, select: { fallbackProductIds: true, minSupport: true } });
  return { fallbackProductIds: parseList(row?.fallbackProductIds), minSupport: row?.minSupport ?? 2 };
}

export async function saveOfferSettings(db: Db, shopId: string, data: { fallbackProductIds: string[]; minSupport: number }) {
  const values = { fallbackProductIds: JSON.stringify(data.fallbackProductIds), minSupport: data.minSupport };
  const saved = await db.offerSettings.upsert({ where: { shopId }, create: { shopId, ...values }, update: values });
  invalidateOffersData(db, shopId);
  return saved;
}

// ---------------------------------------------------------------------------
// What the recommender reads of a shop on every answer, from the in-process
// cache (../services/cache.server.ts: a few seconds' TTL bounds what other
// servers serve after a write; this server forgets at once).

const OFFERS_DATA = ["offer-rules", "offer-settings", "offer-tests", "best-sellers"];

/** After a write to offers, offer settings or A/B tests (or the shop's statistics): forget what this process cached. */
export function invalidateOffersData(db: Db, shopId: string) {
  invalidateShopData(db, shopId, ...OFFERS_DATA);
}

/** The best-sellers only: after purchases are recorded. */
export function invalidateBestSellers(db: Db, shopId: string) {
  invalidateShopData(db, shopId, "best-sellers");
}

export const cachedOfferRules = (db: Db, shopId: string) => cachedShopData(db, shopId, "offer-rules", () => offerRules(db, shopId));

export const cachedOfferSettings = (db: Db, shopId: string) => cachedShopData(db, shopId, "offer-settings", () => offerSettings(db, shopId));

/** The top `take` best-sellers, cut from a cached list read in steps of 50 (few variants per shop). */
export async function cachedBestSellers(db: Db, shopId: string, take: number) {
  const step = Math.max(50, Math.ceil(take / 50) * 50);
  const rows = await cachedShopData(db, shopId, `best-sellers:${step}`, () => bestSellers(db, shopId, step));
  return rows.slice(0, take);
}
