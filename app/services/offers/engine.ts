// The offers engine: which products a shopper who just bought a basket should
// be offered, and why. Pure: callers load the catalog, the merchant's rules
// and the precomputed co-purchase rows, and this decides.
//
// Order of sources: the merchant's matching rules (by priority), then what
// other customers bought together with the basket (co-purchase), then the
// merchant's chosen fallback products, then best-sellers. Whatever the
// source, a product is never offered when it is in the basket, unpublished,
// not active or out of stock, and never twice.
import { toMilli } from "../money";

export type TriggerType = "any" | "product" | "collection" | "tag" | "order_value";
export const TRIGGER_TYPES: readonly TriggerType[] = ["any", "product", "collection", "tag", "order_value"];

export type DiscountKind = "percent" | "amount";

export interface CatalogItem {
  productId: string;
  title: string;
  handle: string;
  imageUrl: string | null;
  price: string;
  currencyCode: string;
  status: string;
  published: boolean;
  /** Available inventory summed over variants; null when not tracked. */
  inventory: number | null;
  tags: string[];
  collectionIds: string[];
  /** First variant that can be bought, for the cart permalink. */
  variantId: string | null;
  deleted?: boolean;
}

export interface OfferRule {
  id: string;
  name: string;
  enabled: boolean;
  priority: number;
  triggerType: TriggerType;
  triggerValues: string[];
  minOrderValue: string | null;
  maxOrderValue: string | null;
  offeredProductIds: string[];
  discount: { kind: DiscountKind; value: string } | null;
  discountCode: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  createdAt?: Date;
}

export interface Basket {
  productIds: string[];
  /** Merchandise subtotal in shop currency, when known. */
  subtotal: string | null;
}

/** One precomputed co-purchase row: `recommendedId` for buyers of `productId`. */
export interface CoPurchaseRow {
  productId: string;
  recommendedId: string;
  score: number;
  support: number;
}

export type Reason =
  | { kind: "offer"; offerName: string }
  | { kind: "bought_together"; customers: number }
  | { kind: "merchant_pick" }
  | { kind: "best_seller"; customers: number };

export interface Pick {
  productId: string;
  offerId: string | null;
  discount: { kind: DiscountKind; value: string } | null;
  discountCode: string | null;
  reason: Reason;
}

/** A product a shopper may be offered: active, on the Online Store, in stock. */
export function isOfferable(item: CatalogItem | undefined): item is CatalogItem {
  if (!item || item.deleted) return false;
  if (item.status !== "ACTIVE" || !item.published) return false;
  if (item.inventory !== null && item.inventory <= 0) return false;
  return item.variantId !== null;
}

/** Whether a rule applies to this basket now. */
export function ruleMatches(rule: OfferRule, basket: Basket, catalog: Map<string, CatalogItem>, now: Date): boolean {
  if (!rule.enabled) return false;
  if (rule.startsAt && now < rule.startsAt) return false;
  if (rule.endsAt && now >= rule.endsAt) return false;
  // An order value range applies to every trigger type, when set.
  if (rule.minOrderValue || rule.maxOrderValue) {
    if (basket.subtotal === null) return false;
    const value = toMilli(basket.subtotal);
    if (rule.minOrderValue && value < toMilli(rule.minOrderValue)) return false;
    if (rule.maxOrderValue && value > toMilli(rule.maxOrderValue)) return false;
  }
  const bought = basket.productIds.map((id) => catalog.get(id));
  const wanted = new Set(rule.triggerValues);
  switch (rule.triggerType) {
    case "any":
    case "order_value":
      return true;
    case "product":
      return basket.productIds.some((id) => wanted.has(id));
    case "collection":
      return bought.some((p) => p?.collectionIds.some((c) => wanted.has(c)));
    case "tag": {
      const tags = new Set([...wanted].map((t) => t.toLowerCase()));
      return bought.some((p) => p?.tags.some((t) => tags.has(t.toLowerCase())));
    }
  }
}

