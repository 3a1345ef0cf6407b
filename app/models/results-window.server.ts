// The results dashboard's figures that days cannot be summed into: distinct
// customers (repeat purchases, active members) and answered orders. A period
// is split into its closed part, [from, 00:00 UTC today), whose figures are
// computed once a day from the source tables and kept in WindowStat, and
// today, merged in live with small queries that start from today's rows.
// The results are exact: the same as computing the whole period from the
// source tables (the tests compare them).
import type { Db } from "../db.server";
import { isUniqueViolation } from "./errors";
import { activeMembers, countOf, repeatCustomers } from "./results.server";
import { PERIODS, dayOf, periodFor, startOfDay, type PeriodKey } from "../services/results/period";

interface Split {
  from: Date;
  to: Date;
  /** 00:00 UTC today: the closed part ends here (or at `to`, if earlier). */
  today: Date;
  closedTo: Date;
  /** Today's part, [liveFrom, to), when the period reaches today. */
  liveFrom: Date;
  hasClosed: boolean;
  hasLive: boolean;
}

function split(from: Date, to: Date, now: Date): Split {
  const today = startOfDay(dayOf(now));
  const closedTo = to < today ? to : today;
  const liveFrom = from > today ? from : today;
  return { from, to, today, closedTo, liveFrom, hasClosed: from < closedTo, hasLive: liveFrom < to };
}

// Windows being computed by this process: sections loading at once compute one once.
const computing = new Map<string, Promise<Record<string, number>>>();

/**
 * The closed part's figures (`metrics`), from WindowStat, or computed by
 * `compute` and stored. Keyed by the window and the day it is valid on, so a
 * row is never read on a later day (when source rows of the day before have
 * joined the closed part).
 */
async function closedWindow(
  db: Db,
  shopId: string,
  s: Split,
  metrics: string[],
  compute: () => Promise<Record<string, number>>,
): Promise<Record<string, number>> {
  if (!s.hasClosed) return Object.fromEntries(metrics.map((m) => [m, 0]));
  const key = { shopId, asOf: dayOf(s.today), fromDay: dayOf(s.from), toDay: dayOf(s.closedTo) };
  const rows = await db.windowStat.findMany({ where: { ...key, metric: { in: metrics } }, select: { metric: true, value: true } });
  if (rows.length === metrics.length) return Object.fromEntries(rows.map((r) => [r.metric, Number(r.value)]));
  const id = `${shopId} ${key.asOf} ${key.fromDay} ${key.toDay} ${metrics.join(",")}`;
  let work = computing.get(id);
  if (!work) {
    work = (async () => {
      const values = await compute();
      try {
        await db.windowStat.createMany({ data: metrics.map((metric) => ({ ...key, metric, value: BigInt(values[metric]) })) });
      } catch (error) {
        // Another process stored the same window first: the same values.
        if (!isUniqueViolation(error)) throw error;
      }
      return values;
    })().finally(() => computing.delete(id));
    computing.set(id, work);
  }
  return work;
}

/**
 * repeatCustomers (customers who ordered in [from, to), and those of them
 * with at least two orders by `to`), with the closed part from WindowStat.
 *
 * Today's customers are merged in one at a time, each by its own orders
 * (the customer's index): a customer with no order in the closed part is a
 * new customer of the period; one who was not a repeat customer there becomes
 * one with two orders in the period in all, or one before it.
 */
export async function repeatCustomersInPeriod(db: Db, shopId: string, from: Date, to: Date, now: Date): Promise<{ customers: number; repeat: number }> {
  const s = split(from, to, now);
  const [closed, live] = await Promise.all([
    closedWindow(db, shopId, s, ["customers", "repeaters"], async () => {
      const { customers, repeat } = await repeatCustomers(db, shopId, s.from, s.closedTo);
      return { customers, repeaters: repeat };
    }),
    s.hasLive ? todaysRepeatCustomers(db, shopId, s) : { customers: 0, repeaters: 0 },
  ]);
  return { customers: closed.customers + live.customers, repeat: closed.repeaters + live.repeaters };
}

async function todaysRepeatCustomers(db: Db, shopId: string, s: Split) {
  // n: the customer's orders today; c: in the closed part; b: any before the
  // period. A customer's orders are all of the customer's shop, so the
  // per-customer lookups need not filter by shop (and stay in the index).
  const [row] = await db.$queryRaw<{ customers: number | bigint | null; repeaters: number | bigint | null }[]>`
    SELECT SUM(CASE WHEN t.c = 0 THEN 1 ELSE 0 END) AS customers,
           SUM(CASE WHEN (t.c + t.n >= 2 OR t.b = 1) AND NOT (t.c >= 2 OR (t.c >= 1 AND t.b = 1)) THEN 1 ELSE 0 END) AS repeaters
    FROM (
      SELECT d.n,
             (SELECT COUNT(*) FROM "OrderAward" x
              WHERE x."customerId" = d."customerId" AND x.status <> 'cancelled' AND x."createdAt" >= ${s.from} AND x."createdAt" < ${s.closedTo}) AS c,
             CASE WHEN EXISTS (
               SELECT 1 FROM "OrderAward" x WHERE x."customerId" = d."customerId" AND x.status <> 'cancelled' AND x."createdAt" < ${s.from}
             ) THEN 1 ELSE 0 END AS b
      FROM (
        SELECT "customerId", COUNT(*) AS n FROM "OrderAward"
        WHERE "shopId" = ${shopId} AND "customerId" IS NOT NULL AND status <> 'cancelled' AND "createdAt" >= ${s.liveFrom} AND "createdAt" < ${s.to}
        GROUP BY "customerId"
      ) d
    ) t`;
  return { customers: countOf(row?.customers), repeaters: countOf(row?.repeaters) };
}

