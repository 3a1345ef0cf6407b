// orders/paid deliveries handled together (app/services/webhooks/batch.server.ts)
// must write exactly what the same deliveries write one at a time — same
// customers, balances, ledger entries and awards — and keep failures to the
// delivery that caused them.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { cachedShop } from "../../app/models/shop.server";
import { processBatch, submitOrdersPaid, type PaidDelivery } from "../../app/services/webhooks/batch.server";
import { orderPayload, type OrderPayload } from "../../app/services/webhooks/payloads";
import { parseShopifyJson } from "../../app/services/shopify-json";
import { createShop, nextId, orderBody, refundBody, updateShop } from "../factories";

function paid(shop: string, body: object, eventId: string = randomUUID()): PaidDelivery {
  const raw = JSON.stringify(body);
  return {
    delivery: { shopId: shop, topic: "ORDERS_PAID", webhookId: randomUUID(), eventId, apiVersion: "2026-10", payload: raw },
    order: orderPayload.parse(parseShopifyJson(raw)) as OrderPayload,
  };
}

/** A day's mix: a customer ordering twice, a guest, a cancelled order, a refund in the payload, a twin delivery. */
function dayOfOrders() {
  const [ann, bob, cat] = [nextId(), nextId(), nextId()];
  const refunded = orderBody({ customerId: cat, lines: [{ id: `${nextId()}`, price: "30.00", quantity: 2 }] });
  const lineId = String((refunded.line_items as { id: number }[])[0].id);
  refunded.refunds = [refundBody({ orderId: String(refunded.id), lines: [{ lineItemId: lineId, quantity: 1 }] })];
  const twin = orderBody({ customerId: bob, lines: [{ price: "12.50" }] });
  return [
    orderBody({ customerId: ann, lines: [{ price: "40.00" }] }),
    twin,
    orderBody({ customerId: ann, lines: [{ price: "25.00", quantity: 3 }] }),
    orderBody({ customerId: null, lines: [{ price: "99.00" }] }),
    orderBody({ customerId: bob, lines: [{ price: "18.00" }], cancelledAt: "2026-11-27T10:00:00Z" }),
    refunded,
    twin,
  ];
}

