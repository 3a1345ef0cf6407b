// Co-purchase history: which customers bought which products, folded into
// per-product buyer counts and per-pair "bought by both" counts. Built once
// from the store's past orders (paginated, resumable) and then one order at a
// time from orders/paid. The import folds a page of orders at once
// (recordPurchases); a webhook folds its one order (recordPurchase). Each order
// is folded in once (PurchaseHistoryOrder is its idempotency key), and either
// way the result equals a full rebuild over the same orders (see
// foldPurchases in ./engine.ts, and the tests).
import type { Db } from "../../db.server";
import { HISTORY_ORDERS } from "../../graphql/offers";
import {
  addPurchaseStats,
  allPairs,
  buyerCounts,
  buyerProducts,
  buyersProducts,
  getSyncState,
  invalidateBestSellers,
  offerSettings,
  recordedOrderIds,
  replaceRecommendations,
  saveSyncState,
} from "../../models/offers.server";
import { isUniqueViolation } from "../../models/errors";
import type { AdminGraphql } from "../shop-details.server";
import type { OrderPayload } from "../webhooks/payloads";
import { adminQuery, type ImportResult } from "./catalog.server";
import { foldPurchases, purchaseDelta, topK, type PurchaseRecord } from "./engine";

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
 * Folds one order into the statistics. Returns the products whose pair counts
 * changed (their precomputed lists are out of date), or [] for an order
 * already recorded.
 */
export async function recordPurchase(db: Db, shopId: string, purchase: PurchaseRecord): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const changed = await db.$transaction(async (tx) => {
        await tx.purchaseHistoryOrder.create({
          data: { shopId, orderId: purchase.orderId, buyerKey: purchase.buyerKey, productIds: JSON.stringify(purchase.productIds) },
        });
        const previous = new Set((await buyerProducts(tx, shopId, purchase.buyerKey)).map((r) => r.productId));
        const { fresh, pairs } = purchaseDelta(previous, purchase.productIds);
        for (const productId of fresh) {
          await tx.purchaseBuyerProduct.create({ data: { shopId, buyerKey: purchase.buyerKey, productId } });
          await tx.purchaseProductStat.upsert({
            where: { shopId_productId: { shopId, productId } },
            create: { shopId, productId, buyers: 1 },
            update: { buyers: { increment: 1 } },
          });
        }
        for (const [productA, productB] of pairs) {
          await tx.purchasePair.upsert({
            where: { shopId_productA_productB: { shopId, productA, productB } },
            create: { shopId, productA, productB, buyers: 1 },
            update: { buyers: { increment: 1 } },
          });
        }
        return [...new Set(pairs.flat())];
      });
      invalidateBestSellers(db, shopId);
      return changed;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Already folded in (a second delivery, or the import met a webhook's order).
      if (await db.purchaseHistoryOrder.findUnique({ where: { shopId_orderId: { shopId, orderId: purchase.orderId } } })) return [];
      // Another order of the same buyer committed first: run again on what it wrote.
      if (attempt >= 4) throw error;
    }
  }
}

/**
 * Folds a batch of orders (an import page) into the statistics at once: one
 * transaction of a few bulk statements instead of one per order and pair.
 * Orders already recorded are skipped. Returns how many orders were new.
 */
export async function recordPurchases(db: Db, shopId: string, purchases: PurchaseRecord[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const added = await db.$transaction(
        async (tx) => {
          const recorded = await recordedOrderIds(tx, shopId, purchases.map((p) => p.orderId));
          const fresh = purchases.filter((p) => !recorded.has(p.orderId));
          if (fresh.length === 0) return 0;
          const fold = foldPurchases(fresh, await buyersProducts(tx, shopId, [...new Set(fresh.map((p) => p.buyerKey))]));
          await addPurchaseStats(tx, shopId, fold);
          return fold.orders.length;
        },
        { timeout: 60_000 },
      );
      if (added) invalidateBestSellers(db, shopId);
      return added;
    } catch (error) {
      // A webhook folded one of these orders, or another order of one of
      // these buyers, meanwhile: fold the batch again on what it wrote.
      if (!isUniqueViolation(error) || attempt >= 4) throw error;
    }
  }
}

/**
 * Recomputes the top-K rows of the given products (all, when omitted) from
 * the current statistics. Incremental updates recompute the products whose
 * pairs changed; scores of their partners drift slightly (a buyer count
 * changed) until the scheduled full precompute refreshes every product.
 */
export async function precomputeRecommendations(db: Db, shopId: string, productIds?: string[]) {
  const { minSupport } = await offerSettings(db, shopId);
  const buyers = await buyerCounts(db, shopId);
  const ids = productIds ?? [...buyers.keys()];
  // A chunk of products at a time: only their pairs are in memory, never a
  // big store's millions.
  for (let i = 0; i < ids.length; i += PRECOMPUTE_CHUNK) {
    const chunk = ids.slice(i, i + PRECOMPUTE_CHUNK);
    const lists = topK(await allPairs(db, shopId, chunk, minSupport), buyers, TOP_K, minSupport, new Set(chunk));
    // Products that lost every pair (none here today) still get their rows cleared.
    for (let j = 0; j < chunk.length; j += 200) await replaceRecommendations(db, shopId, chunk.slice(j, j + 200), lists);
  }
  return ids.length;
}

/** orders/paid: fold the order in and refresh the affected products' lists. */
export async function recordOrderPurchase(db: Db, shopId: string, order: OrderPayload) {
  const purchase = purchaseOfOrder(order);
  if (!purchase) return { status: "history-skipped" };
  const changed = await recordPurchase(db, shopId, purchase);
  for (let attempt = 1; changed.length; attempt++) {
    try {
      await precomputeRecommendations(db, shopId, changed);
      break;
    } catch (error) {
      // Two orders sharing a product replaced its list at the same moment:
      // this one recomputes from the statistics both have written, and
      // replaces again rather than failing the delivery.
      if (!isUniqueViolation(error) || attempt >= 4) throw error;
    }
  }
  return { status: "history-recorded" };
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
 * webhooks already recorded are skipped by recordPurchases. A full precompute runs at the end.
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
      await precomputeRecommendations(db, shopId);
      await saveSyncState(db, shopId, "history", { status: "done", cursor, pages, items, error: null, finishedAt: new Date() });
      return { status: "done", pages, items };
    }
    await saveSyncState(db, shopId, "history", { status: "running", cursor, pages, items, error: null });
  }
  return { status: "running", pages, items };
}