/** activeMembers (members with points activity in [from, to)), with the closed part from WindowStat. */
export async function activeMembersInPeriod(db: Db, shopId: string, from: Date, to: Date, now: Date): Promise<number> {
  const s = split(from, to, now);
  const [closed, live] = await Promise.all([
    closedWindow(db, shopId, s, ["active"], async () => ({ active: await activeMembers(db, shopId, s.from, s.closedTo) })),
    s.hasLive ? todaysNewlyActive(db, shopId, s) : 0,
  ]);
  return closed.active + live;
}

/** Members active today who were not in the closed part. */
async function todaysNewlyActive(db: Db, shopId: string, s: Split) {
  const [row] = await db.$queryRaw<{ n: number | bigint }[]>`
    SELECT COUNT(*) AS n FROM (
      SELECT "customerId" FROM "LedgerEntry" WHERE "shopId" = ${shopId} AND "createdAt" >= ${s.liveFrom} AND "createdAt" < ${s.to} GROUP BY "customerId"
    ) d
    WHERE NOT EXISTS (
      SELECT 1 FROM "LedgerEntry" x WHERE x."customerId" = d."customerId" AND x."createdAt" >= ${s.from} AND x."createdAt" < ${s.closedTo}
    )`;
  return countOf(row?.n);
}

/**
 * Orders placed in [from, to) that have been answered (whenever): the survey's
 * response rate's numerator, as satisfaction's answeredOrders counts it.
 * The closed part's orders answered before today come from WindowStat; the
 * answers given since, and today's orders' answers, are counted live.
 */
export async function answeredInPeriod(db: Db, shopId: string, from: Date, to: Date, now: Date): Promise<number> {
  const s = split(from, to, now);
  const [closed, lateAnswers, todays] = await Promise.all([
    closedWindow(db, shopId, s, ["answered"], async () => ({ answered: await answeredBefore(db, shopId, s.from, s.closedTo, s.today) })),
    s.hasClosed ? answeredSince(db, shopId, s.from, s.closedTo, s.today) : 0,
    s.hasLive ? answeredBefore(db, shopId, s.liveFrom, s.to, null) : 0,
  ]);
  return closed.answered + lateAnswers + todays;
}

/** Orders placed in [from, to) answered before `before` (or ever, when null). */
async function answeredBefore(db: Db, shopId: string, from: Date, to: Date, before: Date | null) {
  const [row] = before
    ? await db.$queryRaw<{ n: number | bigint }[]>`
        SELECT COUNT(*) AS n FROM "SurveyResponse" r
        JOIN "OrderAward" o ON o."shopId" = r."shopId" AND o."orderId" = r."orderId"
        WHERE o."shopId" = ${shopId} AND o."createdAt" >= ${from} AND o."createdAt" < ${to} AND r."createdAt" < ${before}`
    : await db.$queryRaw<{ n: number | bigint }[]>`
        SELECT COUNT(*) AS n FROM "SurveyResponse" r
        JOIN "OrderAward" o ON o."shopId" = r."shopId" AND o."orderId" = r."orderId"
        WHERE o."shopId" = ${shopId} AND o."createdAt" >= ${from} AND o."createdAt" < ${to}`;
  return countOf(row?.n);
}

/** Orders placed in [from, to) answered since `since` (a day's answers: found by the answers' index). */
async function answeredSince(db: Db, shopId: string, from: Date, to: Date, since: Date) {
  const [row] = await db.$queryRaw<{ n: number | bigint }[]>`
    SELECT COUNT(*) AS n FROM "SurveyResponse" r
    JOIN "OrderAward" o ON o."shopId" = r."shopId" AND o."orderId" = r."orderId"
    WHERE r."shopId" = ${shopId} AND r."createdAt" >= ${since} AND o."createdAt" >= ${from} AND o."createdAt" < ${to}`;
  return countOf(row?.n);
}

/**
 * The nightly job's part: every period's closed windows (current and
 * previous) computed for today, so that no merchant's page load pays for
 * them; yesterday's windows go.
 */
export async function prepareWindows(db: Db, shopId: string, now: Date): Promise<void> {
  for (const key of Object.keys(PERIODS) as PeriodKey[]) {
    const period = periodFor(key, now);
    for (const [from, to] of [
      [period.from, period.to],
      [period.previousFrom, period.previousTo],
    ]) {
      await repeatCustomersInPeriod(db, shopId, from, to, now);
      await activeMembersInPeriod(db, shopId, from, to, now);
      await answeredInPeriod(db, shopId, from, to, now);
    }
  }
}

/** Removes windows computed before today: they are never read again. */
export async function pruneWindows(db: Db, now: Date): Promise<number> {
  const { count } = await db.windowStat.deleteMany({ where: { asOf: { lt: dayOf(now) } } });
  return count;
}
