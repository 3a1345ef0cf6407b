// The results dashboard's figures, from rows stamped at chosen times.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { DAY_VERSION, activeMembers, computeDay, dailyFigures, membership, periodTotals, repeatCustomers, total } from "../../app/models/results.server";
import { toMilli } from "../../app/services/money";
import { buildDashboard, tableById, toCsv } from "../../app/services/results/dashboard.server";
import { awardRow, createShop, nextId } from "../factories";

let shop: string;
const NOW = new Date("2026-11-23T12:00:00Z");

beforeEach(async () => {
  shop = (await createShop(db)).id;
});

const member = (createdAt = new Date("2026-01-01T00:00:00Z")) =>
  db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}`, createdAt } });

const order = (at: string, customerId: string | null, total = "10.00", status?: string) => awardRow(db, { shopId: shop, at, customerId, total, status });

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

    const figures = await computeDay(db, shop, "2026-11-20", ["program"]);
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

describe("computeDay: offers, emails and orders placed", () => {
  const DAY = "2026-11-20";
  const at = (time: string, day = DAY) => new Date(`${day}T${time}Z`);

  it("counts offer events by offer and type, conversions and their exact revenue, by the day they happened", async () => {
    const [one, two] = await Promise.all(
      ["One", "Two"].map((name) => db.offer.create({ data: { shopId: shop, name, triggerType: "any" } })),
    );
    const event = (offerId: string | null, type: string, createdAt: Date) =>
      db.offerEvent.create({ data: { shopId: shop, offerId, productId: "gid://shopify/Product/1", orderId: `gid://shopify/Order/${nextId()}`, surface: "thank_you", type, createdAt } });
    const conversion = (offerId: string, revenue: string, createdAt: Date) =>
      db.offerConversion.create({ data: { shopId: shop, offerId, orderId: `gid://shopify/Order/${nextId()}`, attributionKey: `offer:${offerId}`, revenue, currencyCode: "USD", createdAt } });
    await event(one.id, "impression", at("00:00:00"));
    await event(one.id, "impression", at("23:59:59"));
    await event(one.id, "click", at("12:00:00"));
    await event(two.id, "impression", at("12:00:00"));
    await event(null, "impression", at("12:00:00")); // a product recommendation of no offer
    await event(one.id, "impression", at("00:00:00", "2026-11-21")); // next day
    await conversion(one.id, "19.99", at("10:00:00"));
    await conversion(one.id, "0.02", at("11:00:00"));
    await conversion(two.id, "5.00", at("23:59:59.999", "2026-11-19")); // day before

    const figures = Object.fromEntries(await computeDay(db, shop, DAY, ["offer"]));
    expect(figures).toEqual({
      [`offer:impression:${one.id}`]: 2n,
      [`offer:click:${one.id}`]: 1n,
      [`offer:impression:${two.id}`]: 1n,
      "offer:impression:-": 1n,
      [`offer:orders:${one.id}`]: 2n,
      [`offer:revenue_milli:${one.id}`]: 20_010n,
    });
  });

  it("counts emails sent on the day, and opens and clicks on the day they happened, by kind", async () => {
    const email = (kind: string, status: string, sentAt: Date | null, extra: object = {}) =>
      db.emailMessage.create({ data: { shopId: shop, kind, key: nextId(), toAddress: "ada@example.com", subject: "Hi", status, sentAt, ...extra } });
    await email("thank_you", "sent", at("09:00:00"), { openedAt: at("10:00:00"), clickedAt: at("10:01:00") });
    await email("thank_you", "sent", at("09:00:00"), { openedAt: at("08:00:00", "2026-11-22") }); // opened two days later
    await email("thank_you", "sent", at("09:00:00", "2026-11-18"), { openedAt: at("07:00:00"), clickedAt: at("07:00:00") }); // sent before, opened today
    await email("win_back", "sent", at("09:00:00"));
    await email("win_back", "failed", null);
    await email("win_back", "queued", null);

    expect(Object.fromEntries(await computeDay(db, shop, DAY, ["email"]))).toEqual({
      "email:sent:thank_you": 2n,
      "email:sent:win_back": 1n,
      "email:opened:thank_you": 2n,
      "email:clicked:thank_you": 2n,
    });
    expect(Object.fromEntries(await computeDay(db, shop, "2026-11-22", ["email"]))).toEqual({ "email:opened:thank_you": 1n });
  });

  it("counts every order placed on the day for the response rate, cancelled and guests' too, and stamps the version", async () => {
    const a = await member();
    await order(`${DAY}T10:00:00Z`, a.id);
    await order(`${DAY}T11:00:00Z`, a.id, "10.00", "cancelled");
    await order(`${DAY}T12:00:00Z`, null);
    await order("2026-11-21T00:00:00Z", null);
    const figures = await computeDay(db, shop, DAY);
    expect(figures.get("survey:orders")).toBe(3n);
    expect(figures.get("orders")).toBe(2n);
    expect(figures.get("v")).toBe(DAY_VERSION);
  });
});

