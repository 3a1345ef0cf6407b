// Webhooks through the real route: signed as Shopify signs them, verified by
// authenticate.webhook, into customers and the ledger.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { sumOfEntries } from "../../app/models/ledger.server";
import { action } from "../../app/routes/webhooks";
import { createShop, ledgerEntry, nextId, orderBody, refundBody, updateShop } from "../factories";
import { fixtureText, webhookRequest, type DeliveryOptions } from "../webhooks";

let shop: string;

beforeEach(async () => {
  shop = (await createShop(db)).id;
});

async function deliver(o: Omit<DeliveryOptions, "shop"> & { shop?: string }) {
  const response = await action({ request: webhookRequest({ shop, ...o }), params: {}, context: {} });
  return { status: response.status, body: await response.json().catch(() => null) };
}

const customerOf = (shopifyId: string) =>
  db.customer.findUnique({ where: { shopId_shopifyId: { shopId: shop, shopifyId: `gid://shopify/Customer/${shopifyId}` } } });

async function expectConsistent(customerId: string) {
  const customer = await db.customer.findUniqueOrThrow({ where: { id: customerId } });
  expect(customer.balance).toBe(await sumOfEntries(db, customerId));
  return customer;
}

describe("orders/paid", () => {
  it("credits points on the merchandise after discounts, excluding shipping, tax and gift cards", async () => {
    const customerId = nextId();
    const body = orderBody({
      customerId,
      lines: [
        { price: "40.00", quantity: 2, discount: "8.00" }, // 72.00
        { price: "19.99" }, // 19.99
        { price: "50.00", giftCard: true }, // gift card: excluded
      ],
    });
    const res = await deliver({ topic: "orders/paid", body });
    expect(res.status).toBe(200);
    const customer = await expectConsistent((await customerOf(customerId))!.id);
    expect(customer.balance).toBe(91); // floor(91.99 × 1)
    const entries = await db.ledgerEntry.findMany({ where: { customerId: customer.id } });
    expect(entries).toMatchObject([{ type: "earn", points: 91, balanceAfter: 91, sourceType: "order" }]);
  });

  it("earns on shop-currency amounts when the shopper paid in another currency", async () => {
    // Real AUD-shop order paid in USD: 45.62 AUD (shop) vs 34.67 USD (presentment).
    const raw = fixtureText("orders-create", "bagserver-aud-shop-usd-presentment-1");
    const res = await deliver({ topic: "orders/paid", body: raw });
    expect(res.status).toBe(200);
    const customer = await customerOf("4206822293653");
    expect(customer?.balance).toBe(45);
    const award = await db.orderAward.findFirstOrThrow({ where: { shopId: shop } });
    expect(award).toMatchObject({ merchandiseTotal: "45.62", currencyCode: "AUD", pointsAwarded: 45 });
  });

  it("applies the shop's rate and rounding exactly", async () => {
    await updateShop(db, shop, { earnRate: "0.1", earnRounding: "ceil" });
    const customerId = nextId();
    await deliver({ topic: "orders/paid", body: orderBody({ customerId, lines: [{ price: "30.00" }] }) });
    // 30.00 × 0.1 = 3 exactly: ceil must not turn float noise into 4.
    expect((await customerOf(customerId))?.balance).toBe(3);
  });

  it("gives a guest checkout nothing and breaks nothing", async () => {
    const raw = fixtureText("orders-paid", "activepieces-1"); // no customer key at all
    const res = await deliver({ topic: "orders/paid", body: raw });
    expect(res.status).toBe(200);
    expect(await db.customer.count({ where: { shopId: shop } })).toBe(0);
    expect(await db.ledgerEntry.count({ where: { shopId: shop } })).toBe(0);
    expect(await db.orderAward.findFirst({ where: { shopId: shop } })).toMatchObject({ status: "guest", pointsAwarded: 0 });
  });

  it("does not credit Shopify's sample order, which is already cancelled (voided)", async () => {
    const res = await deliver({ topic: "orders/paid", body: fixtureText("orders-paid", "shopify-docs-2026-04-1") });
    expect(res.status).toBe(200);
    expect(await db.ledgerEntry.count({ where: { shopId: shop } })).toBe(0);
  });

  it("keeps ids above 2^53 exact", async () => {
    const raw = fixtureText("orders-paid", "shopify-docs-2026-04-1").replace(
      /"id": ?820982911946154500/,
      '"id": 820982911946154508',
    );
    await deliver({ topic: "orders/paid", body: raw });
    const award = await db.orderAward.findFirstOrThrow({ where: { shopId: shop } });
    expect(award.orderId).toBe("gid://shopify/Order/820982911946154508");
  });
});

