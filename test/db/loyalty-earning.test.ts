// The loyalty program's earning side through the real signed webhook path:
// rules (with the Admin API answering product facts), bonuses, pending
// points, tiers and expiry, with the jobs' services driven by a chosen clock.
import { HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { createRule, deleteRule, updateRule } from "../../app/models/earning-rule.server";
import { sumOfEntries, sumOfPending } from "../../app/models/ledger.server";
import { createTier, updateTier } from "../../app/models/tier.server";
import { action } from "../../app/routes/webhooks";
import { awardBirthdayBonuses } from "../../app/services/loyalty/bonuses.server";
import { expirePoints, pointsExpiringSoon } from "../../app/services/loyalty/expiry.server";
import { matureDuePoints, pointsSummary } from "../../app/services/loyalty/pending.server";
import { addDays, addMonths } from "../../app/services/loyalty/program";
import { recomputeAllTiers } from "../../app/services/loyalty/tiers.server";
import { loyaltyJobs } from "../../app/jobs/loyalty.server";
import { storeOfflineSession } from "../admin";
import { createShop, jobContext, ledgerEntry, nextId, orderBody, refundBody, type LineSpec, updateShop } from "../factories";
import { graphqlCalls, mockShopifyServer } from "../mock-shopify-server";
import { fixture, webhookRequest, type DeliveryOptions } from "../webhooks";

let shop: string;

beforeEach(async () => {
  shop = (await createShop(db)).id;
  await storeOfflineSession(shop);
});

async function deliver(o: Omit<DeliveryOptions, "shop">) {
  const response = await action({ request: webhookRequest({ shop, ...o }), params: {}, context: {} });
  return { status: response.status, body: await response.json().catch(() => null) };
}

const setShop = (data: Record<string, unknown>) => updateShop(db, shop, data);

const customerOf = (shopifyId: string) =>
  db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop, shopifyId: `gid://shopify/Customer/${shopifyId}` } } });

/** Balance and pending always equal the sums of the entries. */
async function consistent(shopifyId: string) {
  const customer = await customerOf(shopifyId);
  expect(customer.balance).toBe(await sumOfEntries(db, customer.id));
  expect(customer.pendingBalance).toBe(await sumOfPending(db, customer.id));
  return customer;
}

/** An order with products (product_id per line) placed at `placedAt`. */
function order(spec: { customerId: string; lines: (LineSpec & { productId?: string; vendor?: string })[]; placedAt?: Date; tags?: string; currency?: string; presentmentCurrency?: string }) {
  const body = orderBody({ customerId: spec.customerId, lines: spec.lines, currency: spec.currency, presentmentCurrency: spec.presentmentCurrency }) as Record<string, any>;
  body.line_items.forEach((line: Record<string, unknown>, i: number) => {
    line.product_id = Number(spec.lines[i].productId ?? 1000 + i);
    line.vendor = spec.lines[i].vendor ?? "Kaweco";
  });
  const placed = (spec.placedAt ?? new Date()).toISOString();
  body.created_at = placed;
  body.processed_at = placed;
  if (spec.tags !== undefined) body.customer.tags = spec.tags;
  return body;
}

const rule = (data: Record<string, unknown>) =>
  db.earningRule.create({ data: { shopId: shop, name: "Rule", kind: "multiplier", target: "tag", ...data } as never });

const productFacts = (facts: Record<string, { tags?: string[]; collections?: { id: string; handle: string; title: string }[] }>) =>
  mockShopifyServer({
    ProductRuleFacts: ({ variables }) => ({
      nodes: (variables.ids as string[]).map((id) => (facts[id] ? { id, tags: facts[id].tags ?? [], collections: { nodes: facts[id].collections ?? [] } } : null)),
    }),
  });

