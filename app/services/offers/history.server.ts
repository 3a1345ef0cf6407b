// Co-purchase history: which customers bought which products, folded into
// per-product buyer counts and per-pair "bought by both" counts. Built once
// from the store's past orders (paginated, resumable), which the import folds
// a page at a time (recordPurchases); then orders/paid records each new order
// (recordOrderPurchase) and the offers.fold-orders job folds what was
// recorded, in batches (foldRecordedOrders). Each order is folded in once
// (PurchaseHistoryOrder is its idempotency key), and either way the result
// equals a full rebuild over the same orders (see foldPurchases in
// ./engine.ts, and the tests).
import type { Db } from "../../db.server";
import { HISTORY_ORDERS } from "../../graphql/offers";
import {
  addPurchaseStats,
  allPairs,
  buyerCounts,
  buyersProducts,
  claimUnfoldedPurchases,
  getSyncState,
  invalidateBestSellers,
  offerSettings,
  recordedOrderIds,
  replaceRecommendations,
  saveSyncState,
  storeUnfoldedPurchases,
} from "../../models/offers.server";
import { retryOnUniqueViolation } from "../../models/errors";
import { isPostgres } from "../../models/sql";
import type { AdminGraphql } from "../shop-details.server";
import type { OrderPayload } from "../webhooks/payloads";
import { adminQuery, type ImportResult } from "./catalog.server";
import { foldPurchases, topK, type PurchaseRecord } from "./engine";

/** How many recommendations are kept per product. */
export const TOP_K = 12;
export const HISTORY_PAGE_SIZE = 100;
/** Products whose lists a full precompute computes at once (bounds its memory). */
const PRECOMPUTE_CHUNK = 200;

const gid = (type: string, id: string) => (id.startsWith("gid://") ? id : `gid://shopify/${type}/${id}`);

/** The purchase an orders/paid payload records, or null (cancelled, no products). */
export function purchaseOfOrder(order: OrderPayload): PurchaseRecord | null {
  if (order.cancelled_at) return null;
  const productIds = [...new Set(order.line_items.filter((l) => l.product_id && !l.gift_card).map((l) => gid("Product", l.product_id!)))];
  if (productIds.length === 0) return null;
  const orderId = gid("Order", order.id);
  return { orderId, buyerKey: order.customer?.id ? gid("Customer", order.customer.id) : orderId, productIds };
}

/**
 * Folds a batch of orders (an import page) into the statistics at once: one
 * transaction of a few bulk statements instead of one per order and pair.
 * Orders already recorded are skipped. Returns how many orders were new.
 */
export async function recordPurchases(db: Db, shopId: string, purchases: PurchaseRecord[]): Promise<number> {
  // A webhook's order of one of these buyers folded meanwhile: the batch is
  // folded again on what it wrote.
  const added = await retryOnUniqueViolation(() =>
    db.$transaction(
      async (tx) => {
        const recorded = await recordedOrderIds(tx, shopId, purchases.map((p) => p.orderId));
        const fresh = purchases.filter((p) => !recorded.has(p.orderId));
        if (fresh.length === 0) return 0;
        const fold = foldPurchases(fresh, await buyersProducts(tx, shopId, [...new Set(fresh.map((p) => p.buyerKey))]));
        await addPurchaseStats(tx, shopId, fold);
        return fold.orders.length;
      },
      { timeout: 60_000 },
    ),
  );
  if (added) invalidateBestSellers(db, shopId);
  return added;
}

/**
 * Recomputes the top-K rows of the given products (all, when omitted) from
 * the current statistics. Incremental updates recompute the products whose
 * pairs changed; scores of their partners drift slightly (a buyer count
 * changed) until the scheduled full precompute refreshes every product.
 */
export async function precomputeRecommendations(db: Db, shopId: string, productIds?: string[]) {
  const { minSupport } = await offerSettings(db, shopId);
  // Every product's buyer count for a full precompute; for a few products,
  // only theirs and their partners' (a big store has tens of thousands).
  const allBuyers = productIds ? null : await buyerCounts(db, shopId);
  const ids = productIds ?? [...allBuyers!.keys()];
  // A chunk of products at a time: only their pairs are in memory, never a
  // big store's millions.
  for (let i = 0; i < ids.length; i += PRECOMPUTE_CHUNK) {
    const chunk = ids.slice(i, i + PRECOMPUTE_CHUNK);
    const pairs = await allPairs(db, shopId, chunk, minSupport);
    const buyers = allBuyers ?? (await buyerCounts(db, shopId, [...new Set([...chunk, ...pairs.flatMap((p) => [p.a, p.b])])]));
    const lists = topK(pairs, buyers, TOP_K, minSupport, new Set(chunk));
    // Products that lost every pair (none here today) still get their rows cleared.
    for (let j = 0; j < chunk.length; j += 200) await replaceRecommendations(db, shopId, chunk.slice(j, j + 200), lists);
  }
  return ids.length;
}

/**
 * orders/paid: records the orders (one delivery's, or a batch of concurrent
 * deliveries') for the next fold (offers.fold-orders, every minute). Folding
 * here would cost each webhook a dozen statements and a refresh of its
 * products' lists; folded together, a flash sale's orders share them.
 */
export async function recordOrderPurchases(db: Db, shopId: string, orders: OrderPayload[]): Promise<string[]> {
  const purchases = orders.map(purchaseOfOrder);
  const stored = await storeUnfoldedPurchases(db, shopId, purchases.filter((p): p is PurchaseRecord => Boolean(p)));
  // (A twin of an order in the same batch finds it stored by the first.)
  const seen = new Set<string>();
  return purchases.map((p) => {
    if (!p) return "history-skipped";
    const first = stored.has(p.orderId) && !seen.has(p.orderId);
    seen.add(p.orderId);
    return first ? "history-recorded" : "history-duplicate";
  });
}