describe("periodTotals", () => {
  it("sums a family over stored closed days and today live, equal to the source rows", async () => {
    const offer = await db.offer.create({ data: { shopId: shop, name: "One", triggerType: "any" } });
    const conversion = (revenue: string, createdAt: string) =>
      db.offerConversion.create({ data: { shopId: shop, offerId: offer.id, orderId: `gid://shopify/Order/${nextId()}`, attributionKey: `offer:${offer.id}`, revenue, currencyCode: "USD", createdAt: new Date(createdAt) } });
    await conversion("1.10", "2026-11-17T05:00:00Z");
    await conversion("2.25", "2026-11-20T05:00:00Z");
    await conversion("3.50", "2026-11-23T05:00:00Z"); // today
    await conversion("9.99", "2026-11-16T23:59:59Z"); // before the period
    const from = new Date("2026-11-17T00:00:00Z");
    const to = new Date("2026-11-24T00:00:00Z");

    const totals = await periodTotals(db, shop, "offer", from, to, NOW);
    const source = await db.offerConversion.findMany({ where: { shopId: shop, createdAt: { gte: from, lt: to } } });
    expect(totals.get(`offer:orders:${offer.id}`)).toBe(BigInt(source.length));
    expect(totals.get(`offer:revenue_milli:${offer.id}`)).toBe(source.reduce((s, c) => s + toMilli(c.revenue), 0n));
    expect(totals.get(`offer:revenue_milli:${offer.id}`)).toBe(6_850n);
    // Only the family asked for.
    expect([...totals.keys()].every((m) => m.startsWith("offer:"))).toBe(true);
    // Closed days were stored (six of them), today was not.
    expect(await db.dailyStat.count({ where: { shopId: shop, metric: "v" } })).toBe(6);

    // Today stays live.
    await conversion("0.15", "2026-11-23T06:00:00Z");
    expect((await periodTotals(db, shop, "offer", from, to, NOW)).get(`offer:revenue_milli:${offer.id}`)).toBe(7_000n);
  });
});

describe("dailyFigures", () => {
  it("recomputes a day stored by an older version of computeDay", async () => {
    const a = await member();
    await order("2026-11-20T10:00:00Z", a.id, "12.00");
    await order("2026-11-20T11:00:00Z", null, "3.00");
    // As the first version stored it: no "v", and (say) a figure since gone.
    await db.dailyStat.createMany({
      data: [
        { shopId: shop, day: "2026-11-20", metric: "orders", value: 1n },
        { shopId: shop, day: "2026-11-20", metric: "revenue_milli", value: 12_000n },
        { shopId: shop, day: "2026-11-20", metric: "old_metric", value: 5n },
      ],
    });
    // An older version's stamp counts as old too.
    await db.dailyStat.create({ data: { shopId: shop, day: "2026-11-21", metric: "v", value: DAY_VERSION - 1n } });
    await db.dailyStat.create({ data: { shopId: shop, day: "2026-11-21", metric: "orders", value: 7n } });

    const figures = await dailyFigures(db, shop, new Date("2026-11-20T00:00:00Z"), new Date("2026-11-22T00:00:00Z"), NOW);
    expect(figures.get("2026-11-20")!.get("orders")).toBe(2n);
    expect(figures.get("2026-11-20")!.get("revenue_milli")).toBe(15_000n);
    expect(figures.get("2026-11-21")!.get("orders")).toBe(0n);
    const stored = await db.dailyStat.findMany({ where: { shopId: shop, day: "2026-11-20" } });
    expect(Object.fromEntries(stored.map((r) => [r.metric, r.value]))).toMatchObject({ v: DAY_VERSION, orders: 2n, "survey:orders": 2n });
    expect(stored.find((r) => r.metric === "old_metric")).toBeUndefined();
    expect(await db.dailyStat.findUnique({ where: { shopId_day_metric: { shopId: shop, day: "2026-11-21", metric: "v" } } })).toMatchObject({ value: DAY_VERSION });
  });

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

describe("membership", () => {
  it("counts members not redacted, and every balance's spendable and pending points", async () => {
    await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}`, balance: 30, pendingBalance: 5 } });
    await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}`, balance: 12 } });
    await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}`, redactedAt: NOW } });
    expect(await membership(db, shop)).toEqual({ members: 2, pointsOutstanding: 42, pointsPending: 5 });
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
