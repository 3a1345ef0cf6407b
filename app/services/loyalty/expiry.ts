// Points expiry, pure part: which points are still "open" in a customer's
// ledger, batch by batch, first in first out.
//
// Every entry that added spendable points (an order's earn or release, a
// bonus, a positive adjustment) is a batch, dated when its points became
// spendable. Every entry that took points (redemptions, reversals, negative
// adjustments, earlier expiries) consumes the oldest open batches first; a
// debit with no open batch leaves a deficit that the next credits pay first.

export interface LedgerPoint {
  id: string;
  points: number;
  createdAt: Date;
}

export interface Batch {
  id: string;
  at: Date;
  remaining: number;
}

/** The batches with points left, oldest first. entries must be in ledger order (createdAt, id). */
export function openBatches(entries: LedgerPoint[]): Batch[] {
  const queue: Batch[] = [];
  let deficit = 0;
  for (const entry of entries) {
    if (entry.points > 0) {
      let amount = entry.points;
      const paid = Math.min(deficit, amount);
      deficit -= paid;
      amount -= paid;
      if (amount > 0) queue.push({ id: entry.id, at: entry.createdAt, remaining: amount });
    } else if (entry.points < 0) {
      let need = -entry.points;
      while (need > 0 && queue.length > 0) {
        const take = Math.min(need, queue[0].remaining);
        queue[0].remaining -= take;
        need -= take;
        if (queue[0].remaining === 0) queue.shift();
      }
      deficit += need;
    }
  }
  return queue;
}

/** Types that count as the customer's own activity for the inactivity policy: orders, redemptions, and merchant adjustments. */
export const ACTIVITY_TYPES = ["earn", "redeem", "adjust"] as const;

export function lastActivity(entries: (LedgerPoint & { type: string })[]): LedgerPoint | null {
  let last: LedgerPoint | null = null;
  for (const e of entries) if ((ACTIVITY_TYPES as readonly string[]).includes(e.type) && (!last || e.createdAt >= last.createdAt)) last = e;
  // A customer who never ordered (only a sign-up bonus, say) is measured from their first entry.
  return last ?? entries[0] ?? null;
}
