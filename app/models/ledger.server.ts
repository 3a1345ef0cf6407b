// The points ledger. Entries are only ever appended; a customer's cached
// balance changes only here, in the same transaction as the entry, so the
// balance always equals the sum of the entries.
import type { Db, Tx } from "../db.server";
import { customersLockedInOrder, inList, insertStatement, isPostgres, newRowId } from "./sql";
import type { SqlClient } from "../db/direct";

// earn: an order's points (spendable at once, or pending for the return
// window); release: pending points becoming spendable; reverse: a refund or
// cancellation taking points back (pending ones first); expire: the expiry
// policy; bonus: sign-up and birthday bonuses.
export const ENTRY_TYPES = ["earn", "release", "reverse", "redeem", "adjust", "expire", "bonus"] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];
export type SourceType = "order" | "refund" | "cancellation" | "admin" | "program" | "redemption" | "referral";

export interface NewEntry {
  shopId: string;
  customerId: string;
  type: EntryType;
  /** The change wanted; a debit may be clamped by the balance policy. */
  points: number;
  sourceType: SourceType;
  sourceId?: string | null;
  idempotencyKey: string;
  reason?: string | null;
  actor?: string | null;
  /** Whether a debit may take the balance below zero (the shop's policy). */
  allowNegative: boolean;
  /** Signed change to the customer's pending points (never clamped: pending is only ever cancelled up to what is pending). */
  pendingPoints?: number;
  /** When the pending points of an earn entry become spendable. */
  availableAt?: Date | null;
  /** The entry's time; jobs pass their clock's now. Defaults to now. */
  at?: Date;
}

const ENTRY_COLUMNS = [
  "id", "shopId", "customerId", "type", "points", "balanceAfter", "sourceType", "sourceId", "idempotencyKey",
  "reason", "actor", "details", "pendingPoints", "availableAt", "createdAt",
] as const;

/**
 * Appends an entry inside the caller's transaction. The customer row is
 * updated first, which holds its row lock (PostgreSQL) or the write lock
 * (SQLite) until commit, so concurrent webhooks for one customer serialize
 * here. A duplicate idempotency key fails the transaction with P2002.
 */
export async function appendEntry(tx: Tx, entry: NewEntry) {
  const pending = entry.pendingPoints ?? 0;
  let applied = entry.points;
  let details: Record<string, unknown> | null = null;
  // (A raw UPDATE … RETURNING: every credit and reversal moves a balance, and
  // Prisma's update costs twice as much.)
  const move = async (points: number) => {
    const [row] = await tx.$queryRaw<{ balance: number | bigint }[]>`
      UPDATE "Customer" SET "balance" = "balance" + ${points}, "pendingBalance" = "pendingBalance" + ${pending}, "updatedAt" = ${new Date()}
      WHERE "id" = ${entry.customerId} RETURNING "balance"`;
    if (!row) throw new Error(`No customer ${entry.customerId}`);
    return { balance: Number(row.balance) };
  };
  let updated: { balance: number };
  if (applied >= 0 || entry.allowNegative) {
    // Nothing to clamp: one atomic increment locks the row and moves the balance.
    updated = await move(applied);
  } else {
    // A deduction may be clamped at zero: lock the row and read the balance first.
    const { balance } = await tx.customer.update({
      where: { id: entry.customerId },
      data: { balance: { increment: 0 } },
      select: { balance: true },
    });
    if (balance + applied < 0) {
      const clamped = -Math.max(balance, 0);
      details = { requested: applied, shortfall: clamped - applied };
      applied = clamped;
    }
    updated = applied === 0 && pending === 0 ? { balance } : await move(applied);
  }
  const row = {
    id: newRowId(),
    shopId: entry.shopId,
    customerId: entry.customerId,
    type: entry.type as string,
    points: applied,
    balanceAfter: updated.balance,
    sourceType: entry.sourceType as string,
    sourceId: entry.sourceId ?? null,
    idempotencyKey: entry.idempotencyKey,
    reason: entry.reason ?? null,
    actor: entry.actor ?? null,
    details: details ? JSON.stringify(details) : null,
    pendingPoints: pending,
    availableAt: entry.availableAt ?? null,
    createdAt: entry.at ?? new Date(),
  };
  // One raw INSERT (see move): a duplicate key fails it as Prisma's create would (isUniqueViolation).
  const insert = insertStatement(tx, "LedgerEntry", ENTRY_COLUMNS, [row]);
  await tx.$executeRawUnsafe(insert.sql, ...insert.params);
  return row;
}

/**
 * appendEntry for many credits at once (orders/paid's earn entries for a
 * batch of orders): one statement moves every customer's balance, one
 * inserts the entries, each with the balance it left. Credits only — nothing
 * to clamp.
 */
