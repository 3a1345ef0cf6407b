// The figures behind the results dashboard, computed from the source tables
// (orders, ledger, customers, offers, emails). Closed days are computed once
// and kept in DailyStat; today is always computed live. Figures that days
// cannot be summed into (distinct customers) are in ./results-window.server.ts.
// See app/services/results/.
import type { Db } from "../db.server";
import { isUniqueViolation } from "./errors";
import { toMilli } from "../services/money";
import { addDays, dayOf, daysBetween, startOfDay } from "../services/results/period";

export type DayFigures = Map<string, bigint>;

/**
 * The version of computeDay that a stored day was computed by (its metric
 * "v"). Raise it whenever computeDay counts something new or differently: a
 * stored day without the current version is recomputed when it is next read.
 * 2: offers, emails and orders placed (survey:orders) joined the program's figures.
 */
export const DAY_VERSION = 2n;

/**
 * The families of figures a day holds, each computed by its own queries so
 * that a section reads (and computes live for today) only its own. The
 * program's figures have no prefix; the others are named "<family>:…".
 */
export type Family = "program" | "offer" | "email" | "survey";
const PREFIXED: Exclude<Family, "program">[] = ["offer", "email", "survey"];

type Range = { from: Date; to: Date };
type Add = (metric: string, value: bigint) => void;

/**
 * The loyalty program: orders and their merchandise (cancelled orders
 * excluded), members' share of both, new members, and the points that moved,
 * by entry type and sign ("points+:earn", "points-:redeem", …).
 */
async function programFigures(db: Db, shopId: string, { from, to }: Range, add: Add) {
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
}

/** Every type of OfferEvent (app/services/offers/tracking.server.ts). */
const OFFER_EVENT_TYPES = ["impression", "click"];

/** Offer key of a metric: the offer's id, or "-" for events of no offer. */
const offerKey = (offerId: string | null) => offerId ?? "-";

/**
 * Offers, by offer: events by type ("offer:impression:<offerId>",
 * "offer:click:<offerId>"), and the conversions with their attributed revenue
 * ("offer:orders:<offerId>", "offer:revenue_milli:<offerId>"). Events and
 * conversions are never changed once written.
 */
async function offerFigures(db: Db, shopId: string, { from, to }: Range, add: Add) {
  const [events, conversions] = await Promise.all([
    // The types named, so the (shopId, type, createdAt) index finds the day's
    // events (without them PostgreSQL scans every event of the shop).
    db.offerEvent.groupBy({
      by: ["offerId", "type"],
      where: { shopId, type: { in: OFFER_EVENT_TYPES }, createdAt: { gte: from, lt: to } },
      _count: { _all: true },
      orderBy: { offerId: "asc" },
    }),
    db.offerConversion.findMany({ where: { shopId, createdAt: { gte: from, lt: to } }, select: { offerId: true, revenue: true } }),
  ]);
  for (const e of events) add(`offer:${e.type}:${offerKey(e.offerId)}`, BigInt(e._count._all));
  for (const c of conversions) {
    add(`offer:orders:${offerKey(c.offerId)}`, 1n);
    add(`offer:revenue_milli:${offerKey(c.offerId)}`, toMilli(c.revenue));
  }
}

/**
 * Emails, by kind: sent on the day ("email:sent:<kind>"), and opened or
 * clicked on the day ("email:opened:<kind>", "email:clicked:<kind>"), whenever
 * they were sent. A sent email is never sent again, and its first open and
 * click are stamped once.
 */
async function emailFigures(db: Db, shopId: string, { from, to }: Range, add: Add) {
  const inDay = { gte: from, lt: to };
  const byKind = (where: object) =>
    db.emailMessage.groupBy({ by: ["kind"], where: { shopId, status: "sent", ...where }, _count: { _all: true }, orderBy: { kind: "asc" } });
  const [sent, opened, clicked] = await Promise.all([byKind({ sentAt: inDay }), byKind({ openedAt: inDay }), byKind({ clickedAt: inDay })]);
  for (const g of sent) add(`email:sent:${g.kind}`, BigInt(g._count._all));
  for (const g of opened) add(`email:opened:${g.kind}`, BigInt(g._count._all));
  for (const g of clicked) add(`email:clicked:${g.kind}`, BigInt(g._count._all));
}

/**
 * The survey's response rate's base: every order placed on the day, whatever
 * became of it ("survey:orders"). Answers themselves are not kept by day: a
 * customer may change an answer later.
 */
async function surveyFigures(db: Db, shopId: string, { from, to }: Range, add: Add) {
  add("survey:orders", BigInt(await db.orderAward.count({ where: { shopId, createdAt: { gte: from, lt: to } } })));
}

const FAMILIES: Record<Family, (db: Db, shopId: string, range: Range, add: Add) => Promise<void>> = {
  program: programFigures,
  offer: offerFigures,
  email: emailFigures,
  survey: surveyFigures,
};

/** One day's figures of the given families (all of them by default, with the version). */
export async function computeDay(db: Db, shopId: string, day: string, families: Family[] = Object.keys(FAMILIES) as Family[]): Promise<DayFigures> {
  const from = startOfDay(day);
  const range = { from, to: addDays(from, 1) };
  const figures: DayFigures = new Map();
  const add: Add = (metric, value) => figures.set(metric, (figures.get(metric) ?? 0n) + value);
  await Promise.all(families.map((family) => FAMILIES[family](db, shopId, range, add)));
  if (families.length === Object.keys(FAMILIES).length) figures.set("v", DAY_VERSION);
  return figures;
}

