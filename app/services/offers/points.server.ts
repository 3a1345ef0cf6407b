// The points part of the thank-you / order status block: what this order
// earned (available once orders/paid credited it, pending before), the
// customer's balance, and — once the loyalty data has them — pending points
// and progress to the next reward or tier. Everything the data does not hold
// yet is left out rather than shown as zero. One function, so the loyalty
// helpers can extend it after their changes merge.
import type { ShopRecord } from "../../models/shop.server";
import { pointsFor } from "../loyalty/earning";
import { toMilli, type Rounding } from "../money";

export interface PointsSummary {
  /** Points this order earned (or will earn, when status is pending). */
  earned: number;
  status: "available" | "pending";
  balance?: number;
  pending?: number;
  nextReward?: { pointsNeeded: number; label: string };
}

/** What pointsSummary reads, loaded by the caller with the order's other facts (one read each per answer). */
export interface PointsFacts {
  /** The order's award, once orders/paid recorded it. */
  award: { status: string; pointsAwarded: number; pointsReversed: number } | null;
  /** The customer of the session token, when Encore knows them. */
  customer: { balance: number; redacted: boolean } | null;
}

export function pointsSummary(
  shop: Pick<ShopRecord, "earnRate" | "earnRounding">,
  input: { customerShopifyId: string | null; merchandiseTotal: string | null } & PointsFacts,
): PointsSummary | null {
  if (!input.customerShopifyId) return null; // guests earn nothing
  const { award, customer } = input;
  let summary: PointsSummary;
  if (award) {
    if (award.status !== "awarded") return null;
    summary = { earned: Math.max(0, award.pointsAwarded - award.pointsReversed), status: "available" };
  } else {
    // The webhook has not arrived: estimate from the order for display; the
    // webhook does the crediting.
    if (input.merchandiseTotal === null) return null;
    const earned = pointsFor(toMilli(input.merchandiseTotal), { earnRate: shop.earnRate, earnRounding: shop.earnRounding as Rounding });
    summary = { earned, status: "pending" };
  }
  if (customer && !customer.redacted) summary.balance = customer.balance;
  return summary;
}
