// The figures behind the results dashboard, computed from the source tables
// (orders, ledger, customers). Closed days are computed once and kept in
// DailyStat; today is always computed live. See app/services/results/.
import type { Db } from "../db.server";
import { isUniqueViolation } from "./errors";
import { toMilli } from "../services/money";
import { addDays, dayOf, daysBetween, startOfDay } from "../services/results/period";

export type DayFigures = Map<string, bigint>;

/**
 * One day's figures: orders and their merchandise (cancelled orders excluded),
 * members' share of both, new members, and the points that moved, by entry
 * type and sign ("points+:earn", "points-:redeem", …).
 */
export async function computeDay(db: Db, shopId: string, day: string): Promise<DayFigures> {
  const from = startOfDay(day);
  const to = addDays(from, 1);
  const [orders, ledger, newMembers] = await Promise.all([
    db.orderAward.findMany({
      where: { shopId, createdAt: { gte: from, lt: to }, status: { not: "cancelled" } },
      select: { customerId: true, merchandiseTotal: true },
    }),
    db.ledgerEntry.groupBy({
      by: ["type"],
      where: { shopId, createdAt: { gte: from, lt: to } },
      _sum: { points: true },
      _count: { _all: true },
    }),
    db.customer.count({ where: { shopId, createdAt: { gte: from, lt: to } } }),
  ]);
  const figures: DayFigures = new Map();
  const add = (metric: string, value: bigint) => figures.set(metric, (figures.get(metric) ?? 0n) + value);
  add("orders", BigInt(orders.length));
  add("new_members", BigInt(newMembers));
  for (const order of orders) {
    const milli = toMilli(order.merchandiseTotal);
    add("revenue_milli", milli);
    if (order.customerId) {
      add("member_orders", 1n);
      add("member_revenue_milli", milli);
    }
  }
  // The sign split needs the entries themselves only for types that go both
  // ways (adjustments); the others have one sign by construction.
  for (const group of ledger) {
    const sum = BigInt(group._sum.points ?? 0);
    if (group.type === "adjust") continue;
    if (sum >= 0n) add(`points+:${group.type}`, sum);
    else add(`points-:${group.type}`, -sum);
  }
  if (ledger.some((g) => g.type === "adjust")) {
    const [plus, minus] = await Promise.all([
      db.ledgerEntry.aggregate({ where: { shopId, type: "adjust", points: { gt: 0 }, createdAt: { gte: from, lt: to } }, _sum: { points: true } }),
      db.ledgerEntry.aggregate({ where: { shopId, type: "adjust", points: { lt: 0 }, createdAt: { gte: from, lt: to } }, _sum: { points: true } }),
    ]);
    add("points+:adjust", BigInt(plus._sum.points ?? 0));
    add("points-:adjust", BigInt(-(minus._sum.points ?? 0)));
  }
  return figures;
}

/**
 * The figures of every day in [from, to): closed days from DailyStat
 * (computed and stored on first use), today live.
 */
export async function dailyFigures(db: Db, shopId: string, from: Date, to: Date, now: Date): Promise<Map<string, DayFigures>> {
  const today = dayOf(now);
  const days = daysBetween(from, to).filter((d) => d <= today);
  const closed = days.filter((d) => d < today);
  const stored = await db.dailyStat.findMany({ where: { shopId, day: { in: closed } } });
  const result = new Map<string, DayFigures>(days.map((d) => [d, new Map()]));
  const known = new Set<string>();
  for (const row of stored) {
    result.get(row.day)!.set(row.metric, row.value);
    known.add(row.day);
  }
  // Missing days (a first visit, or a long period) a few at a time.
  const missing = closed.filter((d) => !known.has(d));
  for (let i = 0; i < missing.length; i += 4) {
    await Promise.all(
      missing.slice(i, i + 4).map(async (day) => {
        const figures = await computeDay(db, shopId, day);
        result.set(day, figures);
        await storeDay(db, shopId, day, figures);
      }),
    );
  }
  if (days.includes(today)) result.set(today, await computeDay(db, shopId, today));
  return result;
}

