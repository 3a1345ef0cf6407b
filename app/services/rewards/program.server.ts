// Seams onto the loyalty program's other parts that are built elsewhere
// (earning rules with pending points, tiers). Each reads defensively, so this
// feature works before they exist and picks them up by changing one function.
import type { Db } from "../../db.server";
import type { ShopRecord } from "../../models/shop.server";

/** Days before earned points count (the shop's pending window; 0 when none). */
export function pendingDaysOf(shop: ShopRecord): number {
  const value = (shop as unknown as { pendingDays?: unknown }).pendingDays;
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : 0;
}

/**
 * Points earned but still inside the pending window, or null when the shop has
 * no pending window: what orders of the last `pendingDays` awarded, less what
 * refunds took back.
 */
export async function pendingPointsOf(db: Db, shop: ShopRecord, customerId: string, now = new Date()): Promise<number | null> {
  const days = pendingDaysOf(shop);
  if (!days) return null;
  const since = new Date(now.getTime() - days * 86_400_000);
  const awards = await db.orderAward.findMany({
    where: { shopId: shop.id, customerId, status: "awarded", createdAt: { gt: since } },
    select: { pointsAwarded: true, pointsReversed: true },
  });
  return awards.reduce((sum, a) => sum + Math.max(0, a.pointsAwarded - a.pointsReversed), 0);
}

/** The customer's tier name, when tiers exist and one applies (null until then). */
export async function tierNameOf(_db: Db, customer: { id: string }): Promise<string | null> {
  const value = (customer as unknown as { tierName?: unknown; tier?: unknown }).tierName ?? (customer as { tier?: unknown }).tier;
  return typeof value === "string" && value ? value : null;
}
