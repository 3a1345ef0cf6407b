// The points ledger. Entries are only ever appended; a customer's cached
// balance changes only here, in the same transaction as the entry, so the
// balance always equals the sum of the entries.
import type { Db, Tx } from "../db.server";

export const ENTRY_TYPES = ["earn", "reverse", "redeem", "adjust", "expire", "bonus"] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];
export type SourceType = "order" | "refund" | "cancellation" | "admin" | "redemption" | "referral";

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
}

/**
 * Appends an entry inside the caller's transaction. The customer row is
 * updated first, which holds its row lock (PostgreSQL) or the write lock
 * (SQLite) until commit, so concurrent webhooks for one customer serialize
 * here. A duplicate idempotency key fails the transaction with P2002.
 */
export async function appendEntry(tx: Tx, entry: NewEntry) {
  const { balance } = await tx.customer.update({
    where: { id: entry.customerId },
    data: { balance: { increment: 0 } },
    select: { balance: true },
  });
  let applied = entry.points;
  let details: Record<string, unknown> | null = null;
  if (applied < 0 && !entry.allowNegative && balance + applied < 0) {
    const clamped = -Math.max(balance, 0);
    details = { requested: applied, shortfall: clamped - applied };
    applied = clamped;
  }
  const updated =
    applied === 0
      ? { balance }
      : await tx.customer.update({
          where: { id: entry.customerId },
          data: { balance: { increment: applied } },
          select: { balance: true },
        });
  return tx.ledgerEntry.create({
    data: {
      shopId: entry.shopId,
      customerId: entry.customerId,
      type: entry.type,
      points: applied,
      balanceAfter: updated.balance,
      sourceType: entry.sourceType,
      sourceId: entry.sourceId ?? null,
      idempotencyKey: entry.idempotencyKey,
      reason: entry.reason ?? null,
      actor: entry.actor ?? null,
      details: details ? JSON.stringify(details) : null,
    },
  });
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

/** Headline figures for the home page. */
export async function programTotals(db: Db, shopId: string) {
  const [members, issued, redeemed, outstanding] = await Promise.all([
    db.customer.count({ where: { shopId, redactedAt: null } }),
    db.ledgerEntry.aggregate({ where: { shopId, points: { gt: 0 } }, _sum: { points: true } }),
    db.ledgerEntry.aggregate({ where: { shopId, type: "redeem" }, _sum: { points: true } }),
    db.customer.aggregate({ where: { shopId }, _sum: { balance: true } }),
  ]);
  return {
    members,
    pointsIssued: issued._sum.points ?? 0,
    pointsRedeemed: Math.abs(redeemed._sum.points ?? 0),
    pointsOutstanding: outstanding._sum.balance ?? 0,
  };
}

export function recentActivity(db: Db, shopId: string, take = 10) {
  return db.ledgerEntry.findMany({
    where: { shopId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { customer: { select: { id: true, firstName: true, lastName: true, email: true } } },
  });
}
