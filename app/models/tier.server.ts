// VIP tiers and the record of customers' moves between them.
import type { Db, Tx } from "../db.server";
import { cachedShopData, invalidateShopData } from "../services/cache.server";
import { toMilli } from "../services/money";

export type TierRow = NonNullable<Awaited<ReturnType<Db["earningTier"]["findFirst"]>>>;

/** The shop's tiers, lowest threshold first. */
export async function listTiers(db: Db | Tx, shopId: string): Promise<TierRow[]> {
  const rows = await db.earningTier.findMany({ where: { shopId } });
  return rows.sort((a, b) => (toMilli(a.threshold) < toMilli(b.threshold) ? -1 : toMilli(a.threshold) > toMilli(b.threshold) ? 1 : a.id.localeCompare(b.id)));
}

/** The tiers through the per-shop cache, for orders/paid (see cachedRules). */
export function cachedTiers(db: Db, shopId: string): Promise<TierRow[]> {
  return cachedShopData(db, shopId, "earning-tiers", () => listTiers(db, shopId));
}

export const forgetTiers = (db: Db, shopId: string) => invalidateShopData(db, shopId, "earning-tiers");

export interface TierInput {
  name: string;
  threshold: string;
  multiplier: string;
  perks: string;
}

export async function createTier(db: Db, shopId: string, tier: TierInput) {
  const created = await db.earningTier.create({ data: { shopId, ...tier } });
  forgetTiers(db, shopId);
  return created;
}

export async function updateTier(db: Db, shopId: string, id: string, tier: TierInput) {
  const { count } = await db.earningTier.updateMany({ where: { id, shopId }, data: tier });
  forgetTiers(db, shopId);
  return count > 0;
}

export async function deleteTier(db: Db, shopId: string, id: string) {
  const { count } = await db.earningTier.deleteMany({ where: { id, shopId } });
  forgetTiers(db, shopId);
  return count > 0;
}

export function tierHistory(db: Db, customerId: string, take = 20) {
  return db.tierChange.findMany({ where: { customerId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
}

/** Members per tier id. */
export async function tierMemberCounts(db: Db, shopId: string): Promise<Map<string, number>> {
  const groups = await db.customer.groupBy({ by: ["tierId"], where: { shopId, redactedAt: null, tierId: { not: null } }, _count: { _all: true } });
  return new Map(groups.map((g) => [g.tierId as string, g._count._all]));
}
