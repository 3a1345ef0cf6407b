// Data access for the reward catalog and the redemptions made from it.
import type { Db, Tx } from "../db.server";
import type { RewardSnapshot, ValidReward } from "../services/rewards/catalog";

export type RewardRecord = NonNullable<Awaited<ReturnType<Db["reward"]["findUnique"]>>>;
export type RedemptionRecord = NonNullable<Awaited<ReturnType<Db["redemption"]["findUnique"]>>>;

export function listRewards(db: Db, shopId: string, { activeOnly = false } = {}) {
  return db.reward.findMany({
    where: { shopId, ...(activeOnly ? { active: true } : {}) },
    orderBy: [{ active: "desc" }, { pointsCost: "asc" }, { id: "asc" }],
  });
}

export function getReward(db: Db | Tx, shopId: string, id: string) {
  return db.reward.findFirst({ where: { id, shopId } });
}

export function createReward(db: Db, shopId: string, reward: ValidReward) {
  return db.reward.create({ data: { shopId, ...reward } });
}

export async function updateReward(db: Db, shopId: string, id: string, reward: ValidReward) {
  const { count } = await db.reward.updateMany({ where: { id, shopId }, data: reward });
  return count === 1;
}

export async function setRewardActive(db: Db, shopId: string, id: string, active: boolean) {
  const { count } = await db.reward.updateMany({ where: { id, shopId }, data: { active } });
  return count === 1;
}

export function snapshotOf(r: RewardRecord): RewardSnapshot {
  return {
    id: r.id,
    title: r.title,
    kind: r.kind as RewardSnapshot["kind"],
    pointsCost: r.pointsCost,
    value: r.value,
    productId: r.productId,
    productTitle: r.productTitle,
    minimumSubtotal: r.minimumSubtotal,
    expiryDays: r.expiryDays,
  };
}

export function findRedemption(db: Db | Tx, shopId: string, requestId: string) {
  return db.redemption.findUnique({ where: { shopId_requestId: { shopId, requestId } } });
}

export function listRedemptions(db: Db, shopId: string, customerId: string, take = 20) {
  return db.redemption.findMany({
    where: { shopId, customerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
  });
}

/** Claims the right to run the next attempt: only one caller wins a given state. */
export async function claimAttempt(db: Db | Tx, id: string, from: { status: string; attempt: number }) {
  const { count } = await db.redemption.updateMany({
    where: { id, status: from.status, attempt: from.attempt },
    data: { status: "pending", attempt: from.attempt + 1, error: null },
  });
  return count === 1;
}

/**
 * Who has just reached a reward: the customers with a ledger entry written
 * since `since` that raised their balance across the cost of one of the
 * shop's active rewards (balanceAfter − points is the balance before). Read
 * from the ledger itself, so every way of gaining points — orders, pending
 * points released, bonuses, adjustments — counts, and nothing needs to
 * remember to call it. Matched in the database: a sale's twenty minutes of
 * entries are hundreds of thousands of rows, which the scan once read into
 * the process every ten minutes to keep a few.
 */
export function customersReachingReward(db: Db, since: Date) {
  return db.$queryRaw<{ shopId: string; customerId: string }[]>`
    SELECT DISTINCT l."shopId", l."customerId"
    FROM "Reward" r
    JOIN "LedgerEntry" l ON l."shopId" = r."shopId" AND l."createdAt" >= ${since}
    WHERE r."active" AND l."points" > 0 AND l."balanceAfter" >= r."pointsCost" AND l."balanceAfter" - l."points" < r."pointsCost"`;
}
