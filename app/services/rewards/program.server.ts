// What the rewards feature reads of the loyalty program's other parts
// (pending points and tiers, app/services/loyalty/), in one place.
import type { Db } from "../../db.server";
import type { ShopRecord } from "../../models/shop.server";

/** Days before earned points count (the shop's pending window; 0 when none). */
export function pendingDaysOf(shop: ShopRecord): number {
  return shop.pendingDays > 0 ? shop.pendingDays : 0;
}

/**
 * Points earned but still inside the pending window, or null when the shop has
 * no pending window (the shopper then sees no "pending" line at all).
 */
export async function pendingPointsOf(db: Db, shop: ShopRecord, customerId: string): Promise<number | null> {
  if (!pendingDaysOf(shop)) return null;
  const customer = await db.customer.findUnique({ where: { id: customerId }, select: { pendingBalance: true } });
  return customer?.pendingBalance ?? 0;
}

/** The customer's current VIP tier name, or null outside any tier. */
export async function tierNameOf(db: Db, customer: { id: string; tierId?: string | null }): Promise<string | null> {
  const tierId =
    customer.tierId !== undefined ? customer.tierId : (await db.customer.findUnique({ where: { id: customer.id }, select: { tierId: true } }))?.tierId;
  if (!tierId) return null;
  return (await db.earningTier.findUnique({ where: { id: tierId }, select: { name: true } }))?.name ?? null;
}
