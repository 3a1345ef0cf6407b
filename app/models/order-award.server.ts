import type { Tx } from "../db.server";
import type { AwardLine } from "../services/loyalty/earning";
import type { RowsInsert } from "./ledger.server";
import pg from "pg";
import { inList, isPostgres, newRowId } from "./sql";
import type { SqlClient } from "../db/direct";

export type AwardStatus = "awarded" | "cancelled" | "guest";

// The reads and the insert orders/paid makes on every order are raw
// statements: Prisma's model queries cost two to three times the CPU, the
// webhook path's main cost.

/**
 * Which of the orders have their award already (the duplicate check on every
 * orders/paid) and which have a refund waiting to be applied (most orders
 * have none): one read.
 */
export async function orderStates(tx: SqlClient, shopId: string, orderIds: string[]): Promise<OrderStates> {
  const { sql, params } = orderStatesQuery(shopId, orderIds);
  return statesOf(await tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params));
}

/** orderStates' read, for a batch's transaction to send with its opening (see creditOrders); statesOf reads its rows. */
export function orderStatesQuery(shopId: string, orderIds: string[]) {
  const ids = inList(orderIds.length, 2);
  return {
    sql: `SELECT 'award' AS "kind", "orderId" FROM "OrderAward" WHERE "shopId" = $1 AND "orderId" IN (${ids})
     UNION ALL
     SELECT 'refund' AS "kind", "orderId" FROM "OrderRefund" WHERE "shopId" = $1 AND "status" = 'waiting' AND "orderId" IN (${ids})`,
    params: [shopId, ...orderIds],
  };
}

export interface OrderStates {
  awarded: Set<string>;
  waiting: Set<string>;
}

export function statesOf(rows: readonly Record<string, unknown>[]): OrderStates {
  const of = (kind: string) => new Set(rows.filter((r) => r.kind === kind).map((r) => String(r.orderId)));
  return { awarded: of("award"), waiting: of("refund") };
}

/** Which of the customers have an award of an earlier order (a first-order bonus goes to the others). */
export async function customersWithAwards(tx: SqlClient, shopId: string, customerIds: string[]): Promise<Set<string>> {
  if (!customerIds.length) return new Set();
  const rows = await tx.$queryRawUnsafe<{ customerId: string }[]>(
    `SELECT DISTINCT "customerId" FROM "OrderAward" WHERE "shopId" = $1 AND "customerId" IN (${inList(customerIds.length, 2)})`,
    shopId,
    ...customerIds,
  );
  return new Set(rows.map((r) => r.customerId));
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

const AWARD_COLUMNS = [
  "id", "shopId", "orderId", "orderName", "customerId", "status", "currencyCode", "merchandiseTotal", "rate", "rounding",
  "pointsAwarded", "pointsPending", "availableAt", "lines", "explanation", "cancelledAt", "createdAt", "updatedAt",
] as const;

/**
 * The orders' awards as rows to insert, for appendCredits to write with the
 * batch's entries (a second award for an order fails the statement as a
 * unique violation).
 */
export function awardsInsert(awards: NewAward[]) {
  const rows = awards.map((a) => ({ id: newRowId(), ...a, updatedAt: a.createdAt }));
  return { table: "OrderAward", columns: AWARD_COLUMNS, rows } satisfies RowsInsert;
}

export const hasWaitingRefund = async (tx: SqlClient, shopId: string, orderId: string) => (await orderStates(tx, shopId, [orderId])).waiting.size > 0;

export function findAward(tx: Tx, shopId: string, orderId: string) {
  return tx.orderAward.findUnique({ where: { shopId_orderId: { shopId, orderId } } });
}

/**
 * Serializes the transactions of each order (orders/paid, refunds/create,
 * orders/cancelled) on PostgreSQL, taken first thing in each. Without it, an
 * order and its refund committing at the same moment could each miss the
 * other (read committed): the award would not see the refund, nor the refund
 * the award, and the refund would wait forever. SQLite has one writer at a
 * time already. A batch takes its orders' locks in one sorted sweep, so two
 * batches sharing orders wait for each other and never deadlock.
 */
export async function lockOrders(tx: SqlClient, shopId: string, orderIds: string[]) {
  if (isPostgres(tx)) await tx.$executeRawUnsafe(lockOrdersStatement(shopId, orderIds));
}

/**
 * lockOrders' statement (PostgreSQL), its keys written into it: a batch's
 * transaction opens with it (directTransaction's `opening`).
 */
export function lockOrdersStatement(shopId: string, orderIds: string[]): string {
  const keys = [...new Set(orderIds)].map((id) => `${shopId} ${id}`).sort();
  return `SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM (VALUES ${keys.map((k) => `(${pg.escapeLiteral(k)})`).join(", ")}) AS v(k)`;
}

export const lockOrder = (tx: SqlClient, shopId: string, orderId: string) => lockOrders(tx, shopId, [orderId]);

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
