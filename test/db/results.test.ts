// The results dashboard's figures, from rows stamped at chosen times.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { activeMembers, computeDay, dailyFigures, repeatCustomers, total } from "../../app/models/results.server";
import { buildDashboard, tableById, toCsv } from "../../app/services/results/dashboard.server";
import { createShop, nextId } from "../factories";

let shop: string;
const NOW = new Date("2026-11-23T12:00:00Z");

beforeEach(async () => {
  shop = (await createShop(db)).id;
});

const member = (createdAt = new Date("2026-01-01T00:00:00Z")) =>
  db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}`, createdAt } });

async function order(at: string, customerId: string | null, total = "10.00", status = customerId ? "awarded" : "guest") {
  return db.orderAward.create({
    data: {
      shopId: shop,
      orderId: `gid://shopify/Order/${nextId()}`,
      customerId,
      status,
      currencyCode: "USD",
      merchandiseTotal: total,
      rate: "1",
      rounding: "floor",
      lines: "[]",
      createdAt: new Date(at),
    },
  });
}

let balanceAfter = 0;
const entry = (customerId: string, type: string, points: number, at: string) =>
  db.ledgerEntry.create({
    data: { shopId: shop, customerId, type, points, balanceAfter: (balanceAfter += points), sourceType: "admin", idempotencyKey: nextId(), createdAt: new Date(at) },
  });

describe("computeDay", () => {
  it("counts the day's orders, members' share, exact merchandise and points by type and sign", async () => {
    const a = await member(new Date("2026-11-20T08:00:00Z"));
    await order("2026-11-20T10:00:00Z", a.id, "19.99");
    await order("2026-11-20T23:59:59Z", null, "0.01");
    await order("2026-11-20T11:00:00Z", a.id, "100.00", "cancelled");
    await order("2026-11-21T00:00:00Z", a.id, "5.00"); // next day
    await entry(a.id, "earn", 19, "2026-11-20T10:00:01Z");
    await entry(a.id, "adjust", 10, "2026-11-20T12:00:00Z");
    await entry(a.id, "adjust", -4, "2026-11-20T13:00:00Z");
    await entry(a.id, "redeem", -15, "2026-11-20T14:00:00Z");

    const figures = await computeDay(db, shop, "2026-11-20");
    expect(Object.fromEntries(figures)).toEqual({
      orders: 2n,
      member_orders: 1n,
      revenue_milli: 20_000n,
      member_revenue_milli: 19_990n,
      new_members: 1n,
      "points+:earn": 19n,
      "points+:adjust": 10n,
      "points-:adjust": 4n,
      "points-:redeem": 15n,
    });
  });
});

describe("dailyFigures", () => {
  it("computes a closed day once and keeps it; today is always live", async () => {
    const a = await member();
    await order("2026-11-22T10:00:00Z", a.id);
    await order("2026-11-23T09:00:00Z", a.id);
    const from = new Date("2026-11-22T00:00:00Z");
    const to = new Date("2026-11-24T00:00:00Z");

    const first = await dailyFigures(db, shop, from, to, NOW);
    expect(total(first, "orders")).toBe(2n);
    expect(await db.dailyStat.findMany({ where: { shopId: shop }, select: { day: true } })).toEqual(
      expect.arrayContaining([{ day: "2026-11-22" }]),
    );
    expect(await db.dailyStat.count({ where: { shopId: shop, day: "2026-11-23" } })).toBe(0);

    // A row that (impossibly) appears in a closed day is not re-read: the
    // stored figures are used. Today's new order is seen at once.
    await order("2026-11-22T11:00:00Z", a.id);
    await order("2026-11-23T11:00:00Z", a.id);
    const second = await dailyFigures(db, shop, from, to, NOW);
    expect(second.get("2026-11-22")!.get("orders")).toBe(1n);
    expect(second.get("2026-11-23")!.get("orders")).toBe(2n);
  });

  it("stores days on which nothing happened, so they are not recomputed", async () => {
    await dailyFigures(db, shop, new Date("2026-11-01T00:00:00Z"), new Date("2026-11-04T00:00:00Z"), NOW);
    expect(await db.dailyStat.count({ where: { shopId: shop, metric: "orders", value: 0n } })).toBe(3);
  });
});

