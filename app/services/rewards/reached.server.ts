// Who has just reached a reward: a ledger entry that raised a balance across
// the cost of one of the shop's active rewards. Read from the ledger itself
// (balanceAfter − points is the balance before), so every way of gaining
// points — orders, pending points released, bonuses, adjustments — counts,
// and nothing needs to remember to call it.
import type { Db } from "../../db.server";

export interface RewardReached {
  shopId: string;
  customerId: string;
}

/** Customers whose balance crossed an active reward's cost through entries written since `since`. */
export async function customersReachingReward(db: Db, since: Date): Promise<RewardReached[]> {
  const entries = await db.ledgerEntry.findMany({
    where: { createdAt: { gte: since }, points: { gt: 0 } },
    select: { shopId: true, customerId: true, points: true, balanceAfter: true },
  });
  if (entries.length === 0) return [];
  const shopIds = [...new Set(entries.map((e) => e.shopId))];
  const rewards = await db.reward.findMany({ where: { shopId: { in: shopIds }, active: true }, select: { shopId: true, pointsCost: true } });
  const costs = new Map<string, number[]>();
  for (const r of rewards) costs.set(r.shopId, [...(costs.get(r.shopId) ?? []), r.pointsCost]);
  const reached = new Map<string, RewardReached>();
  for (const e of entries) {
    const before = e.balanceAfter - e.points;
    if ((costs.get(e.shopId) ?? []).some((cost) => before < cost && e.balanceAfter >= cost)) {
      reached.set(e.customerId, { shopId: e.shopId, customerId: e.customerId });
    }
  }
  return [...reached.values()];
}
