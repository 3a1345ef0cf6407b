// The points ledger. Entries are only ever appended; a customer's cached
// balance changes only here, in the same transaction as the entry, so the
// balance always equals the sum of the entries.
import type { Db, Tx } from "../db.server";
import { insertStatement, isPostgres, newRowId, quoteNames } from "./sql";
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

/** Rows a statement inserts beside appendCredits' own writes (see its `along`). */
export interface RowsInsert {
  table: string;
  columns: readonly string[];
  rows: Record<string, unknown>[];
}

/**
 * appendEntry for many credits at once (orders/paid's earn entries for a
 * batch of orders): every customer's balance moved, and read back after,
 * and the entries inserted, each with the balance it left. Credits only —
 * nothing to clamp. `along`: rows to insert with them (the batch's awards).
 *
 * The caller's transaction holds the customers' rows already, locked in
 * Shopify id order (creditOrders' upsert of its batch's customers: see
 * customersUpsert), so concurrent batches never deadlock and the statement
 * takes no locks of its own. (It locked them again, in the same order, in a
 * subquery whose plan, made while a new shop's table was small, went on
 * reading every customer of the shop as the table grew.)
 *
 * On PostgreSQL all of it is one statement: one round trip where a batch's
 * transaction held its locks across three. The customers come as arrays,
 * not JSON: the planner knows an array's length, and with JSON's guess of
 * 100 rows it read every customer of the shop twice per batch, to find two
 * (a busy day's growing table, before its statistics caught up). On SQLite,
 * whose transactions write one at a time, a statement each.
 */
export async function appendCredits(tx: SqlClient, entries: NewEntry[], along?: RowsInsert): Promise<void> {
  if (!entries.length && !along?.rows.length) return;
  if (entries.some((e) => e.points < 0 || (e.pendingPoints ?? 0) < 0)) throw new Error("appendCredits takes credits only");
  const moves = new Map<string, { points: number; pending: number }>();
  for (const e of entries) {
    const move = moves.get(e.customerId) ?? { points: 0, pending: 0 };
    move.points += e.points;
    move.pending += e.pendingPoints ?? 0;
    moves.set(e.customerId, move);
  }
  const now = new Date();
  // Each entry's balance after it, less the customer's balance after the
  // batch's move: its customer's entries up to it, less all of them.
  const running = new Map<string, number>();
  const rows = entries.map((e) => {
    running.set(e.customerId, (running.get(e.customerId) ?? 0) + e.points);
    return {
      id: newRowId(),
      shopId: e.shopId,
      customerId: e.customerId,
      type: e.type,
      points: e.points,
      balanceAfter: running.get(e.customerId)! - moves.get(e.customerId)!.points,
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
  const ids = [...moves.keys()];
  if (isPostgres(tx)) {
    const json = (table: RowsInsert) => JSON.stringify(table.rows.map((row) => Object.fromEntries(table.columns.map((c) => [c, row[c] ?? null]))));
    const columns = quoteNames(ENTRY_COLUMNS);
    const [counts] = await tx.$queryRawUnsafe<{ moved: number }[]>(
      `WITH ${along?.rows.length ? `"along" AS (INSERT INTO "${along.table}" (${quoteNames(along.columns)}) SELECT ${quoteNames(along.columns)} FROM json_populate_recordset(NULL::"${along.table}", $6::json)), ` : ""}
       "v" AS (SELECT * FROM unnest($1::text[], $4::int[], $5::int[]) AS v("id", "points", "pending")),
       "moved" AS (
         UPDATE "Customer" SET "balance" = "Customer"."balance" + v."points", "pendingBalance" = "Customer"."pendingBalance" + v."pending", "updatedAt" = $2
         FROM "v"
         WHERE "Customer"."id" = v."id"
         RETURNING "Customer"."id", "Customer"."balance"),
       "entries" AS (
         INSERT INTO "LedgerEntry" (${columns})
         SELECT ${ENTRY_COLUMNS.map((c) => (c === "balanceAfter" ? `m."balance" + e."balanceAfter"` : `e."${c}"`)).join(", ")}
         FROM json_populate_recordset(NULL::"LedgerEntry", $3::json) AS e JOIN "moved" AS m ON m."id" = e."customerId")
       SELECT (SELECT count(*) FROM "moved")::int AS "moved"`,
      ids,
      now,
      json({ table: "LedgerEntry", columns: ENTRY_COLUMNS, rows }),
      ids.map((id) => moves.get(id)!.points),
      ids.map((id) => moves.get(id)!.pending),
      ...(along?.rows.length ? [json(along)] : []),
    );
    if (counts.moved !== ids.length) throw new Error(`No customer for ${ids.length - counts.moved} of the credits`);
    return;
  }
  if (along?.rows.length) {
    const insert = insertStatement(tx, along.table, along.columns, along.rows);
    await tx.$executeRawUnsafe(insert.sql, ...insert.params);
  }
  if (!entries.length) return;
  const after = await tx.$queryRawUnsafe<{ id: string; balance: number | bigint }[]>(
    `UPDATE "Customer" SET "balance" = "Customer"."balance" + v.column2, "pendingBalance" = "Customer"."pendingBalance" + v.column3, "updatedAt" = $1
     FROM (VALUES ${ids.map((_, i) => `($${3 * i + 2}, $${3 * i + 3}, $${3 * i + 4})`).join(", ")}) AS v
     WHERE "Customer"."id" = v.column1
     RETURNING "id", "balance"`,
    now,
    ...ids.flatMap((id) => [id, moves.get(id)!.points, moves.get(id)!.pending]),
  );
  if (after.length !== ids.length) throw new Error(`No customer ${ids.find((id) => !after.some((b) => b.id === id))}`);
  const balance = new Map(after.map((b) => [b.id, Number(b.balance)]));
  for (const row of rows) row.balanceAfter += balance.get(row.customerId)!;
  const insert = insertStatement(tx, "LedgerEntry", ENTRY_COLUMNS, rows);
  await tx.$executeRawUnsafe(insert.sql, ...insert.params);
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
