// VIP tiers: which tier each customer is in, recomputed on every order,
// refund and cancellation (in the same transaction) and daily for rolling
// windows. Every move is recorded as a TierChange.
import type { Db, Tx } from "../../db.server";
import { activeShops } from "../../models/shop.server";
import { listTiers, type TierRow } from "../../models/tier.server";
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
 * tiers' decimal thresholds): lifetime merchandise after refunds, or points
 * earned from orders (net of reversals) whose award falls in the window.
 */
export async function tierMeasure(db: Db | Tx, shop: TierShop, customerId: string, now: Date): Promise<bigint> {
  const basis = shop.tierBasis as TierBasis;
  if (basis === "points") {
    const since = addMonths(now, -shop.tierWindowMonths);
    const awards = await db.orderAward.findMany({
      where: { shopId: shop.id, customerId, status: "awarded", createdAt: { gte: since, lte: now } },
      select: { pointsAwarded: true, pointsReversed: true },
    });
    return BigInt(awards.reduce((sum, a) => sum + Math.max(0, a.pointsAwarded - a.pointsReversed), 0)) * 1000n;
  }
  const awards = await db.orderAward.findMany({
    where: { shopId: shop.id, customerId, status: "awarded" },
    select: { merchandiseTotal: true, merchandiseRefunded: true },
  });
  return awards.reduce((sum, a) => sum + toMilli(a.merchandiseTotal) - toMilli(a.merchandiseRefunded), 0n);
}

export const describeMeasure = (basis: string, milli: bigint) =>
  basis === "points" ? `points ${milli / 1000n}` : `spend ${formatMilli(milli)}`;

/** Puts the customer in the tier their measure reaches; records the move. Returns the tier. */
export async function recomputeTier(
  tx: Tx | Db,
  shop: TierShop,
  customerId: string,
  reason: TierReason,
  now: Date,
  tiers?: TierRow[],
  /** The customer's tier as just read, when the caller has it: with no tiers and none held, nothing to do. */
  knownTierId?: string | null,
): Promise<TierRow | null> {
  const all = tiers ?? (await listTiers(tx, shop.id));
  if (all.length === 0 && knownTierId === null) return null;
  const customer = await tx.customer.findUnique({ where: { id: customerId }, select: { tierId: true } });
  if (!customer) return null;
  if (all.length === 0 && !customer.tierId) return null;
  const measure = await tierMeasure(tx, shop, customerId, now);
  const tier = tierFor(all, measure);
  const next = tier?.id ?? null;
  if (next !== customer.tierId) {
    const from = customer.tierId ? await tx.earningTier.findUnique({ where: { id: customer.tierId } }) : null;
    // Conditional update: a concurrent recompute that already moved the customer wins, and no duplicate move is recorded.
    const { count } = await tx.customer.updateMany({ where: { id: customerId, tierId: customer.tierId }, data: { tierId: next } });
    if (count > 0) {
      await tx.tierChange.create({
        data: {
          shopId: shop.id,
          customerId,
          fromTierId: customer.tierId,
          fromName: customer.tierId ? (from?.name ?? "(deleted tier)") : null,
          toTierId: next,
          toName: tier?.name ?? null,
          basisValue: describeMeasure(shop.tierBasis, measure),
          reason,
          createdAt: now,
        },
      });
    }
  }
  return tier;
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
    for (const c of page) {
      const tier = await recomputeTier(db, shop, c.id, reason, now, tiers);
      if ((tier?.id ?? null) !== c.tierId) moved++;
    }
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
