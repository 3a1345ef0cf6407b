// Orders → points. Every function is idempotent: the award (one per order),
// each refund and each ledger entry carry natural keys under unique
// constraints, so a duplicated or replayed webhook changes nothing, and
// deliveries may arrive in any order.
import type { Db, Tx } from "../../db.server";
import { upsertCustomer, type CustomerData } from "../../models/customer.server";
import { isUniqueViolation } from "../../models/errors";
import { appendEntry } from "../../models/ledger.server";
import {
  awardLines,
  createWaitingRefund,
  findAward,
  findRefund,
  lockAward,
  refundsOfOrder,
  type RefundLine,
} from "../../models/order-award.server";
import type { ProgramSettings, ShopRecord } from "../../models/shop.server";
import { settingsOf } from "../../models/shop.server";
import { gid } from "../shopify-json";
import type { CustomerPayload, OrderPayload, RefundPayload } from "../webhooks/payloads";
import { computeEarning, reversalTarget } from "./earning";

export type Outcome =
  | { status: "awarded"; points: number }
  | { status: "guest" | "cancelled" | "duplicate" | "waiting" | "applied"; points?: number };

export const orderGid = (order: { id: string }) => gid("Order", order.id);
const refundGid = (id: string) => gid("Refund", id);

export function customerData(c: CustomerPayload): CustomerData {
  return {
    shopifyId: gid("Customer", c.id),
    email: c.email ?? undefined,
    firstName: c.first_name ?? undefined,
    lastName: c.last_name ?? undefined,
    phone: c.phone ?? undefined,
    tags: c.tags ?? undefined,
    locale: c.locale ?? undefined,
    emailMarketingConsent:
      c.email_marketing_consent?.state ?? (c.accepts_marketing === undefined || c.accepts_marketing === null
        ? undefined
        : c.accepts_marketing
          ? "subscribed"
          : "not_subscribed"),
  };
}

const refundLines = (r: Pick<RefundPayload, "refund_line_items">): RefundLine[] =>
  r.refund_line_items.map((l) => ({ lineItemId: l.line_item_id, quantity: l.quantity }));

/**
 * Runs fn in a transaction. A unique violation means a concurrent delivery
 * wrote the same natural key first; the transaction is rolled back and run
 * again, when fn's own checks see the twin's work and report a duplicate.
 */
async function once<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(fn, { timeout: 15_000, maxWait: 15_000 });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 4) throw error;
    }
  }
}

/** orders/paid: credits the order's points once. */
export async function creditOrder(db: Db, shop: ShopRecord, order: OrderPayload): Promise<Outcome> {
  const settings = settingsOf(shop);
  const orderId = orderGid(order);
  const customer = order.customer ? await upsertCustomer(db, shop.id, customerData(order.customer)) : null;
  return once(db, async (tx) => {
    if (await findAward(tx, shop.id, orderId)) return { status: "duplicate" } as const;
    const earning = computeEarning(order, settings);
    const status = !customer ? "guest" : order.cancelled_at ? "cancelled" : "awarded";
    const points = status === "awarded" ? earning.points : 0;
    const award = await tx.orderAward.create({
      data: {
        shopId: shop.id,
        orderId,
        orderName: order.name ?? null,
        customerId: customer?.id ?? null,
        status,
        currencyCode: order.currency,
        merchandiseTotal: earning.merchandiseTotal,
        rate: settings.earnRate,
        rounding: settings.earnRounding,
        pointsAwarded: points,
        lines: JSON.stringify(earning.lines),
        cancelledAt: order.cancelled_at ? new Date(order.cancelled_at) : null,
      },
    });
    if (points > 0 && customer) {
      await appendEntry(tx, {
        shopId: shop.id,
        customerId: customer.id,
        type: "earn",
        points,
        sourceType: "order",
        sourceId: orderId,
        idempotencyKey: `earn:${orderId}`,
        reason: order.name ? `Order ${order.name}` : null,
        allowNegative: settings.allowNegativeBalance,
      });
    }
    // Refunds already in the payload, or delivered before this order.
    await recordRefunds(tx, shop.id, orderId, order.refunds ?? []);
    await settleRefunds(tx, settings, award.id);
    return status === "awarded" ? { status, points } : { status };
  });
}

async function recordRefunds(tx: Tx, shopId: string, orderId: string, refunds: Pick<RefundPayload, "id" | "refund_line_items">[]) {
  for (const refund of refunds) {
    const refundId = refundGid(refund.id);
    if (!(await findRefund(tx, shopId, refundId))) {
      await createWaitingRefund(tx, shopId, orderId, refundId, refundLines(refund));
    }
  }
}

/**
 * Applies the order's waiting refunds one by one, each reversing the growth of
 * the cumulative target (see reversalTarget) under its own ledger key.
 */