/** Matching rules, highest priority first; ties go to the older rule, then the id. */
export function matchingRules(rules: OfferRule[], basket: Basket, catalog: Map<string, CatalogItem>, now: Date): OfferRule[] {
  return rules
    .filter((r) => ruleMatches(r, basket, catalog, now))
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) ||
        a.id.localeCompare(b.id),
    );
}

// ---------------------------------------------------------------------------
// Co-purchase scoring

/**
 * Cosine similarity of two products' buyer sets: together / √(buyersA ×
 * buyersB). Unlike a raw count, it does not let best-sellers drown everything
 * (a product everyone buys is "bought with" everything). Pairs seen fewer
 * than `minSupport` times are noise and score nothing.
 */
export function cosine(together: number, buyersA: number, buyersB: number, minSupport: number): number | null {
  if (together < Math.max(1, minSupport) || buyersA <= 0 || buyersB <= 0) return null;
  return together / Math.sqrt(buyersA * buyersB);
}

export interface PairCount {
  a: string;
  b: string;
  together: number;
}

/**
 * The top `k` co-purchased products for each product, from pair counts and
 * buyers per product. Ties: more customers together first, then product id,
 * so the order is stable.
 */
export function topK(
  pairs: PairCount[],
  buyers: Map<string, number>,
  k: number,
  minSupport: number,
  only?: Set<string>,
): Map<string, CoPurchaseRow[]> {
  const lists = new Map<string, CoPurchaseRow[]>();
  const push = (from: string, to: string, together: number) => {
    if (only && !only.has(from)) return;
    const score = cosine(together, buyers.get(from) ?? 0, buyers.get(to) ?? 0, minSupport);
    if (score === null) return;
    const list = lists.get(from) ?? [];
    list.push({ productId: from, recommendedId: to, score, support: together });
    lists.set(from, list);
  };
  for (const p of pairs) {
    push(p.a, p.b, p.together);
    push(p.b, p.a, p.together);
  }
  for (const [id, list] of lists) {
    list.sort(compareRows);
    lists.set(id, list.slice(0, k));
  }
  return lists;
}

export function compareRows(x: CoPurchaseRow, y: CoPurchaseRow): number {
  return y.score - x.score || y.support - x.support || x.recommendedId.localeCompare(y.recommendedId);
}

// ---------------------------------------------------------------------------
// Purchase history folding (what the incremental store must equal)

export interface PurchaseRecord {
  orderId: string;
  buyerKey: string;
  productIds: string[];
}

export interface PurchaseStats {
  buyers: Map<string, number>;
  /** key "a|b" with a < b */
  pairs: Map<string, number>;
}

export const pairKey = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

/**
 * What one more order adds, given what its buyer had already bought: each
 * product new to the buyer gains a buyer, and pairs with everything the buyer
 * bought before and with the other new products. Counts are per customer, so
 * buying the same two things twice counts once.
 */
export function purchaseDelta(previous: Set<string>, productIds: string[]) {
  const fresh = [...new Set(productIds)].filter((p) => !previous.has(p)).sort();
  const pairs: [string, string][] = [];
  fresh.forEach((p, i) => {
    for (const q of previous) pairs.push(pairKey(p, q));
    for (const q of fresh.slice(i + 1)) pairs.push(pairKey(p, q));
  });
  return { fresh, pairs };
}

export interface FoldResult extends PurchaseStats {
  /** The orders folded in (each order id once). */
  orders: PurchaseRecord[];
  /** [buyerKey, productId] pairs new to the buyer. */
  boughtNow: [string, string][];
}

/**
 * The statistics a batch of orders adds, given what each buyer had bought
 * before (`bought`, updated in place). From nothing, the statistics of a
 * whole history at once (the full rebuild); per batch, what the bulk import
 * adds to the stored counts — the same as folding the orders one by one.
 */
