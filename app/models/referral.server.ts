// Data access for referral settings, members' codes and friends' referrals.
import type { Db, Tx } from "../db.server";
import { cachedShopData, invalidateShopData } from "../services/cache.server";

export type ReferralSettingsRecord = NonNullable<Awaited<ReturnType<Db["referralSettings"]["findUnique"]>>>;

export const DEFAULT_REFERRAL_SETTINGS = {
  enabled: false,
  friendDiscountKind: "percentage_off",
  friendDiscountValue: "10",
  friendMinimumSubtotal: null as string | null,
  friendCodeExpiryDays: 30,
  referrerPoints: 500,
};

export type ReferralSettingsValues = typeof DEFAULT_REFERRAL_SETTINGS;

export async function getReferralSettings(db: Db | Tx, shopId: string): Promise<ReferralSettingsValues> {
  const row = await db.referralSettings.findUnique({ where: { shopId } });
  if (!row) return { ...DEFAULT_REFERRAL_SETTINGS };
  return {
    enabled: row.enabled,
    friendDiscountKind: row.friendDiscountKind,
    friendDiscountValue: row.friendDiscountValue,
    friendMinimumSubtotal: row.friendMinimumSubtotal,
    friendCodeExpiryDays: row.friendCodeExpiryDays,
    referrerPoints: row.referrerPoints,
  };
}

/** The settings through the per-shop cache, for orders/paid (saving forgets them in this process). */
export function cachedReferralSettings(db: Db, shopId: string): Promise<ReferralSettingsValues> {
  return cachedShopData(db, shopId, "referral-settings", () => getReferralSettings(db, shopId));
}

export async function saveReferralSettings(db: Db, shopId: string, values: ReferralSettingsValues) {
  const saved = await db.referralSettings.upsert({ where: { shopId }, create: { shopId, ...values }, update: values });
  invalidateShopData(db, shopId, "referral-settings");
  return saved;
}

export function findReferralCode(db: Db | Tx, code: string) {
  return db.referralCode.findUnique({ where: { code } });
}

/** The referral link of the customer with this Shopify id, if they have one (one read: orders/paid asks on every order). */
export async function referralLinkOfShopifyCustomer(db: Db | Tx, shopId: string, shopifyId: string) {
  const [link] = await db.$queryRaw<{ id: string; identityHashes: string }[]>`
    SELECT r."id", r."identityHashes" FROM "ReferralCode" r JOIN "Customer" c ON c."id" = r."customerId"
    WHERE c."shopId" = ${shopId} AND c."shopifyId" = ${shopifyId} AND r."shopId" = ${shopId}`;
  return link ?? null;
}

export async function referralStats(db: Db, shopId: string) {
  const [clicks, byStatus, granted] = await Promise.all([
    db.referralCode.aggregate({ where: { shopId }, _sum: { clicks: true } }),
    db.referral.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } }),
    db.referral.aggregate({ where: { shopId, status: "completed" }, _sum: { pointsGranted: true } }),
  ]);
  const count = (s: string) => byStatus.find((b) => b.status === s)?._count._all ?? 0;
  return {
    clicks: clicks._sum.clicks ?? 0,
    // Friends whose first order came through (waiting out the pending window, or done).
    signUps: count("ordered") + count("completed"),
    completed: count("completed"),
    rejected: count("rejected"),
    pointsGranted: granted._sum.pointsGranted ?? 0,
  };
}

export function recentReferrals(db: Db, shopId: string, take = 25) {
  return db.referral.findMany({
    where: { shopId, status: { not: "clicked" } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
  });
}