describe("duplicates and retries", () => {
  it("changes nothing when the same event is delivered twice, even with a new webhook id", async () => {
    const customerId = nextId();
    const body = orderBody({ customerId, lines: [{ price: "25.00" }] });
    const eventId = "evt-" + nextId();
    expect((await deliver({ topic: "orders/paid", body, eventId })).status).toBe(200);
    const second = await deliver({ topic: "orders/paid", body, eventId });
    expect(second.status).toBe(200);
    expect(second.body.message).toMatch(/Duplicate/);
    const customer = await customerOf(customerId);
    expect(customer?.balance).toBe(25);
    expect(await db.ledgerEntry.count({ where: { customerId: customer!.id } })).toBe(1);
  });

  it("dedupes on the webhook id when there is no event id", async () => {
    const customerId = nextId();
    const body = orderBody({ customerId, lines: [{ price: "25.00" }] });
    await deliver({ topic: "orders/paid", body, webhookId: "wh-1", eventId: null });
    await deliver({ topic: "orders/paid", body, webhookId: "wh-1", eventId: null });
    const events = await db.webhookEvent.findMany({ where: { shopId: shop } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventKey: "wh-1", attempts: 2, status: "processed", payload: null });
  });

  it("credits one order once even when Shopify emits two different events for it", async () => {
    const customerId = nextId();
    const body = orderBody({ customerId, lines: [{ price: "25.00" }] });
    await Promise.all([deliver({ topic: "orders/paid", body }), deliver({ topic: "orders/paid", body })]);
    expect((await customerOf(customerId))?.balance).toBe(25);
  });
});