export async function appendCredits(tx: SqlClient, entries: NewEntry[]) {
  if (!entries.length) return [];
  if (entries.some((e) => e.points < 0 || (e.pendingPoints ?? 0) < 0)) throw new Error("appendCredits takes credits only");
  const moves = new Map<string, { points: number; pending: number }>();
  for (const e of entries) {
    const move = moves.get(e.customerId) ?? { points: 0, pending: 0 };
    move.points += e.points;
    move.pending += e.pendingPoints ?? 0;
    moves.set(e.customerId, move);
  }
  const ids = [...moves.keys()];
  const now = new Date();
  // The balances moved, and read back after, in one statement, its rows
  // locked in Shopify id order on PostgreSQL (concurrent batches never
  // deadlock); on SQLite this transaction is the one writer.
  const locked = customersLockedInOrder(tx, ids.length, 3 * ids.length + 2);
  const after = await tx.$queryRawUnsafe<{ id: string; balance: number | bigint }[]>(
    `UPDATE "Customer" SET "balance" = "Customer"."balance" + v.column2, "pendingBalance" = "Customer"."pendingBalance" + v.column3, "updatedAt" = $1
     FROM (VALUES ${ids.map((_, i) => `(CAST($${3 * i + 2} AS TEXT), CAST($${3 * i + 3} AS INTEGER), CAST($${3 * i + 4} AS INTEGER))`).join(", ")}) AS v${locked}
     WHERE "Customer"."id" = v.column1${locked ? ` AND l."lockedId" = v.column1` : ""}
     RETURNING "id", "balance"`,
    now,
    ...ids.flatMap((id) => [id, moves.get(id)!.points, moves.get(id)!.pending]),
    ...(locked ? ids : []),
  );
  if (after.length !== ids.length) throw new Error(`No customer ${ids.find((id) => !after.some((b) => b.id === id))}`);
  // Each entry's balance after it: the balance before (after, less the
  // batch's move), plus its customer's entries up to it.
  const balance = new Map(after.map((b) => [b.id, Number(b.balance) - moves.get(b.id)!.points]));
  const rows = entries.map((e) => {
    const balanceAfter = balance.get(e.customerId)! + e.points;
    balance.set(e.customerId, balanceAfter);
    return {
      id: newRowId(),
      shopId: e.shopId,
      customerId: e.customerId,
      type: e.type,
      points: e.points,
      balanceAfter,
      sourceType: e.sourceType,
      sourceId: e.sourceId ?? null,
      idempotencyKey: e.idempotencyKey,
      reason: e.reason ?? null,
      actor: e.actor ?? null,
      details: null,
      pendingPoints: e.pendingPoints ?? 0,
      availableAt: e.availableAt ?? null,
      createdAt: e.at ?? now,
    };
  });
  const insert = insertStatement(tx, "LedgerEntry", ENTRY_COLUMNS, rows);
  await tx.$executeRawUnsafe(insert.sql, ...insert.params);
  return rows;
}

/** Whether an entry with this natural key exists (jobs check before writing, so a rerun is a no-op). */
export async function entryExists(db: Db | Tx, shopId: string, idempotencyKey: string) {
  return Boolean(await db.ledgerEntry.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey } }, select: { id: true } }));
}

export interface ActivityFilter {
  type?: EntryType | null;
  page?: number;
  pageSize?: number;
}

/** The shop's ledger, newest first, optionally of one entry type (the Activity page). */
export async function listShopActivity(db: Db, shopId: string, { type, page = 1, pageSize = 50 }: ActivityFilter = {}) {
  const where = { shopId, ...(type ? { type } : {}) };
  const [total, rows] = await Promise.all([
    db.ledgerEntry.count({ where }),
    db.ledgerEntry.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (Math.max(1, page) - 1) * pageSize,
      take: pageSize,
      include: { customer: { select: { id: true, firstName: true, lastName: true, email: true, redactedAt: true } } },
    }),
  ]);
  return { total, rows, page: Math.max(1, page), pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

export async function sumOfPending(db: Db | Tx, customerId: string): Promise<number> {
  const { _sum } = await db.ledgerEntry.aggregate({ where: { customerId }, _sum: { pendingPoints: true } });
  return _sum.pendingPoints ?? 0;
}

export function listEntries(db: Db, customerId: string, { page = 1, pageSize = 50 } = {}) {
  return db.ledgerEntry.findMany({
    where: { customerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (Math.max(1, page) - 1) * pageSize,
    take: pageSize,
  });
}

export function countEntries(db: Db, customerId: string) {
  return db.ledgerEntry.count({ where: { customerId } });
}

export async function sumOfEntries(db: Db | Tx, customerId: string): Promise<number> {
  const { _sum } = await db.ledgerEntry.aggregate({ where: { customerId }, _sum: { points: true } });
  return _sum.points ?? 0;
}

export function recentActivity(db: Db, shopId: string, take = 10) {
  return db.ledgerEntry.findMany({
    where: { shopId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { customer: { select: { id: true, firstName: true, lastName: true, email: true } } },
  });
}