export function foldPurchases(orders: PurchaseRecord[], bought = new Map<string, Set<string>>()): FoldResult {
  const seenOrders = new Set<string>();
  const stats: FoldResult = { buyers: new Map(), pairs: new Map(), orders: [], boughtNow: [] };
  for (const order of orders) {
    if (seenOrders.has(order.orderId)) continue;
    seenOrders.add(order.orderId);
    stats.orders.push(order);
    const previous = bought.get(order.buyerKey) ?? new Set<string>();
    const { fresh, pairs } = purchaseDelta(previous, order.productIds);
    for (const p of fresh) stats.buyers.set(p, (stats.buyers.get(p) ?? 0) + 1);
    for (const [a, b] of pairs) stats.pairs.set(`${a}|${b}`, (stats.pairs.get(`${a}|${b}`) ?? 0) + 1);
    for (const p of fresh) {
      previous.add(p);
      stats.boughtNow.push([order.buyerKey, p]);
    }
    bought.set(order.buyerKey, previous);
  }
  return stats;
}

// ---------------------------------------------------------------------------
// Choosing what to show

export interface RecommendInput {
  basket: Basket;
  catalog: Map<string, CatalogItem>;
  rules: OfferRule[];
  /** Precomputed rows for the basket's products. */
  coPurchase: CoPurchaseRow[];
  fallbackProductIds: string[];
  /** Product ids with their buyer counts, best first. */
  bestSellers: { productId: string; buyers: number }[];
  limit: number;
  now: Date;
  /** A/B tests may swap a rule for another or hold it out (see ./ab.ts). */
  resolveRule?: (rule: OfferRule) => OfferRule | null;
}

export function recommend(input: RecommendInput): Pick[] {
  const { basket, catalog, limit } = input;
  const picks: Pick[] = [];
  if (limit <= 0) return picks;
  const excluded = new Set(basket.productIds);
  const take = (productId: string, pick: Omit<Pick, "productId">) => {
    if (picks.length >= limit || excluded.has(productId) || !isOfferable(catalog.get(productId))) return;
    excluded.add(productId);
    picks.push({ productId, ...pick });
  };

  for (const matched of matchingRules(input.rules, basket, catalog, input.now)) {
    const rule = input.resolveRule ? input.resolveRule(matched) : matched;
    if (!rule) continue;
    for (const productId of rule.offeredProductIds) {
      take(productId, {
        offerId: rule.id,
        discount: rule.discount,
        discountCode: rule.discount ? rule.discountCode : null,
        reason: { kind: "offer", offerName: rule.name },
      });
    }
  }

  // A candidate recommended for several basket products keeps its best row.
  const best = new Map<string, CoPurchaseRow>();
  for (const row of input.coPurchase) {
    if (!basket.productIds.includes(row.productId)) continue;
    const current = best.get(row.recommendedId);
    if (!current || compareRows(row, current) < 0) best.set(row.recommendedId, row);
  }
  for (const row of [...best.values()].sort(compareRows)) {
    take(row.recommendedId, { offerId: null, discount: null, discountCode: null, reason: { kind: "bought_together", customers: row.support } });
  }

  for (const productId of input.fallbackProductIds) {
    take(productId, { offerId: null, discount: null, discountCode: null, reason: { kind: "merchant_pick" } });
  }
  for (const seller of input.bestSellers) {
    take(seller.productId, { offerId: null, discount: null, discountCode: null, reason: { kind: "best_seller", customers: seller.buyers } });
  }
  return picks;
}

export function reasonText(reason: Reason): string {
  switch (reason.kind) {
    case "offer":
      return reason.offerName;
    case "bought_together":
      return `Bought together by ${reason.customers} ${reason.customers === 1 ? "customer" : "customers"}`;
    case "merchant_pick":
      return "Picked for you by the shop";
    case "best_seller":
      return `Best-seller: bought by ${reason.customers} ${reason.customers === 1 ? "customer" : "customers"}`;
  }
}
