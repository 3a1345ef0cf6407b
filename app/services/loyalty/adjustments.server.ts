// Manual adjustments by the merchant, from the customer page.
import { randomUUID } from "node:crypto";
import type { Db } from "../../db.server";
import { appendEntry } from "../../models/ledger.server";
import type { ShopRecord } from "../../models/shop.server";

export class AdjustmentError extends Error {
  constructor(
    message: string,
    readonly field: "points" | "reason",
  ) {
    super(message);
  }
}

export interface AdjustmentInput {
  points: string | number;
  reason: string;
  actor: string;
  /** A form token, so a double-submitted form adjusts once. */
  requestId?: string;
}

export function validateAdjustment(input: AdjustmentInput): { points: number; reason: string } {
  const points = typeof input.points === "number" ? input.points : Number(String(input.points).trim());
  if (!Number.isInteger(points) || points === 0) {
    throw new AdjustmentError("Enter a whole number of points, positive to add or negative to deduct.", "points");
  }
  if (Math.abs(points) > 10_000_000) throw new AdjustmentError("That is more points than one adjustment can move.", "points");
  const reason = input.reason.trim();
  if (!reason) throw new AdjustmentError("A reason is required; it is shown in the customer's history.", "reason");
  if (reason.length > 500) throw new AdjustmentError("Keep the reason under 500 characters.", "reason");
  return { points, reason };
}

export async function adjustPoints(db: Db, shop: ShopRecord, customerId: string, input: AdjustmentInput) {
  const { points, reason } = validateAdjustment(input);
  return db.$transaction(async (tx) => {
    const customer = await tx.customer.findFirst({ where: { id: customerId, shopId: shop.id } });
    if (!customer) throw new AdjustmentError("This customer no longer exists.", "points");
    if (points < 0 && !shop.allowNegativeBalance && customer.balance + points < 0) {
      throw new AdjustmentError(`The customer has ${customer.balance} points; you can deduct at most that.`, "points");
    }
    return appendEntry(tx, {
      shopId: shop.id,
      customerId,
      type: "adjust",
      points,
      sourceType: "admin",
      sourceId: input.actor,
      idempotencyKey: `adjust:${input.requestId || randomUUID()}`,
      reason,
      actor: input.actor,
      allowNegative: shop.allowNegativeBalance,
    });
  });
}
