// VIP tiers: which tier each customer is in, recomputed on every order,
// refund and cancellation (in the same transaction) and daily for rolling
// windows. Every move is recorded as a TierChange.
import type { Db, Tx } from "../../db.server";
import { activeShops } from "../../models/shop.server";
import { direct } from "../../db/direct";
import { factsOf, listTiers, moveTiers, tierFactsQuery, type MeasuredAward, type NewTierChange, type TierFacts, type TierRow } from "../../models/tier.server";
import { formatMilli, toMilli } from "../money";
import { addMonths, type TierBasis } from "./program";
import { tierFor } from "./tiers";

export type TierReason = "order" | "refund" | "cancellation" | "schedule" | "tiers-changed";

interface TierShop {
  id: string;
  tierBasis: string;
  tierWindowMonths: number;
}

/**
 * What the basis measures for a customer, in milli (so it compares with the
 * tiers' decimal thresholds), from the awards tierFactsQuery reads: lifetime
 * merchandise after refunds, or points earned from orders (net of
 * reversals) whose award falls in the window.
 */
export function measureOf(basis: TierBasis, awards: MeasuredAward[]): bigint {
  if (basis === "points") return BigInt(awards.reduce((sum, a) => sum + Math.max(0, a.pointsAwarded - a.pointsReversed), 0)) * 1000n;
  return awards.reduce((sum, a) => sum + toMilli(a.merchandiseTotal) - toMilli(a.merchandiseRefunded), 0n);
}

export const describeMeasure = (basis: string, milli: bigint) =>
  basis === "points" ? `points ${milli / 1000n}` : `spend ${formatMilli(milli)}`;

/** Puts the customer in the tier their measure reaches; records the move. Returns the tier. */
export async function recomputeTier(tx: Tx | Db, shop: TierShop, customerId: string, reason: TierReason, now: Date, tiers?: TierRow[]): Promise<TierRow | null> {
  return (await recomputeTiers(tx, shop, [{ id: customerId }], reason, now, tiers))[0];
}

/**
 * recomputeTier for several customers: one read for them all, then one
 * statement moves those whose tier changes and one records the moves.
 * `tierId`, where the caller has just read it: with no tiers and none held,
 * that customer needs no read. The tiers, in order.
 */
export async function recomputeTiers(
  db: Tx | Db,
  shop: TierShop,
  customers: { id: string; tierId?: string | null }[],
  reason: TierReason,
  now: Date,
  tiers?: TierRow[],
): Promise<(TierRow | null)[]> {
  const all = tiers ?? (await listTiers(db, shop.id));
  const asked = [...new Set(customers.filter((c) => all.length > 0 || c.tierId !== null).map((c) => c.id))];
  const read = asked.length ? tierFactsQuery(shop.id, asked, tierWindow(shop, now)) : null;
  const facts = read ? factsOf(await direct(db).$queryRawUnsafe<Record<string, unknown>[]>(read.sql, ...read.params)) : new Map();
  const { placed, moves } = tierPlacement(shop, all, facts, reason, now);
  await moveTiers(db, moves);
  return customers.map((c) => placed.get(c.id) ?? null);
}

/** The awards a points basis counts: those of the last tierWindowMonths (a spend basis counts them all). */
export const tierWindow = (shop: TierShop, now: Date) =>
  shop.tierBasis === "points" ? { since: addMonths(now, -shop.tierWindowMonths), until: now } : undefined;

/** The tier each customer of `facts` reaches, and the moves of those whose tier changes. */
export function tierPlacement(shop: TierShop, all: TierRow[], facts: TierFacts, reason: TierReason, now: Date) {
  const placed = new Map<string, TierRow | null>();
  const moves: NewTierChange[] = [];
  for (const [id, fact] of facts) {
    const measure = measureOf(shop.tierBasis as TierBasis, fact.awards);
    const tier = tierFor(all, measure);
    placed.set(id, tier);
    const next = tier?.id ?? null;
    if (next === fact.tierId) continue;
    moves.push({
      shopId: shop.id,
      customerId: id,
      fromTierId: fact.tierId,
      // (Every tier of the shop is in `all`: one that is not was deleted.)
      fromName: fact.tierId ? (all.find((t) => t.id === fact.tierId)?.name ?? "(deleted tier)") : null,
      toTierId: next,
      toName: tier?.name ?? null,
      basisValue: describeMeasure(shop.tierBasis, measure),
      reason,
      createdAt: now,
    });
  }
  return { placed, moves };
}

/** Recomputes every member of one shop (after tiers are edited, and daily). */
export async function recomputeShopTiers(db: Db, shop: TierShop, now: Date, reason: TierReason = "schedule") {
  const tiers = await listTiers(db, shop.id);
  let moved = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await db.customer.findMany({
      where: { shopId: shop.id, redactedAt: null, ...(tiers.length ? {} : { tierId: { not: null } }) },
      select: { id: true, tierId: true },
      orderBy: { id: "asc" },
      take: 200,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (page.length === 0) break;
    const placed = await recomputeTiers(db, shop, page, reason, now, tiers);
    moved += page.filter((c, i) => (placed[i]?.id ?? null) !== c.tierId).length;
    cursor = page[page.length - 1].id;
  }
  return moved;
}

/** The daily job: rolling windows move customers down (and up) as time passes. Idempotent. */
export async function recomputeAllTiers(db: Db, now: Date) {
  let moved = 0;
  for (const shop of await activeShops(db)) moved += await recomputeShopTiers(db, shop, now, "schedule");
  return moved;
}