describe("refunds and cancellations", () => {
  async function paidOrder(lines: { price: string; quantity?: number }[], customerId = nextId()) {
    const body = orderBody({ customerId, lines });
    await deliver({ topic: "orders/paid", body });
    const lineIds = (body.line_items as { id: number }[]).map((l) => String(l.id));
    return { body, orderId: String(body.id), lineIds, customerId };
  }

  it("reverses points in proportion to the refunded merchandise, from the award snapshot", async () => {
    const { orderId, lineIds, customerId } = await paidOrder([{ price: "10.00", quantity: 3 }, { price: "70.00" }]);
    // The rate changes after the order: the reversal must not use it.
    await updateShop(db, shop, { earnRate: "5" });
    await deliver({ topic: "refunds/create", body: refundBody({ orderId, lines: [{ lineItemId: lineIds[0], quantity: 1 }] }) });
    const c = await customerOf(customerId);
    expect(c?.balance).toBe(100 - 10);
    await deliver({ topic: "refunds/create", body: refundBody({ orderId, lines: [{ lineItemId: lineIds[1], quantity: 1 }] }) });
    expect((await customerOf(customerId))?.balance).toBe(20);
    await expectConsistent(c!.id);
  });

  it("a full refund in several parts takes back exactly what was earned", async () => {
    await updateShop(db, shop, { earnRate: "1", earnRounding: "round" });
    const { orderId, lineIds, customerId } = await paidOrder([{ price: "3.33", quantity: 3 }]); // 9.99 → 10 points
    for (let i = 0; i < 3; i++) {
      await deliver({ topic: "refunds/create", body: refundBody({ orderId, lines: [{ lineItemId: lineIds[0], quantity: 1 }] }) });
    }
    const c = await customerOf(customerId);
    expect(c?.balance).toBe(0);
    const reversed = await db.ledgerEntry.findMany({ where: { customerId: c!.id, type: "reverse" } });
    expect(reversed.reduce((s, e) => s + e.points, 0)).toBe(-10);
  });

  it("a refund delivered before its order is applied when the order arrives", async () => {
    const customerId = nextId();
    const body = orderBody({ customerId, lines: [{ price: "50.00", quantity: 2 }] });
    const lineId = String((body.line_items as { id: number }[])[0].id);
    const refund = refundBody({ orderId: String(body.id), lines: [{ lineItemId: lineId, quantity: 1 }] });
    const early = await deliver({ topic: "refunds/create", body: refund });
    expect(early.status).toBe(200);
    expect(early.body.result).toMatchObject({ status: "waiting" });
    await deliver({ topic: "orders/paid", body });
    const c = await customerOf(customerId);
    expect(c?.balance).toBe(50);
    await expectConsistent(c!.id);
  });

  it("a duplicated refund reverses once", async () => {
    const { orderId, lineIds, customerId } = await paidOrder([{ price: "20.00", quantity: 2 }]);
    const refund = refundBody({ orderId, lines: [{ lineItemId: lineIds[0], quantity: 1 }] });
    await deliver({ topic: "refunds/create", body: refund });
    await deliver({ topic: "refunds/create", body: refund }); // same refund, new delivery
    expect((await customerOf(customerId))?.balance).toBe(20);
  });

  it("a cancellation reverses what remains, once", async () => {
    const { body, orderId, lineIds, customerId } = await paidOrder([{ price: "10.00", quantity: 4 }]);
    await deliver({ topic: "refunds/create", body: refundBody({ orderId, lines: [{ lineItemId: lineIds[0], quantity: 1 }] }) });
    const cancelled = { ...body, cancelled_at: "2026-11-20T10:00:00Z", financial_status: "refunded" };
    await deliver({ topic: "orders/cancelled", body: cancelled });
    await deliver({ topic: "orders/cancelled", body: cancelled });
    const c = await customerOf(customerId);
    expect(c?.balance).toBe(0);
    const entries = await db.ledgerEntry.findMany({ where: { customerId: c!.id }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.type, e.sourceType, e.points])).toEqual([
      ["earn", "order", 40],
      ["reverse", "refund", -10],
      ["reverse", "cancellation", -30],
    ]);
  });

  it("an order cancelled before orders/paid arrives never earns", async () => {
    const customerId = nextId();
    const body = orderBody({ customerId, lines: [{ price: "99.00" }] });
    await deliver({ topic: "orders/cancelled", body: { ...body, cancelled_at: "2026-11-20T10:00:00Z" } });
    await deliver({ topic: "orders/paid", body });
    expect((await customerOf(customerId))?.balance).toBe(0);
  });

  it("the real cancelled-and-refunded order (refunds embedded in the payload) reverses once with refunds/create too", async () => {
    const raw = fixtureText("orders-cancelled", "activepieces-1");
    const order = JSON.parse(raw);
    const paid = { ...order, cancelled_at: null, financial_status: "paid", refunds: [] };
    await deliver({ topic: "orders/paid", body: paid });
    const customer = await db.customer.findFirstOrThrow({ where: { shopId: shop } });
    expect(customer.balance).toBeGreaterThan(0);
    await deliver({ topic: "orders/cancelled", body: raw });
    await deliver({ topic: "refunds/create", body: { ...order.refunds[0], order_id: order.id } });
    const after = await expectConsistent(customer.id);
    expect(after.balance).toBe(0);
  });

  it("never takes the balance below zero under the default policy, and records the shortfall", async () => {
    const { orderId, lineIds, customerId } = await paidOrder([{ price: "30.00" }]);
    const c = await customerOf(customerId);
    await ledgerEntry(db, { shopId: shop, customerId: c!.id, points: -25, allowNegative: false });
    await deliver({ topic: "refunds/create", body: refundBody({ orderId, lines: [{ lineItemId: lineIds[0], quantity: 1 }] }) });
    const after = await expectConsistent(c!.id);
    expect(after.balance).toBe(0);
    const reverse = await db.ledgerEntry.findFirstOrThrow({ where: { customerId: c!.id, type: "reverse" } });
    expect(reverse.points).toBe(-5);
    expect(JSON.parse(reverse.details!)).toEqual({ requested: -30, shortfall: 25 });
  });

  it("lets the balance go negative when the shop's policy allows it", async () => {
    await updateShop(db, shop, { allowNegativeBalance: true });
    const { orderId, lineIds, customerId } = await paidOrder([{ price: "30.00" }]);
    const c = await customerOf(customerId);
    await ledgerEntry(db, { shopId: shop, customerId: c!.id, points: -25, allowNegative: true });
    await deliver({ topic: "refunds/create", body: refundBody({ orderId, lines: [{ lineItemId: lineIds[0], quantity: 1 }] }) });
    expect((await expectConsistent(c!.id)).balance).toBe(-25);
  });
});

