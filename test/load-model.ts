// A busy day's webhooks and what they must add up to: the generator of
// shuffled, partly duplicated deliveries (orders, partial refunds,
// cancellations) and a plain sequential model of the loyalty program that
// computes every balance from the same events. Used by the load test (HTTP,
// concurrent senders) and the workers test (intake + queue workers).
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { Db } from "../app/db.server";
import { computeEarning, reversalTarget } from "../app/services/loyalty/earning";
import { parseShopifyJson } from "../app/services/shopify-json";
import { orderPayload, refundPayload } from "../app/services/webhooks/payloads";
import { createOrderStream, rng, seedStore, SHOP, type StoreEvent } from "../sandbox/store/index.ts";
import { webhookRequest } from "./webhooks";

export interface Delivery {
  topic: string;
  body: string;
  eventId: string;
}

/** At least `count` events of a seeded store's day, delivered shuffled with `duplicateRate` of them twice. */
export function generateDeliveries(count: number, duplicateRate = 0.05): { events: StoreEvent[]; deliveries: Delivery[] } {
  const { catalog, customers } = seedStore(7);
  const stream = createOrderStream({ catalog, customers, seed: 7, start: new Date("2026-11-27T00:00:00Z"), refundRate: 0.12, cancelRate: 0.05 });
  const events: StoreEvent[] = [];
  while (events.length < count) events.push(...stream.next());
  events.push(...stream.flush());
  const r = rng(11);
  const deliveries: Delivery[] = [];
  for (const event of events) {
    const delivery = { topic: event.topic, body: JSON.stringify(event.payload), eventId: randomUUID() };
    deliveries.push(delivery);
    if (r.next() < duplicateRate) deliveries.push({ ...delivery });
  }
  // Fisher–Yates: any order at all, refunds before their orders included.
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  return { events, deliveries };
}

/**
 * Sends every delivery to `url` from `senders` concurrent senders, retrying a
 * non-200 answer or a dropped connection as Shopify would. Returns the deliveries that never got a 200.
 */
export async function sendDeliveries(url: string, deliveries: Delivery[], senders: number): Promise<string[]> {
  let next = 0;
  const failures: string[] = [];
  const sender = async () => {
    while (next < deliveries.length) {
      const d = deliveries[next++];
      const request = webhookRequest({ shop: SHOP.domain, topic: d.topic, body: d.body, eventId: d.eventId, url });
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(request.url, { method: "POST", headers: request.headers, body: d.body }).catch((error: Error) => error);
        if (!(res instanceof Error) && res.status === 200) break;
        if (attempt === 8) {
          failures.push(`${d.topic} → ${res instanceof Error ? res.message : `${res.status} ${await res.text()}`}`);
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
  return failures;
}

/** The program, sequentially and in memory: net points per order and per customer. */
export function sequentialModel(events: StoreEvent[]) {
  const settings = { earnRate: "1", earnRounding: "floor" as const };
  const orders = new Map<string, { customer: string | null; earned: number; lines: ReturnType<typeof computeEarning>["lines"]; refunded: Map<string, number>; cancelled: boolean }>();
  const refundOrder = new Map<string, string>();
  const order = (id: string) => orders.get(id)!;
  for (const event of events) {
    const json = parseShopifyJson(JSON.stringify(event.payload));
    if (event.topic === "orders/paid") {
      const o = orderPayload.parse(json);
      const earning = computeEarning(o, settings);
      const previous = orders.get(o.id);
      orders.set(o.id, {
        customer: o.customer ? `gid://shopify/Customer/${o.customer.id}` : null,
        earned: earning.points,
        lines: earning.lines,
        refunded: previous?.refunded ?? new Map(),
        cancelled: previous?.cancelled ?? false,
      });
    }
  }
  for (const event of events) {
    const json = parseShopifyJson(JSON.stringify(event.payload));
    if (event.topic === "refunds/create") {
      const refund = refundPayload.parse(json);
      refundOrder.set(`gid://shopify/Refund/${refund.id}`, refund.order_id);
      for (const line of refund.refund_line_items) {
        const refunded = order(refund.order_id).refunded;
        refunded.set(line.line_item_id, (refunded.get(line.line_item_id) ?? 0) + line.quantity);
      }
    } else if (event.topic === "orders/cancelled") {
      const cancelled = orderPayload.parse(json);
      order(cancelled.id).cancelled = true;
      // A cancellation carries its own refunds.
      for (const refund of cancelled.refunds ?? []) refundOrder.set(`gid://shopify/Refund/${refund.id}`, cancelled.id);
    }
  }
  const netByOrder = new Map<string, number>();
  const balances = new Map<string, number>();
  for (const [id, o] of orders) {
    if (!o.customer) continue;
    const net = o.cancelled ? 0 : o.earned - reversalTarget(o.earned, o.lines, o.refunded);
    netByOrder.set(id, net);
    balances.set(o.customer, (balances.get(o.customer) ?? 0) + net);
  }
  return { netByOrder, balances, refundOrder };
}


/**
 * Every customer's balance and every order's net ledger equal the model's,
 * each cached balance is the sum of its entries, and every event was
 * recorded and processed once.
 */
export async function expectLedgerMatchesModel(db: Db, events: StoreEvent[]) {
  const model = sequentialModel(events);
  const customers = await db.customer.findMany({ where: { shopId: SHOP.domain }, select: { id: true, shopifyId: true, balance: true } });
  const actualBalances = new Map(customers.map((c) => [c.shopifyId, c.balance]));
  const expectedBalances = new Map([...actualBalances.keys()].map((id) => [id, model.balances.get(id) ?? 0]));
  expect(actualBalances).toEqual(expectedBalances);
  expect([...model.balances.keys()].every((id) => actualBalances.has(id))).toBe(true);

  // The ledger, order by order: earn, refund reversals and cancellation net
  // to the model's figure.
  const entries = await db.ledgerEntry.findMany({ where: { shopId: SHOP.domain } });
  const netByOrder = new Map<string, number>();
  const sums = new Map<string, number>();
  for (const e of entries) {
    const [kind, source] = [e.idempotencyKey.slice(0, e.idempotencyKey.indexOf(":")), e.idempotencyKey.slice(e.idempotencyKey.indexOf(":") + 1)];
    const orderGid = kind === "reverse" ? `gid://shopify/Order/${model.refundOrder.get(source)}` : source;
    const orderId = orderGid.slice("gid://shopify/Order/".length);
    netByOrder.set(orderId, (netByOrder.get(orderId) ?? 0) + e.points);
    sums.set(e.customerId, (sums.get(e.customerId) ?? 0) + e.points);
  }
  const expectedNet = new Map([...model.netByOrder].filter(([id, net]) => net !== 0 || netByOrder.has(id)));
  expect(new Map([...netByOrder].filter(([id, net]) => net !== 0 || expectedNet.has(id)))).toEqual(expectedNet);
  for (const c of customers) expect(sums.get(c.id) ?? 0).toBe(c.balance);

  // Every event was recorded once, however often it was delivered.
  expect(await db.webhookEvent.count({ where: { shopId: SHOP.domain, status: "processed" } })).toBe(events.length);
}
