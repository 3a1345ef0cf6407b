// Pending points: an order's points wait for the shop's return window
// (Shop.pendingDays) and then become spendable, unless a refund or
// cancellation took them back first. The earn entry carries them as
// pendingPoints; maturing appends a `release` entry that moves what is still
// pending into the balance, under the key release:<order>, and zeroes the
// award's pointsPending — so running it twice changes nothing.
import type { Db } from "../../db.server";
import { appendEntry } from "../../models/ledger.server";
import { lockAward } from "../../models/order-award.server";

/** Makes every award whose window has ended spendable. Returns how many awards matured. */
export async function matureDuePoints(db: Db, now: Date): Promise<number> {
  let matured = 0;
  for (;;) {
    const due = await db.orderAward.findMany({
      where: { pointsPending: { gt: 0 }, availableAt: { lte: now }, status: "awarded", customerId: { not: null } },
      select: { id: true },
      orderBy: [{ availableAt: "asc" }, { id: "asc" }],
      take: 100,
    });
    if (due.length === 0) return matured;
    for (const { id } of due) {
      const done = await db.$transaction(async (tx) => {
        // Re-read under the award's lock: a refund may have cancelled some or all of it meanwhile.
        const award = await lockAward(tx, id);
        if (award.pointsPending <= 0 || !award.customerId || award.status !== "awarded") return false;
        const shop = await tx.shop.findUnique({ where: { id: award.shopId }, select: { allowNegativeBalance: true } });
        await appendEntry(tx, {
          shopId: award.shopId,
          customerId: award.customerId,
          type: "release",
          points: award.pointsPending,
          pendingPoints: -award.pointsPending,
          sourceType: "order",
          sourceId: award.orderId,
          idempotencyKey: `release:${award.orderId}`,
          reason: award.orderName ? `Order ${award.orderName}: return window ended` : "Return window ended",
          allowNegative: shop?.allowNegativeBalance ?? false,
          at: now,
        });
        await tx.orderAward.update({ where: { id }, data: { pointsPending: 0 } });
        return true;
      });
      if (done) matured++;
    }
  }
}

export interface PointsSummary {
  /** Spendable now (Customer.balance). */
  available: number;
  /** Inside return windows. */
  pending: number;
  /** Each order's pending points and when they become spendable, soonest first. */
  upcoming: { orderId: string; orderName: string | null; points: number; availableAt: Date }[];
}

/** A customer's spendable and pending points, for the admin and the shopper-facing API. */
export async function pointsSummary(db: Db, shopId: string, customerId: string): Promise<PointsSummary | null> {
  const customer = await db.customer.findFirst({ where: { id: customerId, shopId }, select: { balance: true, pendingBalance: true } });
  if (!customer) return null;
  const awards = await db.orderAward.findMany({
    where: { shopId, customerId, pointsPending: { gt: 0 }, availableAt: { not: null } },
    orderBy: [{ availableAt: "asc" }, { id: "asc" }],
    select: { orderId: true, orderName: true, pointsPending: true, availableAt: true },
  });
  return {
    available: customer.balance,
    pending: customer.pendingBalance,
    upcoming: awards.map((a) => ({ orderId: a.orderId, orderName: a.orderName, points: a.pointsPending, availableAt: a.availableAt! })),
  };
}