describe("earning rules on orders/paid", () => {
  it("multiplies tagged and collection products with facts from the Admin API (offline session), and snapshots the explanation", async () => {
    await rule({ name: "Summer x3", target: "tag", value: "summer", multiplier: "3" });
    await rule({ name: "Sale x2", target: "collection", value: "sale", multiplier: "2" });
    productFacts({
      "gid://shopify/Product/11": { tags: ["Summer"] },
      "gid://shopify/Product/12": { collections: [{ id: "gid://shopify/Collection/5", handle: "sale", title: "Sale" }] },
    });
    const customerId = nextId();
    const res = await deliver({
      topic: "orders/paid",
      body: order({ customerId, lines: [{ price: "10.00", productId: "11" }, { price: "10.00", productId: "12" }, { price: "10.00", productId: "13" }] }),
    });
    expect(res.status).toBe(200);
    expect((await consistent(customerId)).balance).toBe(30 + 20 + 10);
    const lookup = graphqlCalls.find((c) => c.operationName === "ProductRuleFacts")!;
    expect(lookup.accessToken).toBeTruthy();
    expect(lookup.variables.ids).toEqual(["gid://shopify/Product/11", "gid://shopify/Product/12", "gid://shopify/Product/13"]);
    const award = await db.orderAward.findFirstOrThrow({ where: { shopId: shop } });
    const steps = JSON.parse(award.explanation!);
    expect(steps.filter((s: any) => s.kind === "line").map((s: any) => s.points)).toEqual(["30", "20", "10"]);
  });

  it("applies a rule saved, changed or deleted in the admin to the very next order (orders/paid reads rules and tiers through a cache)", async () => {
    const earn = async () => {
      const customerId = nextId();
      expect((await deliver({ topic: "orders/paid", body: order({ customerId, lines: [{ price: "10.00", vendor: "Lamy" }] }) })).status).toBe(200);
      return (await consistent(customerId)).balance;
    };
    const base = { name: "Lamy", kind: "multiplier" as const, target: "vendor" as const, value: "Lamy", bonusPoints: null, startsAt: null, endsAt: null, active: true };
    expect(await earn()).toBe(10);
    const saved = await createRule(db, shop, { ...base, multiplier: "3" });
    expect(await earn()).toBe(30);
    await updateRule(db, shop, saved.id, { ...base, multiplier: "2" });
    expect(await earn()).toBe(20);
    await deleteRule(db, shop, saved.id);
    expect(await earn()).toBe(10);
    // A new tier: the first order puts the customer in it; a changed
    // multiplier counts on their next order.
    // (Above the customers' spend so far: a daily recompute of every shop,
    // in another test, finds nothing to move here.)
    const gold = await createTier(db, shop, { name: "Gold", threshold: "50", multiplier: "2", perks: "" });
    const repeat = nextId();
    await deliver({ topic: "orders/paid", body: order({ customerId: repeat, lines: [{ price: "50.00" }] }) });
    expect((await customerOf(repeat)).tierId).toBe(gold.id);
    await updateTier(db, shop, gold.id, { name: "Gold", threshold: "50", multiplier: "4", perks: "" });
    await deliver({ topic: "orders/paid", body: order({ customerId: repeat, lines: [{ price: "10.00" }] }) });
    expect((await consistent(repeat)).balance).toBe(50 + 40);
  });

  it("answers 500 when the product lookup fails, credits nothing, and credits once Shopify's retry succeeds", async () => {
    await rule({ name: "Summer x3", target: "tag", value: "summer", multiplier: "3" });
    mockShopifyServer({ ProductRuleFacts: () => new HttpResponse("upstream down", { status: 503 }) });
    const customerId = nextId();
    const body = order({ customerId, lines: [{ price: "10.00", productId: "11" }] });
    const eventId = `evt-${nextId()}`;
    expect((await deliver({ topic: "orders/paid", body, eventId })).status).toBe(500);
    expect(await db.ledgerEntry.count({ where: { shopId: shop } })).toBe(0);
    expect(await db.orderAward.count({ where: { shopId: shop } })).toBe(0);

    productFacts({ "gid://shopify/Product/11": { tags: ["summer"] } });
    expect((await deliver({ topic: "orders/paid", body, eventId })).status).toBe(200);
    expect((await consistent(customerId)).balance).toBe(30);
  });

  it("does not call the Admin API when no rule needs tags or collections (vendor rules use the payload)", async () => {
    await rule({ name: "Kaweco x2", target: "vendor", value: "kaweco", multiplier: "2" });
    const customerId = nextId();
    await deliver({ topic: "orders/paid", body: order({ customerId, lines: [{ price: "10.00" }, { price: "5.00", vendor: "Other" }] }) });
    expect((await consistent(customerId)).balance).toBe(25);
    expect(graphqlCalls).toHaveLength(0);
  });

  it("applies the highest of overlapping campaigns running when the order was placed, on shop money (multi-currency)", async () => {
    const start = new Date(Date.UTC(2026, 5, 13));
    const end = new Date(Date.UTC(2026, 5, 15));
    await rule({ name: "Double weekend", kind: "campaign", target: "all", multiplier: "2", startsAt: start, endsAt: end });
    await rule({ name: "Triple Saturday", kind: "campaign", target: "all", multiplier: "3", startsAt: start, endsAt: addDays(start, 1) });
    const inside = nextId();
    const outside = nextId();
    // Shop in AUD, shopper paid in USD: 45.62 AUD shop money earns, not 34.67 USD.
    const lines = [{ price: "45.62", presentmentPrice: "34.67" }];
    await deliver({ topic: "orders/paid", body: order({ customerId: inside, lines, placedAt: new Date(Date.UTC(2026, 5, 13, 15)), currency: "AUD", presentmentCurrency: "USD" }) });
    await deliver({ topic: "orders/paid", body: order({ customerId: outside, lines, placedAt: end, currency: "AUD", presentmentCurrency: "USD" }) });
    expect((await consistent(inside)).balance).toBe(136); // floor(45.62 × 3)
    expect((await consistent(outside)).balance).toBe(45);
  });

  it("gives the first-order bonus once, honours the minimum order value, and skips excluded customers", async () => {
    await setShop({ firstOrderBonus: 100, minOrderValue: "20.00", excludedCustomerTags: "staff, wholesale" });
    const customerId = nextId();
    await deliver({ topic: "orders/paid", body: order({ customerId, lines: [{ price: "25.00" }] }) });
    expect((await consistent(customerId)).balance).toBe(125);
    await deliver({ topic: "orders/paid", body: order({ customerId, lines: [{ price: "25.00" }] }) });
    expect((await consistent(customerId)).balance).toBe(150);
    await deliver({ topic: "orders/paid", body: order({ customerId, lines: [{ price: "19.99" }] }) });
    expect((await consistent(customerId)).balance).toBe(150);

    const staff = nextId();
    await deliver({ topic: "orders/paid", body: order({ customerId: staff, lines: [{ price: "500.00" }], tags: "VIP, Staff" }) });
    expect((await consistent(staff)).balance).toBe(0);
    const award = await db.orderAward.findFirstOrThrow({ where: { shopId: shop, customerId: (await customerOf(staff)).id } });
    expect(JSON.parse(award.explanation!)[0]).toMatchObject({ kind: "excluded" });
  });

  it("reverses a refund from the snapshot's line weights, not from today's rules", async () => {
    const summer = await rule({ name: "Summer x3", target: "tag", value: "summer", multiplier: "3" });
    productFacts({ "gid://shopify/Product/11": { tags: ["summer"] } });
    const customerId = nextId();
    const body = order({ customerId, lines: [{ price: "10.00", productId: "11" }, { price: "10.00", productId: "12" }] });
    await deliver({ topic: "orders/paid", body });
    expect((await consistent(customerId)).balance).toBe(40);
    await db.earningRule.delete({ where: { id: summer.id } }); // today's rules differ
    const tagged = String(body.line_items[0].id);
    await deliver({ topic: "refunds/create", body: refundBody({ orderId: String(body.id), lines: [{ lineItemId: tagged, quantity: 1 }] }) });
    expect((await consistent(customerId)).balance).toBe(10);
  });
});