const familyOf = (metric: string): Family | null => {
  if (metric === "v") return null;
  const prefix = metric.slice(0, metric.indexOf(":"));
  return (PREFIXED as string[]).includes(prefix) ? (prefix as Family) : "program";
};

/** Prisma's filter for one family's metrics. */
const familyWhere = (family: Family) =>
  family === "program"
    ? { NOT: [{ metric: "v" }, ...PREFIXED.map((p) => ({ metric: { startsWith: `${p}:` } }))] }
    : { metric: { startsWith: `${family}:` } };

// Days being computed by this process, so that sections loading at once (or
// two dashboards) compute a missing day once.
const computing = new Map<string, Promise<void>>();

/**
 * Makes sure every closed day in `days` is stored by the current computeDay:
 * missing days (a first visit, a long period) and days stored by an older
 * version are computed and stored, a few at a time.
 */
export async function ensureDays(db: Db, shopId: string, days: string[]): Promise<void> {
  if (days.length === 0) return;
  const versions = await db.dailyStat.findMany({
    where: { shopId, metric: "v", day: { gte: days[0], lte: days[days.length - 1] } },
    select: { day: true, value: true },
  });
  const current = new Set(versions.filter((v) => v.value === DAY_VERSION).map((v) => v.day));
  const missing = days.filter((d) => !current.has(d));
  for (let i = 0; i < missing.length; i += 4) {
    await Promise.all(
      missing.slice(i, i + 4).map((day) => {
        const key = `${shopId} ${day}`;
        let work = computing.get(key);
        if (!work) {
          work = computeDay(db, shopId, day)
            .then((figures) => storeDay(db, shopId, day, figures))
            .finally(() => computing.delete(key));
          computing.set(key, work);
        }
        return work;
      }),
    );
  }
}

/**
 * The program's figures of every day in [from, to): closed days from DailyStat
 * (computed and stored on first use), today live.
 */
export async function dailyFigures(db: Db, shopId: string, from: Date, to: Date, now: Date): Promise<Map<string, DayFigures>> {
  const today = dayOf(now);
  const days = daysBetween(from, to).filter((d) => d <= today);
  const closed = days.filter((d) => d < today);
  const result = new Map<string, DayFigures>(days.map((d) => [d, new Map()]));
  const [stored, live] = await Promise.all([
    ensureDays(db, shopId, closed).then(() =>
      closed.length
        ? db.dailyStat.findMany({ where: { shopId, day: { gte: closed[0], lte: closed[closed.length - 1] }, ...familyWhere("program") } })
        : [],
    ),
    days.includes(today) ? computeDay(db, shopId, today, ["program"]) : null,
  ]);
  for (const row of stored) result.get(row.day)?.set(row.metric, row.value);
  if (live) result.set(today, live);
  return result;
}

/**
 * One family's figures summed over [from, to): the closed days' sums from
 * DailyStat (summed by the database), plus today's live.
 */
export async function periodTotals(db: Db, shopId: string, family: Family, from: Date, to: Date, now: Date): Promise<Map<string, bigint>> {
  const today = dayOf(now);
  const days = daysBetween(from, to).filter((d) => d <= today);
  const closed = days.filter((d) => d < today);
  const [sums, live] = await Promise.all([
    ensureDays(db, shopId, closed).then(() =>
      closed.length
        ? db.dailyStat.groupBy({
            by: ["metric"],
            where: { shopId, day: { gte: closed[0], lte: closed[closed.length - 1] }, ...familyWhere(family) },
            _sum: { value: true },
            orderBy: { metric: "asc" },
          })
        : [],
    ),
    days.includes(today) ? computeDay(db, shopId, today, [family]) : null,
  ]);
  const totals = new Map<string, bigint>(sums.map((s) => [s.metric, BigInt(s._sum.value ?? 0)]));
  for (const [metric, value] of live ?? []) if (familyOf(metric) === family) totals.set(metric, (totals.get(metric) ?? 0n) + value);
  return totals;
}

async function storeDay(db: Db, shopId: string, day: string, figures: DayFigures) {
  // "v" is always present, so a stored day is recognisable even when nothing
  // happened on it. One insert for the day's metrics (the first load of a
  // year stores hundreds of days), after whatever an older version stored.
  // Two dashboards filling the same day compute the same values: the second
  // insert's conflict is that, and ignored.
  const data = [...figures].map(([metric, value]) => ({ shopId, day, metric, value }));
  try {
    await db.$transaction([db.dailyStat.deleteMany({ where: { shopId, day } }), db.dailyStat.createMany({ data })]);
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
  // One pass over the shop's customers: members are those not redacted.
  const all = await db.customer.aggregate({ where: { shopId }, _count: { _all: true, redactedAt: true }, _sum: { balance: true, pendingBalance: true } });
  return { members: all._count._all - all._count.redactedAt, pointsOutstanding: all._sum.balance ?? 0, pointsPending: all._sum.pendingBalance ?? 0 };
}