describe("rejected deliveries write nothing", () => {
  const body = () => orderBody({ customerId: nextId(), lines: [{ price: "10.00" }] });

  it("401 for a forged signature", async () => {
    const res = await deliver({ topic: "orders/paid", body: body(), secret: "not-the-app-secret" });
    expect(res.status).toBe(401);
    expect(await db.webhookEvent.count({ where: { shopId: shop } })).toBe(0);
  });

  it("401 for a missing signature", async () => {
    const res = await deliver({ topic: "orders/paid", body: body(), headers: { "x-shopify-hmac-sha256": undefined } });
    expect(res.status).toBe(401);
  });

  it("401 for a body altered after signing", async () => {
    const request = webhookRequest({ shop, topic: "orders/paid", body: body() });
    const tampered = new Request(request.url, { method: "POST", headers: request.headers, body: JSON.stringify(body()) });
    const response = await action({ request: tampered, params: {}, context: {} });
    expect(response.status).toBe(401);
  });

  it("400 with a clear message for a signed body that is not JSON", async () => {
    const res = await deliver({ topic: "orders/paid", body: '{"id": 1, "line_items": [' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/not valid JSON/);
    expect(await db.webhookEvent.count({ where: { shopId: shop } })).toBe(0);
  });

  it("400 naming the missing fields", async () => {
    const { line_items: _omit, ...rest } = body();
    void _omit;
    const res = await deliver({ topic: "orders/paid", body: rest });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/line_items/);
    expect(await db.webhookEvent.count({ where: { shopId: shop } })).toBe(0);
  });

  it("400 for missing Shopify headers", async () => {
    const res = await deliver({ topic: "orders/paid", body: body(), headers: { "x-shopify-webhook-id": undefined } });
    expect(res.status).toBe(400);
  });

  it("200 and nothing written for a shop that has not installed Encore", async () => {
    const res = await deliver({ shop: "stranger.myshopify.com", topic: "orders/paid", body: body() });
    expect(res.status).toBe(200);
    expect(await db.customer.count({ where: { shopId: "stranger.myshopify.com" } })).toBe(0);
  });
});

describe("customers/create and customers/update", () => {
  it("creates the member and keeps their details current", async () => {
    await deliver({ topic: "customers/create", body: fixtureText("customers-create", "shopify-docs-2026-04-1") });
    await deliver({ topic: "customers/update", body: fixtureText("customers-update", "shopify-docs-2026-04-1") });
    const customers = await db.customer.findMany({ where: { shopId: shop } });
    expect(customers).toHaveLength(1);
    expect(customers[0].email).toBeTruthy();
    expect(customers[0].balance).toBe(0);
  });

  it("accepts real payloads whose timestamps are null", async () => {
    const res = await deliver({ topic: "customers/create", body: fixtureText("customers-create", "hookdeck-2023-01-cad-1") });
    expect(res.status).toBe(200);
  });
});