async function storeDay(db: Db, shopId: string, day: string, figures: DayFigures) {
  // "orders" is always present, so a stored day is recognisable even when
  // nothing happened on it. One insert for the day's metrics (the first load
  // of a year stores hundreds of days). Two dashboards filling the same day
  // compute the same values: the second insert's conflict is that, and ignored.
  const data = [...figures].map(([metric, value]) => ({ shopId, day, metric, value }));
  try {
    await db.dailyStat.createMany({ data });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

/** Sums one metric (or every metric with a prefix) over the given days. */
export function total(figures: Map<string, DayFigures>, metric: string | ((m: string) => boolean)): bigint {
  let sum = 0n;
  for (const day of figures.values()) {
    for (const [m, v] of day) if (typeof metric === "string" ? m === metric : metric(m)) sum += v;
  }
  return sum;
}

export function series(figures: Map<string, DayFigures>, metric: string | ((m: string) => boolean)): Map<string, number> {
  const out = new Map<string, number>();
  for (const [day, values] of figures) {
    let sum = 0n;
    for (const [m, v] of values) if (typeof metric === "string" ? m === metric : metric(m)) sum += v;
    out.set(day, Number(sum));
  }
  return out;
}

/** A COUNT from a raw query: SQLite answers a number, PostgreSQL a bigint. */
export const countOf = (value: number | bigint | null | undefined) => Number(value ?? 0);

/**
 * Customers who ordered in [from, to), and how many of them have ordered at
 * least twice by `to` (in the period or before it): the repeat-purchase rate's
 * numerator and denominator. Cancelled orders do not count.
 *
 * One aggregate in the database: a customer of the period is a repeat
 * customer with two orders in it, or one in it and one before it. (On a store
 * with a million orders, fetching the period's customers to count them took
 * seconds.)
 */
export async function repeatCustomers(db: Db, shopId: string, from: Date, to: Date): Promise<{ customers: number; repeat: number }> {
  const [row] = await db.$queryRaw<{ customers: number | bigint; repeaters: number | bigint | null }[]>`
    SELECT COUNT(*) AS customers,
           SUM(CASE WHEN p.n >= 2 OR EXISTS (
             SELECT 1 FROM "OrderAward" b
             WHERE b."customerId" = p."customerId" AND b."shopId" = ${shopId} AND b.status <> 'cancelled' AND b."createdAt" < ${from}
           ) THEN 1 ELSE 0 END) AS repeaters
    FROM (
      SELECT "customerId", COUNT(*) AS n FROM "OrderAward"
      WHERE "shopId" = ${shopId} AND "customerId" IS NOT NULL AND status <> 'cancelled' AND "createdAt" >= ${from} AND "createdAt" < ${to}
      GROUP BY "customerId"
    ) p`;
  return { customers: countOf(row?.customers), repeat: countOf(row?.repeaters) };
}

/** Members with any points activity in [from, to). */
export async function activeMembers(db: Db, shopId: string, from: Date, to: Date): Promise<number> {
  // DISTINCT as a grouping, not COUNT(DISTINCT): PostgreSQL hashes a
  // grouping but always sorts for COUNT(DISTINCT), which is slower on a year.
  const [row] = await db.$queryRaw<{ n: number | bigint }[]>`
    SELECT COUNT(*) AS n FROM (
      SELECT "customerId" FROM "LedgerEntry" WHERE "shopId" = ${shopId} AND "createdAt" >= ${from} AND "createdAt" < ${to} GROUP BY "customerId"
    ) active`;
  return countOf(row?.n);
}

/** Today's membership: members, the spendable points they hold, and those still pending. */
export async function membership(db: Db, shopId: string): Promise<{ members: number; pointsOutstanding: number; pointsPending: number }> {
  const [members, outstanding] = await Promise.all([
    db.customer.count({ where: { shopId, redactedAt: null } }),
    db.customer.aggregate({ where: { shopId }, _sum: { balance: true, pendingBalance: true } }),
  ]);
  return { members, pointsOutstanding: outstanding._sum.balance ?? 0, pointsPending: outstanding._sum.pendingBalance ?? 0 };
}