/** What the ledger holds for the shop, keyed by Shopify ids (comparable across shops). */
async function stateOf(shop: string) {
  const customers = await db.customer.findMany({ where: { shopId: shop }, orderBy: { shopifyId: "asc" } });
  return Promise.all(
    customers.map(async (c) => {
      const entries = await db.ledgerEntry.findMany({ where: { customerId: c.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      const awards = await db.orderAward.findMany({ where: { customerId: c.id }, orderBy: { orderId: "asc" } });
      return {
        shopifyId: c.shopifyId,
        balance: c.balance,
        pendingBalance: c.pendingBalance,
        entries: entries.map((e) => ({ type: e.type, points: e.points, pending: e.pendingPoints, key: e.idempotencyKey })).sort((a, b) => a.key.localeCompare(b.key)),
        awards: awards.map((a) => ({ orderId: a.orderId, status: a.status, awarded: a.pointsAwarded, pending: a.pointsPending, reversed: a.pointsReversed })),
        sumOfEntries: entries.reduce((sum, e) => sum + e.points, 0),
        // (A batch's entries share one time: the balances they left, in any order.)
        balancesAfter: entries.map((e) => e.balanceAfter).sort((a, b) => a - b),
      };
    }),
  );
}

describe("orders/paid deliveries handled together", () => {
  it.each([
    ["the default program", {}],
    ["a first-order bonus", { firstOrderBonus: 25 }],
    ["a pending window", { pendingDays: 14 }],
  ])("write what the same deliveries write one at a time (%s)", async (_name, program) => {
    const [together, alone] = [(await createShop(db)).id, (await createShop(db)).id];
    for (const shop of [together, alone]) await updateShop(db, shop, program);
    const orders = dayOfOrders();

    const batched = await processBatch(db, (await cachedShop(db, together))!, orders.map((o) => paid(together, o)));
    const oneByOne = [];
    for (const o of orders) oneByOne.push(...(await processBatch(db, (await cachedShop(db, alone))!, [paid(alone, o)])));

    const statuses = (outcomes: typeof batched) => outcomes.map((o) => (o.kind === "processed" ? (o.result as { status: string }).status : o.kind));
    expect(statuses(batched)).toEqual(["awarded", "awarded", "awarded", "guest", "cancelled", "awarded", "duplicate"]);
    expect(statuses(batched)).toEqual(statuses(oneByOne));
    const state = await stateOf(together);
    expect(state).toEqual(await stateOf(alone));
    // Every balance is its entries' sum.
    for (const c of state) expect(c.sumOfEntries).toBe(c.balance);
    expect(state.find((c) => c.entries.some((e) => e.type === "reverse"))).toBeDefined();
    expect(await db.webhookEvent.count({ where: { shopId: together, status: "processed" } })).toBe(orders.length);
  });

  it("hand back a delivery of an event already recorded, for the intake's duplicate answer", async () => {
    const shop = (await createShop(db)).id;
    const order = orderBody({ customerId: nextId(), lines: [{ price: "10.00" }] });
    const first = paid(shop, order);
    const [a, b] = await processBatch(db, (await cachedShop(db, shop))!, [first, paid(shop, order, first.delivery!.eventId!)]);
    expect(a).toMatchObject({ kind: "processed", result: { status: "awarded" } });
    expect(b).toEqual({ kind: "recorded-before" });
    expect(await processBatch(db, (await cachedShop(db, shop))!, [paid(shop, order, first.delivery!.eventId!)])).toEqual([{ kind: "recorded-before" }]);
  });

  it.runIf(process.env.ENCORE_TEST_DB === "postgresql")("record twins that two app servers write at once, in opposite orders, once each and without a deadlock", async () => {
    const shop = (await createShop(db)).id;
    const record = (await cachedShop(db, shop))!;
    // Another app server's batch records the same events in the opposite
    // order; a third transaction holds the middle one until both batches'
    // records wait on it. Unless both take their keys in the same order, each
    // then holds a key the other waits for.
    const deliveries = Array.from({ length: 20 }, () => paid(shop, orderBody({ customerId: nextId(), lines: [{ price: "10.00" }] })));
    deliveries.sort((a, b) => (a.delivery!.eventId! < b.delivery!.eventId! ? -1 : 1));
    const twins = deliveries.map((p) => paid(shop, JSON.parse(p.delivery!.payload as string), p.delivery!.eventId!)).reverse();
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`INSERT INTO "WebhookEvent" ("id", "shopId", "topic", "eventKey", "webhookId", "status") VALUES ('held', $1, 'ORDERS_PAID', $2, 'held', 'received')`, [
        shop,
        deliveries[10].delivery!.eventId,
      ]);
      const batches = Promise.all([processBatch(db, record, deliveries), processBatch(db, record, twins)]);
      // (Read outside the held transaction, whose view of the statistics stays as it first read them.)
      const waiting = async () =>
        (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO "WebhookEvent"%'`)[0].n;
      for (let i = 0; i < 200 && (await waiting()) < 2; i++) await new Promise((r) => setTimeout(r, 25));
      expect(await waiting()).toBe(2);
      await holder.query("ROLLBACK");
      const outcomes = (await batches).flat();
      expect(outcomes.filter((o) => o.kind === "processed")).toHaveLength(20);
      expect(outcomes.filter((o) => o.kind === "recorded-before")).toHaveLength(20);
    } finally {
      await holder.end();
    }
    expect(await db.webhookEvent.count({ where: { shopId: shop, status: "processed" } })).toBe(20);
    expect(await db.orderAward.count({ where: { shopId: shop } })).toBe(20);
  });

  it("fail only the delivery whose order cannot be written; the others are processed", async () => {
    const shop = (await createShop(db)).id;
    const customerId = nextId();
    const good = [orderBody({ customerId, lines: [{ price: "10.00" }] }), orderBody({ customerId, lines: [{ price: "20.00" }] })];
    const broken = paid(shop, orderBody({ customerId: nextId(), lines: [{ price: "5.00" }] }));
    // (Past validation, as a bug would let it: an award must have a currency.)
    broken.order = { ...broken.order, currency: null as unknown as string };
    const outcomes = await processBatch(db, (await cachedShop(db, shop))!, [paid(shop, good[0]), broken, paid(shop, good[1])]);
    expect(outcomes.map((o) => o.kind)).toEqual(["processed", "failed", "processed"]);
    const customer = await db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop, shopifyId: `gid://shopify/Customer/${customerId}` } } });
    expect(customer.balance).toBe(30);
    const events = await db.webhookEvent.findMany({ where: { shopId: shop }, select: { status: true } });
    expect(events.map((e) => e.status).sort()).toEqual(["failed", "processed", "processed"]);
  });

  it("form batches from concurrent deliveries, each order credited once", async () => {
    const shop = (await createShop(db)).id;
    const record = (await cachedShop(db, shop))!;
    const customers = Array.from({ length: 8 }, () => nextId());
    const orders = Array.from({ length: 60 }, (_, i) => orderBody({ customerId: customers[i % 8], lines: [{ price: `${10 + i}.00` }] }));
    const outcomes = await Promise.all(orders.map((o) => submitOrdersPaid(db, record, paid(shop, o))));
    expect(outcomes.every((o) => o.kind === "processed")).toBe(true);
    const expected = orders.reduce((sum, _o, i) => sum + 10 + i, 0);
    const balances = await db.customer.aggregate({ where: { shopId: shop }, _sum: { balance: true } });
    expect(balances._sum.balance).toBe(expected);
    // One receivedAt per batch: fewer batches than deliveries.
    const batches = await db.webhookEvent.groupBy({ by: ["receivedAt"], where: { shopId: shop } });
    expect(batches.length).toBeLessThan(orders.length);
  });

  it("settle the batch's reward and offer codes, whatever their case, and leave the merchant's own codes alone", async () => {
    const shop = (await createShop(db)).id;
    const [ann, bob, cat] = [nextId(), nextId(), nextId()];
    const annRow = await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${ann}` } });
    const redemption = await db.redemption.create({
      data: { shopId: shop, customerId: annRow.id, rewardId: "r1", requestId: randomUUID(), status: "issued", pointsCost: 100, source: "customer", code: "ENC-REWARD1", snapshot: "{}" },
    });
    const offer = await db.offer.create({ data: { shopId: shop, name: "Socks", triggerType: "any", discountCode: "ENCORE-SOCKS", offeredProductIds: "[]" } });
    const withCodes = (customerId: string, ...codes: string[]) => {
      const body = orderBody({ customerId, lines: [{ price: "10.00" }] });
      body.discount_codes = codes.map((code) => ({ code, amount: "1.00", type: "fixed_amount" }));
      return body;
    };
    const orders = [withCodes(ann, " enc-reward1 "), withCodes(bob, "encore-socks", "SUMMER"), withCodes(cat, "SUMMER"), withCodes(cat)];
    const outcomes = await processBatch(db, (await cachedShop(db, shop))!, orders.map((o) => paid(shop, o)));

    expect(outcomes.map((o) => o.kind)).toEqual(["processed", "processed", "processed", "processed"]);
    expect(await db.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({ status: "used", orderId: `gid://shopify/Order/${orders[0].id}` });
    const conversions = await db.offerConversion.findMany({ where: { shopId: shop } });
    expect(conversions.map((c) => [c.offerId, c.orderId])).toEqual([[offer.id, `gid://shopify/Order/${orders[1].id}`]]);
  });

  it("credit a delivery that waited for a batch under the shop's record as that delivery read it", async () => {
    const shop = (await createShop(db)).id;
    const record = (await cachedShop(db, shop))!;
    const customerId = nextId();
    const order = () => orderBody({ customerId, lines: [{ price: "10.00" }] });
    // Three deliveries take the shop's batches in flight; the fourth waits for
    // one of them, read after a settings save (a fresher record of the shop).
    const first = Array.from({ length: 3 }, () => submitOrdersPaid(db, record, paid(shop, order())));
    const later = order();
    const last = submitOrdersPaid(db, { ...record, earnRate: "2" }, paid(shop, later));
    await Promise.all([...first, last]);
    const award = await db.orderAward.findUniqueOrThrow({ where: { shopId_orderId: { shopId: shop, orderId: `gid://shopify/Order/${later.id}` } } });
    expect(award.pointsAwarded).toBe(20);
  });

  it("place every member of a batch in the tier its orders reach, a customer with two orders of it once", async () => {
    const shop = (await createShop(db)).id;
    await db.earningTier.create({ data: { shopId: shop, name: "Silver", threshold: "100", multiplier: "1" } });
    const gold = await db.earningTier.create({ data: { shopId: shop, name: "Gold", threshold: "300", multiplier: "2" } });
    const [ann, bob, cat] = [nextId(), nextId(), nextId()];
    const spend = (customerId: string, price: string) => orderBody({ customerId, lines: [{ price }] });
    // Cat is in Gold already (her earlier order), and stays there.
    expect((await processBatch(db, (await cachedShop(db, shop))!, [paid(shop, spend(cat, "400.00"))]))[0].kind).toBe("processed");
    const orders = [spend(ann, "60.00"), spend(bob, "20.00"), spend(ann, "250.00"), spend(cat, "5.00")];
    const outcomes = await processBatch(db, (await cachedShop(db, shop))!, orders.map((o) => paid(shop, o)));

    expect(outcomes.map((o) => o.kind)).toEqual(["processed", "processed", "processed", "processed"]);
    const tierOf = async (id: string) => (await db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop, shopifyId: `gid://shopify/Customer/${id}` } } })).tierId;
    expect([await tierOf(ann), await tierOf(bob), await tierOf(cat)]).toEqual([gold.id, null, gold.id]);
    const changes = await db.tierChange.findMany({ where: { shopId: shop }, orderBy: { createdAt: "asc" } });
    expect(changes.map((c) => [c.toName, c.basisValue])).toEqual([
      ["Gold", "spend 400.00"],
      ["Gold", "spend 310.00"],
    ]);
  });

  it("place members by the points of the window, their earlier awards and the batch's together", async () => {
    const shop = (await createShop(db)).id;
    await updateShop(db, shop, { tierBasis: "points", tierWindowMonths: 12 });
    const silver = await db.earningTier.create({ data: { shopId: shop, name: "Silver", threshold: "100", multiplier: "1" } });
    const [dan, eve] = [nextId(), nextId()];
    const spend = (customerId: string, price: string) => orderBody({ customerId, lines: [{ price }] });
    const earlier = [spend(dan, "90.00"), spend(eve, "90.00")];
    await processBatch(db, (await cachedShop(db, shop))!, earlier.map((o) => paid(shop, o)));
    // Dan's 90 points were earned two years ago, outside the window.
    await db.orderAward.updateMany({ where: { shopId: shop, orderId: `gid://shopify/Order/${earlier[0].id}` }, data: { createdAt: new Date(Date.now() - 730 * 86_400_000) } });

    const outcomes = await processBatch(db, (await cachedShop(db, shop))!, [paid(shop, spend(dan, "20.00")), paid(shop, spend(eve, "20.00"))]);

    expect(outcomes.map((o) => o.kind)).toEqual(["processed", "processed"]);
    const tierOf = async (id: string) => (await db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop, shopifyId: `gid://shopify/Customer/${id}` } } })).tierId;
    expect([await tierOf(dan), await tierOf(eve)]).toEqual([null, silver.id]);
    const changes = await db.tierChange.findMany({ where: { shopId: shop } });
    expect(changes.map((c) => [c.toName, c.basisValue, c.reason])).toEqual([["Silver", "points 110", "order"]]);
  });
});
