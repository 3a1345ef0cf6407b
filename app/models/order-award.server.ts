import { randomUUID } from "node:crypto";
import type { Tx } from "../db.server";
import type { AwardLine } from "../services/loyalty/earning";

export type AwardStatus = "awarded" | "cancelled" | "guest";

// The reads and the insert orders/paid makes on every order are raw
// statements: Prisma's model queries cost two to three times the CPU, the
// webhook path's main cost.

/** Whether the order has its award already (the duplicate check on every orders/paid). */
export async function hasAward(tx: Tx, shopId: string, orderId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "OrderAward" WHERE "shopId" = ${shopId} AND "orderId" = ${orderId}`;
  return rows.length > 0;
}

export interface NewAward {
  shopId: string;
  orderId: string;
  orderName: string | null;
  customerId: string | null;
  status: "awarded" | "guest" | "cancelled";
  currencyCode: string;
  merchandiseTotal: string;
  rate: string;
  rounding: string;
  pointsAwarded: number;
  pointsPending: number;
  availableAt: Date | null;
  lines: string;
  explanation: string | null;
  cancelledAt: Date | null;
  createdAt: Date;
}

/** Inserts an order's award (a second one for the order fails as a unique violation). */
export async function createAward(tx: Tx, a: NewAward): Promise<{ id: string; shopId: string; orderId: string }> {
  const id = randomUUID();
  await tx.$executeRaw`
    INSERT INTO "OrderAward" ("id", "shopId", "orderId", "orderName", "customerId", "status", "currencyCode", "merchandiseTotal", "rate", "rounding",
                              "pointsAwarded", "pointsPending", "availableAt", "lines", "explanation", "cancelledAt", "createdAt", "updatedAt")
    VALUES (${id}, ${a.shopId}, ${a.orderId}, ${a.orderName}, ${a.customerId}, ${a.status}, ${a.currencyCode}, ${a.merchandiseTotal}, ${a.rate}, ${a.rounding},
            ${a.pointsAwarded}, ${a.pointsPending}, ${a.availableAt}, ${a.lines}, ${a.explanation}, ${a.cancelledAt}, ${a.createdAt}, ${a.createdAt})`;
  return { id, shopId: a.shopId, orderId: a.orderId };
}

/** Whether a refund of the order waits to be applied (most orders have none). */
export async function hasWaitingRefund(tx: Tx, shopId: string, orderId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM "OrderRefund" WHERE "shopId" = ${shopId} AND "orderId" = ${orderId} AND "status" = 'waiting'`;
  return rows.length > 0;
}

export function findAward(tx: Tx, shopId: string, orderId: string) {
  return tx.orderAward.findUnique({ where: { shopId_orderId: { shopId, orderId } } });
}

/**
 * Serializes the transactions of one order (orders/paid, refunds/create,
 * orders/cancelled) on PostgreSQL, taken first thing in each. Without it, an
 * order and its refund committing at the same moment could each miss the
 * other (read committed): the award would not see the refund, nor the refund
 * the award, and the refund would wait forever. SQLite has one writer at a
 * time already.
 */
export async function lockOrder(tx: Tx, shopId: string, orderId: string) {
  // (Prisma's own record of the provider: a transaction client has no public
  // one. test/db/ledger-concurrency.test.ts checks the lock is really taken.)
  if ((tx as unknown as { _activeProvider?: string })._activeProvider !== "postgresql") return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${shopId} ${orderId}`}, 0))`;
}

/** Re-reads the award holding its row lock, so refunds of one order apply one at a time. */
export function lockAward(tx: Tx, id: string) {
  return tx.orderAward.update({ where: { id }, data: { updatedAt: new Date() } });
}

export const awardLines = (award: { lines: string }): AwardLine[] => JSON.parse(award.lines);

export interface RefundLine {
  lineItemId: string;
  quantity: number;
}

export function findRefund(tx: Tx, shopId: string, refundId: string) {
  return tx.orderRefund.findUnique({ where: { shopId_refundId: { shopId, refundId } } });
}

export function createWaitingRefund(tx: Tx, shopId: string, orderId: string, refundId: string, lines: RefundLine[]) {
  return tx.orderRefund.create({ data: { shopId, orderId, refundId, status: "waiting", lines: JSON.stringify(lines) } });
}

export function refundsOfOrder(tx: Tx, shopId: string, orderId: string) {
  return tx.orderRefund.findMany({ where: { shopId, orderId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}
