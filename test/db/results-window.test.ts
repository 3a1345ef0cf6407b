// The distinct-customer figures' window cache: the closed part of a period
// from WindowStat, today merged in live — always equal to the figures computed
// from the source tables over the whole period.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { resultsJobs } from "../../app/jobs/results.server";
import { activeMembers, repeatCustomers } from "../../app/models/results.server";
import { activeMembersInPeriod, answeredInPeriod, pruneWindows, repeatCustomersInPeriod } from "../../app/models/results-window.server";
import { answeredOrders } from "../../app/models/satisfaction.server";
import { periodFor } from "../../app/services/results/period";
import { awardRow, createShop, jobContext, nextId } from "../factories";

let shop: string;
const NOW = new Date("2026-11-23T12:00:00Z");
// 7 days: [11-17, 11-24); closed part [11-17, 11-23), today 11-23; previous [11-10, 11-17).
const period = periodFor("7d", NOW);

beforeEach(async () => {
  shop = (await createShop(db)).id;
});

const member = async () => (await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}` } })).id;

const order = async (at: string, customerId: string | null, status?: string) => (await awardRow(db, { shopId: shop, at, customerId, status })).orderId;

const entry = (customerId: string, at: string) =>
  db.ledgerEntry.create({
    data: { shopId: shop, customerId, type: "earn", points: 5, balanceAfter: 5, sourceType: "admin", idempotencyKey: nextId(), createdAt: new Date(at) },
  });

const answer = (orderId: string, at: string) =>
  db.surveyResponse.create({ data: { shopId: shop, orderId, scale: "csat", score: 5, channel: "thank-you", createdAt: new Date(at) } });

const windows = () => db.windowStat.findMany({ where: { shopId: shop }, orderBy: [{ fromDay: "asc" }, { metric: "asc" }] });

describe("repeatCustomersInPeriod", () => {
  it("merges today's customers into the closed part exactly", async () => {
    const [a, b, c, d, e, f, g, h, i, j] = await Promise.all(Array.from({ length: 10 }, member));
    const TODAY = "2026-11-23T09:00:00Z";
    await order(TODAY, a); // only today, once: a customer, not a repeat one
    await order(TODAY, b);
    await order("2026-11-23T10:00:00Z", b); // twice today: a repeat customer
    await order("2026-11-18T10:00:00Z", c);
    await order(TODAY, c); // once in the closed part, once today: turns into a repeat customer
    await order("2026-11-18T10:00:00Z", d);
    await order("2026-11-19T10:00:00Z", d);
    await order(TODAY, d); // already a repeat customer: counted once
    await order("2026-11-01T10:00:00Z", e);
    await order(TODAY, e); // an order before the period, one today
    await order(TODAY, f, "cancelled"); // cancelled: not a customer of the period
    await order("2026-11-20T10:00:00Z", g);
    await order(TODAY, g, "cancelled"); // a customer, not a repeat one
    await order("2026-11-01T10:00:00Z", h, "cancelled");
    await order(TODAY, h); // the order before was cancelled
    await order("2026-11-02T10:00:00Z", i);
    await order("2026-11-20T10:00:00Z", i);
    await order(TODAY, i); // a repeat customer in the closed part already
    await order("2026-11-20T10:00:00Z", j); // closed part only
    await order(TODAY, null); // a guest
    await order("2026-11-24T00:00:00Z", j); // after the period

    const merged = await repeatCustomersInPeriod(db, shop, period.from, period.to, NOW);
    expect(merged).toEqual({ customers: 9, repeat: 5 });
    expect(merged).toEqual(await repeatCustomers(db, shop, period.from, period.to));
    // The closed part was kept for today.
    expect((await windows()).map((w) => [w.asOf, w.fromDay, w.toDay, w.metric, w.value])).toEqual([
      ["2026-11-23", "2026-11-17", "2026-11-23", "customers", 5n], // c, d, g, i, j
      ["2026-11-23", "2026-11-17", "2026-11-23", "repeaters", 2n], // d, i
    ]);
  });

  it("reads the closed part from the cache all day, and sees today's orders at once", async () => {
    const [a, b] = await Promise.all([member(), member()]);
    await order("2026-11-18T10:00:00Z", a);
    expect(await repeatCustomersInPeriod(db, shop, period.from, period.to, NOW)).toEqual({ customers: 1, repeat: 0 });

    // A closed-part row appearing later (impossible: rows are stamped when
    // received) is not re-read today: the cache answers.
    await order("2026-11-19T10:00:00Z", b);
    expect(await repeatCustomersInPeriod(db, shop, period.from, period.to, NOW)).toEqual({ customers: 1, repeat: 0 });
    // Today's order is seen at once.
    await order("2026-11-23T11:00:00Z", a);
    expect(await repeatCustomersInPeriod(db, shop, period.from, period.to, NOW)).toEqual({ customers: 1, repeat: 1 });
    // Tomorrow computes a new window.
    const tomorrow = new Date("2026-11-24T12:00:00Z");
    const next = periodFor("7d", tomorrow);
    expect(await repeatCustomersInPeriod(db, shop, next.from, next.to, tomorrow)).toEqual(await repeatCustomers(db, shop, next.from, next.to));
    expect(await repeatCustomersInPeriod(db, shop, next.from, next.to, tomorrow)).toEqual({ customers: 2, repeat: 1 });
  });

  it("keeps a closed previous period whole, with no live part", async () => {
    const a = await member();
    await order("2026-11-11T10:00:00Z", a);
    await order("2026-11-12T10:00:00Z", a);
    await order("2026-11-23T10:00:00Z", a); // today: not in the previous period
    expect(await repeatCustomersInPeriod(db, shop, period.previousFrom, period.previousTo, NOW)).toEqual({ customers: 1, repeat: 1 });
    expect((await windows()).map((w) => [w.fromDay, w.toDay])).toEqual([
      ["2026-11-10", "2026-11-17"],
      ["2026-11-10", "2026-11-17"],
    ]);
  });

  it("equals the source tables' figures for every period, current and previous, on a mixed history", async () => {
    const customers = await Promise.all(Array.from({ length: 30 }, member));
    // A fixed pseudo-random history over 70 days up to today, some cancelled, some guests'.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 160; k++) {
      const day = Math.floor(next() * 70);
      const at = new Date(NOW.getTime() - day * 86_400_000 - Math.floor(next() * 10) * 3_600_000);
      const who = next() < 0.15 ? null : customers[Math.floor(next() ** 2 * customers.length)];
      const status = who === null ? "guest" : next() < 0.1 ? "cancelled" : "awarded";
      await order(at.toISOString(), who, status);
      if (who && next() < 0.5) await entry(who, at.toISOString());
    }
    for (const key of ["7d", "30d"] as const) {
      const p = periodFor(key, NOW);
      for (const [from, to] of [
        [p.from, p.to],
        [p.previousFrom, p.previousTo],
      ]) {
        const expected = await repeatCustomers(db, shop, from, to);
        expect(expected.customers).toBeGreaterThan(0);
        // Twice: computed, then from the cache.
        expect(await repeatCustomersInPeriod(db, shop, from, to, NOW)).toEqual(expected);
        expect(await repeatCustomersInPeriod(db, shop, from, to, NOW)).toEqual(expected);
        const active = await activeMembers(db, shop, from, to);
        expect(await activeMembersInPeriod(db, shop, from, to, NOW)).toBe(active);
        expect(await activeMembersInPeriod(db, shop, from, to, NOW)).toBe(active);
      }
    }
  });
});

describe("activeMembersInPeriod", () => {
  it("adds members active today who were not active in the closed part", async () => {
    const [x, y, z, w] = await Promise.all([member(), member(), member(), member()]);
    await entry(x, "2026-11-23T09:00:00Z"); // today only
    await entry(y, "2026-11-18T09:00:00Z");
    await entry(y, "2026-11-23T09:00:00Z"); // closed part and today: once
    await entry(z, "2026-11-20T09:00:00Z"); // closed part only
    await entry(w, "2026-11-16T23:59:59Z"); // before the period
    expect(await activeMembersInPeriod(db, shop, period.from, period.to, NOW)).toBe(3);
    expect(await activeMembers(db, shop, period.from, period.to)).toBe(3);
    expect(await db.windowStat.findFirst({ where: { shopId: shop, metric: "active" } })).toMatchObject({ value: 2n });
  });
});

describe("answeredInPeriod", () => {
  it("counts the period's answered orders as the satisfaction page does, answers arriving late included", async () => {
    const answeredEarly = await order("2026-11-18T10:00:00Z", null);
    await answer(answeredEarly, "2026-11-19T10:00:00Z");
    const answeredToday = await order("2026-11-18T11:00:00Z", null); // a closed-part order answered today
    await order("2026-11-19T10:00:00Z", null); // never answered
    const todays = await order("2026-11-23T08:00:00Z", null);
    await answer(todays, "2026-11-23T09:00:00Z");
    const before = await order("2026-11-15T10:00:00Z", null); // the previous period's, answered in this one
    await answer(before, "2026-11-18T10:00:00Z");

    const expected = (await answeredOrders(db, shop, { from: period.from, to: period.to })).answered;
    expect(await answeredInPeriod(db, shop, period.from, period.to, NOW)).toBe(2);
    expect(expected).toBe(2);
    // Later today: an answer to a closed-part order, and to the previous period's.
    await answer(answeredToday, "2026-11-23T11:00:00Z");
    expect(await answeredInPeriod(db, shop, period.from, period.to, NOW)).toBe(3);
    expect(await answeredInPeriod(db, shop, period.previousFrom, period.previousTo, NOW)).toBe(1);
    const late = await order("2026-11-12T10:00:00Z", null);
    await answer(late, "2026-11-23T11:30:00Z");
    expect(await answeredInPeriod(db, shop, period.previousFrom, period.previousTo, NOW)).toBe(2);
    expect((await answeredOrders(db, shop, { from: period.previousFrom, to: period.previousTo })).answered).toBe(2);
    // The cached closed parts count answers given before today only.
    expect((await windows()).filter((w) => w.metric === "answered").map((w) => [w.fromDay, w.value])).toEqual([
      ["2026-11-10", 1n],
      ["2026-11-17", 1n],
    ]);
  });
});

describe("results.close-day", () => {
  it("stores yesterday, prepares every period's windows for the day and removes older ones", async () => {
    const a = await member();
    await order("2026-11-22T10:00:00Z", a);
    await db.windowStat.create({ data: { shopId: shop, asOf: "2026-11-22", fromDay: "2026-11-15", toDay: "2026-11-22", metric: "customers", value: 1n } });
    const job = resultsJobs.find((j) => j.name === "results.close-day")!;
    const at = new Date("2026-11-23T00:10:00Z");
    await job.run(jobContext(db, () => at), {});

    expect(await db.dailyStat.findUnique({ where: { shopId_day_metric: { shopId: shop, day: "2026-11-22", metric: "orders" } } })).toMatchObject({ value: 1n });
    const rows = await windows();
    expect(rows.every((w) => w.asOf === "2026-11-23")).toBe(true);
    // Four periods, current and previous, four figures each.
    expect(rows).toHaveLength(4 * 2 * 4);
    expect(rows.find((w) => w.fromDay === "2026-11-17" && w.toDay === "2026-11-23" && w.metric === "customers")).toMatchObject({ value: 1n });
    expect(await pruneWindows(db, new Date("2026-11-24T00:10:00Z"))).toBeGreaterThanOrEqual(32);
    expect(await windows()).toEqual([]);
  });
});
