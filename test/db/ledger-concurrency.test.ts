// The balance shown anywhere equals the sum of the entries — also when many
// deliveries for one customer arrive at once, duplicated and out of order.
import { describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { isUniqueViolation } from "../../app/models/errors";
import { appendEntry, sumOfEntries } from "../../app/models/ledger.server";
import { lockOrder } from "../../app/models/order-award.server";
import { action } from "../../app/routes/webhooks";
import { createShop, nextId, orderBody, refundBody } from "../factories";
import { webhookRequest } from "../webhooks";

function shuffle<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe("concurrent deliveries for one customer", () => {
  it("end with the balance a sequential replay gives, equal to the sum of entries", async () => {
    const shop = (await createShop(db)).id;
    const customerId = nextId();
    const deliveries: { topic: string; body: object; eventId: string }[] = [];
    let expected = 0;
    for (let i = 0; i < 20; i++) {
      const order = orderBody({ customerId, lines: [{ price: `${10 + i}.00`, quantity: 2 }] });
      deliveries.push({ topic: "orders/paid", body: order, eventId: `paid-${i}` });
      expected += 2 * (10 + i);
      if (i % 3 === 0) {
        const lineId = String((order.line_items as { id: number }[])[0].id);
        deliveries.push({
          topic: "refunds/create",
          body: refundBody({ orderId: String(order.id), lines: [{ lineItemId: lineId, quantity: 1 }] }),
          eventId: `refund-${i}`,
        });
        expected -= 10 + i;
      }
    }
    // Every event twice, shuffled, sent five at a time.
    const queue = shuffle([...deliveries, ...deliveries]);
    const statuses: number[] = [];
    const worker = async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        const res = await action({ request: webhookRequest({ shop, ...d }), params: {}, context: {} });
        statuses.push(res.status);
      }
    };
    await Promise.all(Array.from({ length: 5 }, worker));

    expect(statuses.every((s) => s === 200)).toBe(true);
    const customer = await db.customer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop, shopifyId: `gid://shopify/Customer/${customerId}` } },
    });
    expect(customer.balance).toBe(expected);
    expect(await sumOfEntries(db, customer.id)).toBe(expected);
    // One entry per business event: 20 earns and 7 reversals, no twins.
    const entries = await db.ledgerEntry.findMany({ where: { customerId: customer.id } });
    expect(entries.filter((e) => e.type === "earn")).toHaveLength(20);
    expect(entries.filter((e) => e.type === "reverse")).toHaveLength(7);
    // The highest running balance recorded is reachable: no entry saw a stale balance.
    const final = entries.find((e) => e.balanceAfter === expected);
    expect(final).toBeDefined();
  });

  it("apply a refund delivered at the same moment as its order, whichever commits first", async () => {
    // Each refund's transaction may not see the award, and the award's may not
    // see the refund: one of them must still apply it (never left waiting).
    const shop = (await createShop(db)).id;
    const pairs = Array.from({ length: 40 }, (_, i) => {
      const order = orderBody({ customerId: nextId(), lines: [{ price: `${20 + i}.00`, quantity: 2 }] });
      const lineId = String((order.line_items as { id: number }[])[0].id);
      return { order, refund: refundBody({ orderId: String(order.id), lines: [{ lineItemId: lineId, quantity: 1 }] }), net: 20 + i };
    });
    const send = (topic: string, body: object) => action({ request: webhookRequest({ shop, topic, body }), params: {}, context: {} });
    const statuses = await Promise.all(pairs.flatMap((p) => [send("orders/paid", p.order), send("refunds/create", p.refund)]));
    expect(statuses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);

    expect(await db.orderRefund.count({ where: { shopId: shop, status: "waiting" } })).toBe(0);
    const customers = await db.customer.findMany({ where: { shopId: shop }, select: { shopifyId: true, balance: true } });
    const balanceOf = new Map(customers.map((c) => [c.shopifyId, c.balance]));
    expect(pairs.map((p) => balanceOf.get(`gid://shopify/Customer/${(p.order.customer as { id: number }).id}`))).toEqual(pairs.map((p) => p.net));
  });

  it("take the order's lock first in each transaction (a PostgreSQL advisory lock; SQLite has one writer)", async () => {
    const held = await db.$transaction(async (tx) => {
      await lockOrder(tx, "lock.myshopify.com", "gid://shopify/Order/1");
      if (process.env.ENCORE_TEST_DB !== "postgresql") return null;
      const [row] = await tx.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`;
      return Number(row.n);
    });
    expect(held).toBe(process.env.ENCORE_TEST_DB === "postgresql" ? 1 : null);
  });

  it("refuse a second entry under the same natural key, as a unique violation the callers recognise, leaving the balance as it was", async () => {
    const shop = (await createShop(db)).id;
    const customer = await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}` } });
    const entry = { shopId: shop, customerId: customer.id, type: "bonus" as const, points: 25, sourceType: "program" as const, idempotencyKey: "bonus:once", allowNegative: false };
    const first = await db.$transaction((tx) => appendEntry(tx, entry));
    expect(first).toMatchObject({ points: 25, balanceAfter: 25, idempotencyKey: "bonus:once" });
    const error = await db.$transaction((tx) => appendEntry(tx, entry)).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(new Error("something else"))).toBe(false);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).balance).toBe(25);
    expect(await sumOfEntries(db, customer.id)).toBe(25);
  });
});

