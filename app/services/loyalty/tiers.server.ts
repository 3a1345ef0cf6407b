// VIP tiers: which tier each customer is in, recomputed on every order,
// refund and cancellation (in the same transaction) and daily for rolling
// windows. Every move is recorded as a TierChange.
import type { Db, Tx } from "../../db.server";
import { activeShops } from "../../models/shop.server";
import { listTiers, type TierRow } from "../../models/tier.server";
import { formatMilli, toMilli } from "../money";
import { addMonths, type TierBasis } from "./program";
import { direct, type SqlClient } from "../../db/direct";
import { inList } from "../../models/sql";
import { tierFor } from "./tiers";

export type TierReason = "order" | "refund" | "cancellation" | "schedule" | "tiers-changed";

interface TierShop {
  id: string;
  tierBasis: string;
  tierWindowMonths: number;
}

/** An award as the tier measures count it. */
interface MeasuredAward {
  pointsAwarded: number;
  pointsReversed: number;
  merchandiseTotal: string;
  merchandiseRefunded: string;
}

/**
 * What the basis measures for a customer, in milli (so it compares with the
 * tiers' decimal thresholds), from the awards tierFacts read: lifetime
 * merchandise after refunds, or points earned from orders (net of
 * reversals) whose award falls in the window.
 */
export function measureOf(basis: TierBasis, awards: MeasuredAward[]): bigint {
  if (basis === "points") return BigInt(awards.reduce((sum, a) => sum + Math.max(0, a.pointsAwarded - a.pointsReversed), 0)) * 1000n;
  return awards.reduce((sum, a) => sum + toMilli(a.merchandiseTotal) - toMilli(a.merchandiseRefunded), 0n);
}

/**
 * Each customer's tier now and the awards the basis counts, in one read for
 * them all (orders/paid recomputes every member of a batch): customers that
 * do not exist are missing from the map.
 */
async function tierFacts(db: SqlClient, shop: TierShop, customerIds: string[], now: Date) {
  const points = (shop.tierBasis as TierBasis) === "points";
  // (The window's bounds come after the ids in the text as in the numbers:
  // SQLite numbers $-parameters in the order they first appear.)
  const window = points ? ` AND a."createdAt" >= $${customerIds.length + 2} AND a."createdAt" <= $${customerIds.length + 3}` : "";
  const rows = await direct(db).$queryRawUnsafe<({ id: string; tierId: string | null } & { [K in keyof MeasuredAward]: MeasuredAward[K] | bigint | null })[]>(
    `SELECT c."id", c."tierId", a."pointsAwarded", a."pointsReversed", a."merchandiseTotal", a."merchandiseRefunded"
     FROM (SELECT "id", "tierId", "shopId" FROM "Customer" WHERE "shopId" = $1 AND "id" IN (${inList(customerIds.length, 2)})) c
     LEFT JOIN "OrderAward" a ON a."customerId" = c."id" AND a."shopId" = c."shopId" AND a."status" = 'awarded'${window}`,
    shop.id,
    ...customerIds,
    ...(points ? [addMonths(now, -shop.tierWindowMonths), now] : []),
  );
  const facts = new Map<string, { tierId: string | null; awards: MeasuredAward[] }>();
  for (const row of rows) {
    const fact = facts.get(row.id) ?? { tierId: row.tierId, awards: [] };
    facts.set(row.id, fact);
    if (row.merchandiseTotal === null) continue;
    fact.awards.push({
      pointsAwarded: Number(row.pointsAwarded),
      pointsReversed: Number(row.pointsReversed),
      merchandiseTotal: String(row.merchandiseTotal),
      merchandiseRefunded: String(row.merchandiseRefunded),
    });
  }
  return new Map([...facts].map(([id, f]) => [id, { tierId: f.tierId, measure: measureOf(shop.tierBasis as TierBasis, f.awards) }]));
}

export const describeMeasure = (basis: string, milli: bigint) =>
  basis === "points" ? `points ${milli / 1000n}` : `spend ${formatMilli(milli)}`;

/** Puts the customer in the tier their measure reaches; records the move. Returns the tier. */
export async function recomputeTier(tx: Tx | Db, shop: TierShop, customerId: string, reason: TierReason, now: Date, tiers?: TierRow[]): Promise<TierRow | null> {
  return (await recomputeTiers(tx, shop, [{ id: customerId }], reason, now, tiers))[0];
}

/**
 * recomputeTier for several customers: one read for them all, then a write
 * for each that moves (few do). `tierId`, where the caller has just read it:
 * with no tiers and none held, that customer needs no read. The tiers, in
 * order.
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
  const facts = asked.length ? await tierFacts(db, shop, asked, now) : new Map<string, { tierId: string | null; measure: bigint }>();
  const result: (TierRow | null)[] = [];
  for (const { id } of customers) {
    const fact = facts.get(id);
    const tier = fact ? tierFor(all, fact.measure) : null;
    const next = tier?.id ?? null;
    if (fact && next !== fact.tierId) {
      const from = fact.tierId ? await db.earningTier.findUnique({ where: { id: fact.tierId } }) : null;
      // Conditional update: a concurrent recompute that already moved the customer wins, and no duplicate move is recorded.
      const { count } = await db.customer.updateMany({ where: { id, tierId: fact.tierId }, data: { tierId: next } });
      if (count > 0) {
        await db.tierChange.create({
          data: {
            shopId: shop.id,
            customerId: id,
            fromTierId: fact.tierId,
            fromName: fact.tierId ? (from?.name ?? "(deleted tier)") : null,
            toTierId: next,
            toName: tier?.name ?? null,
            basisValue: describeMeasure(shop.tierBasis, fact.measure),
            reason,
            createdAt: now,
          },
        });
      }
      // (A twin of the customer in the list finds it moved.)
      fact.tierId = next;
    }
    result.push(tier);
  }
  return result;
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