describe("sign-up bonus on customers/create", () => {
  it("credits once per customer, even when Shopify sends two different events", async () => {
    await setShop({ signupBonus: 50 });
    const id = nextId();
    const body = { ...fixture<Record<string, unknown>>("customers-create", "shopify-docs-2026-04-1"), id: Number(id), admin_graphql_api_id: `gid://shopify/Customer/${id}` };
    expect((await deliver({ topic: "customers/create", body })).status).toBe(200);
    expect((await deliver({ topic: "customers/create", body })).status).toBe(200);
    const customer = await consistent(id);
    expect(customer.balance).toBe(50);
    expect(await db.ledgerEntry.findMany({ where: { customerId: customer.id } })).toMatchObject([{ type: "bonus", sourceType: "program", points: 50 }]);
  });

  it("gives nothing when the bonus is off", async () => {
    const id = nextId();
    await deliver({ topic: "customers/create", body: { ...fixture<Record<string, unknown>>("customers-create", "shopify-docs-2026-04-1"), id: Number(id) } });
    expect((await consistent(id)).balance).toBe(0);
  });
});

describe("pending points", () => {
  it("keep an order's points pending for the return window, cancel refunds from pending first, then mature once", async () => {
    await setShop({ pendingDays: 14 });
    const customerId = nextId();
    const body = order({ customerId, lines: [{ price: "60.00" }, { price: "40.00" }] });
    const paidAt = new Date();
    await deliver({ topic: "orders/paid", body });
    let customer = await consistent(customerId);
    expect(customer).toMatchObject({ balance: 0, pendingBalance: 100 });

    // A refund inside the window cancels pending points, not spendable ones.
    await deliver({ topic: "refunds/create", body: refundBody({ orderId: String(body.id), lines: [{ lineItemId: String(body.line_items[1].id), quantity: 1 }] }) });
    customer = await consistent(customerId);
    expect(customer).toMatchObject({ balance: 0, pendingBalance: 60 });
    const summary = await pointsSummary(db, shop, customer.id);
    expect(summary).toMatchObject({ available: 0, pending: 60, upcoming: [{ orderId: `gid://shopify/Order/${body.id}`, points: 60 }] });
    const days = (summary!.upcoming[0].availableAt.getTime() - paidAt.getTime()) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(14);
    expect(days).toBeLessThan(14.01);

    expect(await matureDuePoints(db, addDays(paidAt, 13))).toBe(0);
    expect((await consistent(customerId)).balance).toBe(0);

    const later = addDays(paidAt, 15);
    expect(await matureDuePoints(db, later)).toBe(1);
    expect(await matureDuePoints(db, later)).toBe(0); // run twice: no change
    customer = await consistent(customerId);
    expect(customer).toMatchObject({ balance: 60, pendingBalance: 0 });
    expect(await pointsSummary(db, shop, customer.id)).toEqual({ available: 60, pending: 0, upcoming: [] });
    const entries = await db.ledgerEntry.findMany({ where: { customerId: customer.id }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.type, e.points, e.pendingPoints])).toEqual([
      ["earn", 0, 100],
      ["reverse", 0, -40],
      ["release", 60, -60],
    ]);

    // A refund after the window takes spendable points.
    await deliver({ topic: "refunds/create", body: refundBody({ orderId: String(body.id), lines: [{ lineItemId: String(body.line_items[0].id), quantity: 1 }] }) });
    expect(await consistent(customerId)).toMatchObject({ balance: 0, pendingBalance: 0 });
  });

  it("a cancellation inside the window cancels the pending points and nothing matures", async () => {
    await setShop({ pendingDays: 30 });
    const customerId = nextId();
    await ledgerEntry(db, { shopId: shop, customerId: (await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${customerId}` } })).id, points: 5 });
    const body = order({ customerId, lines: [{ price: "80.00" }] });
    await deliver({ topic: "orders/paid", body });
    expect(await consistent(customerId)).toMatchObject({ balance: 5, pendingBalance: 80 });
    await deliver({ topic: "orders/cancelled", body: { ...body, cancelled_at: new Date().toISOString() } });
    expect(await consistent(customerId)).toMatchObject({ balance: 5, pendingBalance: 0 });
    expect(await matureDuePoints(db, addDays(new Date(), 31))).toBe(0);
  });
});

describe("tiers", () => {
  async function tiers() {
    const silver = await db.earningTier.create({ data: { shopId: shop, name: "Silver", threshold: "100", multiplier: "1.5" } });
    const gold = await db.earningTier.create({ data: { shopId: shop, name: "Gold", threshold: "500", multiplier: "2" } });
    return { silver, gold };
  }

  it("by lifetime spend: moves up on orders (the multiplier applies from the next order), down on refunds and cancellations, with history", async () => {
    const { silver } = await tiers();
    const customerId = nextId();
    const first = order({ customerId, lines: [{ price: "150.00" }] });
    await deliver({ topic: "orders/paid", body: first });
    let customer = await consistent(customerId);
    expect(customer.tierId).toBe(silver.id);
    expect(customer.balance).toBe(150); // earned before reaching Silver

    const second = order({ customerId, lines: [{ price: "100.00" }] });
    await deliver({ topic: "orders/paid", body: second });
    customer = await consistent(customerId);
    expect(customer.balance).toBe(300); // 100 × 1.5

    await deliver({ topic: "refunds/create", body: refundBody({ orderId: String(first.id), lines: [{ lineItemId: String(first.line_items[0].id), quantity: 1 }] }) });
    customer = await consistent(customerId);
    expect(customer.tierId).toBe(silver.id); // 100 of spend left: still Silver
    await deliver({ topic: "orders/cancelled", body: { ...second, cancelled_at: new Date().toISOString() } });
    customer = await consistent(customerId);
    expect(customer.tierId).toBeNull();
    expect(customer.balance).toBe(0);

    const changes = await db.tierChange.findMany({ where: { customerId: customer.id }, orderBy: { createdAt: "asc" } });
    expect(changes.map((c) => [c.fromName, c.toName, c.reason, c.basisValue])).toEqual([
      [null, "Silver", "order", "spend 150.00"],
      ["Silver", null, "cancellation", "spend 0.00"],
    ]);
  });

  it("by points in a rolling window: the daily recompute moves customers down when their points age out, once", async () => {
    await setShop({ tierBasis: "points", tierWindowMonths: 12 });
    const { silver } = await tiers();
    const customerId = nextId();
    await deliver({ topic: "orders/paid", body: order({ customerId, lines: [{ price: "120.00" }] }) });
    expect((await consistent(customerId)).tierId).toBe(silver.id);
    const now = new Date();
    expect(await recomputeAllTiers(db, addMonths(now, 6))).toBe(0);
    const later = addMonths(now, 13);
    expect(await recomputeAllTiers(db, later)).toBeGreaterThanOrEqual(1);
    expect(await recomputeAllTiers(db, later)).toBe(0);
    const customer = await consistent(customerId);
    expect(customer.tierId).toBeNull();
    const changes = await db.tierChange.findMany({ where: { customerId: customer.id }, orderBy: { createdAt: "asc" } });
    expect(changes.map((c) => [c.fromName, c.toName, c.reason])).toEqual([
      [null, "Silver", "order"],
      ["Silver", null, "schedule"],
    ]);
  });
});

describe("expiry", () => {
  it("FIFO: each batch expires N months after it became spendable, oldest first, once; and is announced beforehand", async () => {
    await setShop({ expiryPolicy: "fifo", expiryMonths: 12 });
    const customerId = nextId();
    const t0 = new Date();
    await deliver({ topic: "orders/paid", body: order({ customerId, lines: [{ price: "100.00" }] }) });
    const member = await customerOf(customerId);
    // A redemption consumes the oldest batch first.
    await ledgerEntry(db, { shopId: shop, customerId: member.id, points: -30 });

    expect(await expirePoints(db, addMonths(t0, 11))).toBe(0);
    const soon = await pointsExpiringSoon(db, shop, addMonths(t0, 11), 60);
    expect(soon).toEqual([{ customerId: member.id, points: 70, expiresAt: expect.any(Date) }]);
    expect(await pointsExpiringSoon(db, shop, addMonths(t0, 11), 10)).toEqual([]);

    const due = addDays(addMonths(t0, 12), 1);
    expect(await expirePoints(db, due)).toBe(70);
    expect(await expirePoints(db, due)).toBe(0);
    expect(await consistent(customerId)).toMatchObject({ balance: 0 });
    expect(await db.ledgerEntry.count({ where: { customerId: member.id, type: "expire" } })).toBe(1);
  });

  it("inactivity: the whole balance expires N months after the last order, once", async () => {
    await setShop({ expiryPolicy: "inactivity", expiryMonths: 6 });
    const customerId = nextId();
    const t0 = new Date();
    await deliver({ topic: "orders/paid", body: order({ customerId, lines: [{ price: "40.00" }] }) });
    expect(await expirePoints(db, addMonths(t0, 5))).toBe(0);
    const due = addDays(addMonths(t0, 6), 1);
    expect(await expirePoints(db, due)).toBe(40);
    expect(await expirePoints(db, due)).toBe(0);
    expect(await consistent(customerId)).toMatchObject({ balance: 0 });
  });

  it("pending points do not expire and policy none expires nothing", async () => {
    await setShop({ pendingDays: 30 });
    const customerId = nextId();
    await deliver({ topic: "orders/paid", body: order({ customerId, lines: [{ price: "40.00" }] }) });
    expect(await expirePoints(db, addMonths(new Date(), 48))).toBe(0);
    expect(await consistent(customerId)).toMatchObject({ pendingBalance: 40 });
  });
});

describe("birthday bonus", () => {
  it("is given on the birthday once a year, only when the merchant turned it on", async () => {
    const customer = await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}`, birthday: "07-14" } });
    const birthday = new Date(Date.UTC(2027, 6, 14, 8));
    expect(await awardBirthdayBonuses(db, birthday)).toBe(0); // off
    await setShop({ birthdayBonus: 200 });
    expect(await awardBirthdayBonuses(db, addDays(birthday, -1))).toBe(0);
    expect(await awardBirthdayBonuses(db, birthday)).toBe(1);
    expect(await awardBirthdayBonuses(db, addDays(birthday, 0.2))).toBe(0); // run twice the same day
    expect(await awardBirthdayBonuses(db, addMonths(birthday, 12))).toBe(1);
    const after = await db.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(after.balance).toBe(400);
    expect(after.balance).toBe(await sumOfEntries(db, customer.id));
  });
});