describe("repeatCustomers", () => {
  it("counts customers ordering in the period who have ordered at least twice by its end", async () => {
    const [a, b, c, d, e] = await Promise.all([member(), member(), member(), member(), member()]);
    const from = new Date("2026-11-01T00:00:00Z");
    const to = new Date("2026-12-01T00:00:00Z");
    await order("2026-11-02T00:00:00Z", a.id);
    await order("2026-11-20T00:00:00Z", a.id); // twice in the period
    await order("2026-10-01T00:00:00Z", b.id);
    await order("2026-11-05T00:00:00Z", b.id); // once before, once in
    await order("2026-11-06T00:00:00Z", c.id); // first order
    await order("2026-09-01T00:00:00Z", d.id);
    await order("2026-09-02T00:00:00Z", d.id); // not in the period
    await order("2026-11-07T00:00:00Z", e.id);
    await order("2026-10-07T00:00:00Z", e.id, "10.00", "cancelled"); // cancelled: not a purchase
    await order("2026-12-03T00:00:00Z", c.id); // after the period
    await order("2026-11-08T00:00:00Z", null); // guest
    expect(await repeatCustomers(db, shop, from, to)).toEqual({ customers: 4, repeat: 2 });
  });
});

describe("activeMembers", () => {
  it("counts members with points activity in the period", async () => {
    const [a, b] = await Promise.all([member(), member()]);
    await entry(a.id, "earn", 5, "2026-11-10T00:00:00Z");
    await entry(a.id, "earn", 5, "2026-11-11T00:00:00Z");
    await entry(b.id, "earn", 5, "2026-10-10T00:00:00Z");
    expect(await activeMembers(db, shop, new Date("2026-11-01T00:00:00Z"), new Date("2026-12-01T00:00:00Z"))).toBe(1);
  });
});

describe("buildDashboard", () => {
  it("compares the period with the one before and exports its daily table as CSV", async () => {
    const a = await member(new Date("2026-11-20T00:00:00Z"));
    await order("2026-11-20T10:00:00Z", a.id, "30.00");
    await order("2026-11-21T10:00:00Z", a.id, "20.50");
    await order("2026-11-12T10:00:00Z", null, "5.00"); // previous 7 days
    await entry(a.id, "earn", 50, "2026-11-21T10:00:00Z");
    await entry(a.id, "redeem", -20, "2026-11-22T10:00:00Z");
    await db.customer.update({ where: { id: a.id }, data: { balance: 30 } });

    const dashboard = await buildDashboard(db, { id: shop, currencyCode: "USD" }, "7d", NOW);
    const byId = Object.fromEntries(dashboard.headline.map((f) => [f.id, f]));
    expect(byId.orders).toMatchObject({ value: 2, change: { previous: 1, percent: 100, direction: "up" } });
    expect(byId.repeat_rate).toMatchObject({ value: 100 });
    expect(byId.member_revenue).toMatchObject({ value: "50.50" });
    expect(byId.points_issued).toMatchObject({ value: 50 });
    expect(byId.points_redeemed).toMatchObject({ value: 20 });
    expect(byId.points_outstanding).toMatchObject({ value: 30 });
    expect(byId.active_members).toMatchObject({ value: 1, change: { previous: 0 } });
    expect(dashboard.hasData).toBe(true);

    const csv = toCsv(tableById(dashboard, "daily")!);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("Day,Orders,Members' orders,Merchandise,New members,Points issued,Points redeemed,Points reversed,Points expired");
    expect(lines).toHaveLength(8);
    expect(lines).toContain("2026-11-21,1,1,20.50,0,50,0,0,0");
    expect(lines).toContain("2026-11-20,1,1,30.00,1,0,0,0,0");
  });

  it("quotes CSV cells that need it", () => {
    expect(toCsv({ id: "t", title: "t", columns: [{ key: "a", label: "Name, full" }], rows: [{ a: 'Say "hi"' }] })).toBe('"Name, full"\r\n"Say ""hi"""\r\n');
  });
});