/** Orders claimed per fold transaction. */
/**
 * Orders folded per transaction. SQLite's one connection is the app
 * server's (its in-process jobs and its webhooks share it), and a fold
 * transaction holds it: smaller batches let the webhooks that queue meanwhile
 * through between them, instead of after seconds. Up to 10,000 orders a run
 * either way.
 */
const foldBatchSize = (db: Db) => (isPostgres(db) ? 500 : 50);
const FOLDED_PER_RUN = 10_000;

/**
 * Folds the orders orders/paid recorded into the statistics, a batch per
 * transaction, then refreshes the lists of the products whose pairs changed.
 * Safe to run anywhere at once: each batch is claimed (see
 * claimUnfoldedPurchases). Returns the orders folded and products refreshed.
 */
export async function foldRecordedOrders(db: Db, shopId: string, { now = () => new Date(), refresh = true } = {}) {
  let orders = 0;
  const changed = new Set<string>();
  const size = foldBatchSize(db);
  while (orders < FOLDED_PER_RUN) {
    // The event loop's turn between batches. On SQLite a transaction's
    // statements (BEGIN included) resolve without one (app/db/libsql.ts), so
    // a run's batches held the app server for as long as all of them took:
    // 22.8 s for 9,432 orders while its worker drained a backlog, every
    // webhook meanwhile unanswered (bench/results.md).
    if (orders > 0) await new Promise((resolve) => setImmediate(resolve));
    const folded = await foldBatch(db, shopId, size, now());
    if (!folded) break;
    orders += folded.orders;
    for (const id of folded.changed) changed.add(id);
    if (folded.orders < size) break;
  }
  if (changed.size) {
    // (The import's full precompute follows its fold: no refresh of its own.)
    // (Again when two refreshes replaced one list at once.)
    if (refresh) await retryOnUniqueViolation(() => precomputeRecommendations(db, shopId, [...changed]));
    invalidateBestSellers(db, shopId);
  }
  return { orders, products: changed.size };
}

function foldBatch(db: Db, shopId: string, size: number, now: Date): Promise<{ orders: number; changed: string[] } | null> {
  // A concurrent fold (or the import) added a product for one of these
  // buyers first: the batch is folded again on what it wrote.
  return retryOnUniqueViolation(() =>
    db.$transaction(
      async (tx) => {
        const claimed = await claimUnfoldedPurchases(tx, shopId, size, now);
        if (claimed.length === 0) return null;
        const fold = foldPurchases(claimed, await buyersProducts(tx, shopId, [...new Set(claimed.map((p) => p.buyerKey))]));
        await addPurchaseStats(tx, shopId, fold, { ordersStored: true });
        return { orders: claimed.length, changed: [...new Set([...fold.pairs.keys()].flatMap((k) => k.split("|")))] };
      },
      { timeout: 60_000 },
    ),
  );
}

interface OrderNode {
  id: string;
  cancelledAt: string | null;
  customer: { id: string } | null;
  lineItems: { nodes: { product: { id: string } | null }[] };
}

/**
 * Imports the store's past orders, continuing from the stored cursor (see
 * syncCatalog for the paging contract), a page per transaction. Orders the
 * webhooks already recorded are skipped by recordPurchases and folded at the
 * end, before a full precompute.
 */
export async function importHistory(db: Db, graphql: AdminGraphql, shopId: string, { maxPages = Infinity } = {}): Promise<ImportResult> {
  let state = await getSyncState(db, shopId, "history");
  if (!state || state.status !== "running") {
    state = await saveSyncState(db, shopId, "history", { status: "running", cursor: null, pages: 0, items: 0, error: null, startedAt: new Date(), finishedAt: null });
  }
  let { cursor, pages, items } = state;
  for (let page = 0; page < maxPages; page++) {
    let data: { orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: OrderNode[] } };
    try {
      data = await adminQuery(graphql, HISTORY_ORDERS, { first: HISTORY_PAGE_SIZE, after: cursor });
    } catch (error) {
      await saveSyncState(db, shopId, "history", { status: "running", error: String(error) });
      throw error;
    }
    const purchases = data.orders.nodes.flatMap((node): PurchaseRecord[] => {
      const productIds = [...new Set(node.lineItems.nodes.flatMap((l) => (l.product ? [l.product.id] : [])))];
      return node.cancelledAt || productIds.length === 0 ? [] : [{ orderId: node.id, buyerKey: node.customer?.id ?? node.id, productIds }];
    });
    await recordPurchases(db, shopId, purchases);
    items += purchases.length;
    pages++;
    cursor = data.orders.pageInfo.endCursor ?? cursor;
    if (!data.orders.pageInfo.hasNextPage) {
      // Orders that webhooks recorded meanwhile (skipped above) join now,
      // rather than at the fold job's next run, so the lists are whole at once.
      while ((await foldRecordedOrders(db, shopId, { refresh: false })).orders > 0);
      await precomputeRecommendations(db, shopId);
      await saveSyncState(db, shopId, "history", { status: "done", cursor, pages, items, error: null, finishedAt: new Date() });
      return { status: "done", pages, items };
    }
    await saveSyncState(db, shopId, "history", { status: "running", cursor, pages, items, error: null });
  }
  return { status: "running", pages, items };
}