async function settleRefunds(tx: Tx, settings: ProgramSettings, awardId: string) {
  let award = await lockAward(tx, awardId);
  const refunds = await refundsOfOrder(tx, award.shopId, award.orderId);
  if (!refunds.some((r) => r.status === "waiting")) return;
  const lines = awardLines(award);
  const refunded = new Map<string, number>();
  const addLines = (json: string) => {
    for (const l of JSON.parse(json) as RefundLine[]) refunded.set(l.lineItemId, (refunded.get(l.lineItemId) ?? 0) + l.quantity);
  };
  for (const refund of refunds) {
    addLines(refund.lines);
    if (refund.status !== "waiting") continue;
    let reversed = 0;
    if (award.status === "awarded" && award.customerId) {
      const target = reversalTarget(award.pointsAwarded, lines, refunded);
      reversed = Math.max(0, target - award.pointsReversed);
      if (reversed > 0) {
        await appendEntry(tx, {
          shopId: award.shopId,
          customerId: award.customerId,
          type: "reverse",
          points: -reversed,
          sourceType: "refund",
          sourceId: refund.refundId,
          idempotencyKey: `reverse:${refund.refundId}`,
          reason: award.orderName ? `Refund on order ${award.orderName}` : "Refund",
          allowNegative: settings.allowNegativeBalance,
        });
        award = await tx.orderAward.update({ where: { id: award.id }, data: { pointsReversed: { increment: reversed } } });
      }
    }
    await tx.orderRefund.update({
      where: { id: refund.id },
      data: { status: "applied", pointsReversed: reversed, appliedAt: new Date() },
    });
  }
}

/** refunds/create: reverses points in proportion to the refunded merchandise. */
export async function reverseRefund(db: Db, shop: ShopRecord, refund: RefundPayload): Promise<Outcome> {
  const orderId = gid("Order", refund.order_id);
  const refundId = refundGid(refund.id);
  return once(db, async (tx) => {
    if (await findRefund(tx, shop.id, refundId)) return { status: "duplicate" } as const;
    await createWaitingRefund(tx, shop.id, orderId, refundId, refundLines(refund));
    const award = await findAward(tx, shop.id, orderId);
    // Arrived before its order: kept waiting, applied when the order comes.
    if (!award) return { status: "waiting" } as const;
    await settleRefunds(tx, settingsOf(shop), award.id);
    return { status: "applied" } as const;
  });
}

/** orders/cancelled: reverses whatever the order still holds, and bars it from earning later. */
export async function cancelOrder(db: Db, shop: ShopRecord, order: OrderPayload): Promise<Outcome> {
  const settings = settingsOf(shop);
  const orderId = orderGid(order);
  const customer = order.customer ? await upsertCustomer(db, shop.id, customerData(order.customer)) : null;
  return once(db, async (tx) => {
    const cancelledAt = order.cancelled_at ? new Date(order.cancelled_at) : new Date();
    await recordRefunds(tx, shop.id, orderId, order.refunds ?? []);
    let award = await findAward(tx, shop.id, orderId);
    if (!award) {
      // Cancelled before orders/paid reached us: remember it so a late paid
      // delivery earns nothing.
      const earning = computeEarning(order, settings);
      award = await tx.orderAward.create({
        data: {
          shopId: shop.id,
          orderId,
          orderName: order.name ?? null,
          customerId: customer?.id ?? null,
          status: "cancelled",
          currencyCode: order.currency,
          merchandiseTotal: earning.merchandiseTotal,
          rate: settings.earnRate,
          rounding: settings.earnRounding,
          lines: JSON.stringify(earning.lines),
          cancelledAt,
        },
      });
      await settleRefunds(tx, settings, award.id);
      return { status: "cancelled" } as const;
    }
    if (award.status === "cancelled") return { status: "duplicate" } as const;
    await settleRefunds(tx, settings, award.id);
    award = await lockAward(tx, award.id);
    const remaining = award.pointsAwarded - award.pointsReversed;
    if (remaining > 0 && award.customerId) {
      await appendEntry(tx, {
        shopId: shop.id,
        customerId: award.customerId,
        type: "reverse",
        points: -remaining,
        sourceType: "cancellation",
        sourceId: orderId,
        idempotencyKey: `cancel:${orderId}`,
        reason: award.orderName ? `Order ${award.orderName} cancelled` : "Order cancelled",
        allowNegative: settings.allowNegativeBalance,
      });
    }
    await tx.orderAward.update({
      where: { id: award.id },
      data: { status: "cancelled", cancelledAt, pointsReversed: award.pointsAwarded },
    });
    return { status: "cancelled", points: remaining } as const;
  });
}