describe("loyalty jobs", () => {
  const ctx = (at: Date) => jobContext(db, () => at);

  it("are scheduled, and run their services on the queue's clock, idempotently", async () => {
    expect(loyaltyJobs.map((j) => j.name).sort()).toEqual([
      "loyalty.birthday-bonuses",
      "loyalty.expire-points",
      "loyalty.mature-pending-points",
      "loyalty.recompute-tiers",
    ]);
    for (const job of loyaltyJobs) expect(job.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);

    await setShop({ pendingDays: 7, expiryPolicy: "fifo", expiryMonths: 1 });
    const customerId = nextId();
    await deliver({ topic: "orders/paid", body: order({ customerId, lines: [{ price: "30.00" }] }) });
    const mature = loyaltyJobs.find((j) => j.name === "loyalty.mature-pending-points")!;
    const expire = loyaltyJobs.find((j) => j.name === "loyalty.expire-points")!;
    const week = addDays(new Date(), 8);
    await mature.run(ctx(week), {});
    await mature.run(ctx(week), {});
    expect(await consistent(customerId)).toMatchObject({ balance: 30, pendingBalance: 0 });
    // Spendable from day 8, so it expires a month after that.
    await expire.run(ctx(addDays(week, 20)), {});
    expect((await consistent(customerId)).balance).toBe(30);
    const due = addMonths(addDays(week, 1), 1);
    await expire.run(ctx(due), {});
    await expire.run(ctx(due), {});
    expect((await consistent(customerId)).balance).toBe(0);
    for (const job of loyaltyJobs) await job.run(ctx(due), {});
    expect(await db.ledgerEntry.count({ where: { shopId: shop, type: "expire" } })).toBe(1);
  });
});
