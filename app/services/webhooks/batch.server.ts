// Group commit for orders/paid, the topic a flash sale floods. Deliveries
// for one shop that arrive while earlier batches are being written wait for
// them, then are recorded and processed together (a queue worker's claimed
// events likewise, from its concurrent jobs): one statement records their
// events, the features write the whole batch with a few statements each
// (creditOrders, the co-purchase record), one marks them processed. An
// orders/paid is otherwise a dozen statements, and the database client's
// cost per statement — not the rows — is what bounds an app server.
//
// Nothing waits for a batch to fill: an idle shop's delivery starts at once
// (a batch of one, as fast as before), so batches only form under load,
// about as large as the number of deliveries in flight.
//
// Failures stay per delivery: if the batch fails, each of its events is run
// again alone (runClaimed), so one bad order fails only its own delivery
// (500, Shopify retries it) and the others are answered as processed. Every
// write is idempotent under natural keys, so the batch's partial work is
// harmless to the reruns.
import type { Db } from "../../db.server";
import { markAllProcessed, recordNewDeliveries, type Delivery } from "../../models/webhook-event.server";
import type { ShopRecord } from "../../models/shop.server";
import type { OrderPayload } from "./payloads";
import { handlers, handleOrdersPaid } from "./handlers.server";
import { runClaimed } from "./process.server";

/** Deliveries written together at most; more wait for the next batch. */
export const MAX_BATCH = 50;
/**
 * Batches of one shop being written at once by this process: one. While it is
 * written the next deliveries gather, so under load each batch takes all that
 * arrived during the last. Overlapping batches (three, before) kept the
 * database busier but made the batches smaller, and the statements per order
 * are what costs: at 64 senders on two app servers, 446 orders/s with one
 * against 251–345 with three (bench/results.md). An idle shop's delivery
 * still starts at once.
 */
export const MAX_IN_FLIGHT = 1;

export interface PaidDelivery {
  /** A delivery the intake received: recorded (and claimed) with the batch. */
  delivery?: Delivery;
  /** Or an event a queue worker has recorded and claimed already. */
  eventId?: string;
  order: OrderPayload;
}

/**
 * processed: done, with the first feature's result; failed: its processing
 * failed (the event is marked failed); recorded-before: the event was
 * recorded by an earlier delivery (or a twin in the batch), for the intake's
 * duplicate handling.
 */
export type BatchOutcome = { kind: "processed"; result: unknown } | { kind: "failed"; error: unknown } | { kind: "recorded-before" };

interface Waiting {
  paid: PaidDelivery;
  /** The shop's record as this delivery read it (from the per-process cache). */
  shop: ShopRecord;
  done: (outcome: BatchOutcome) => void;
}

interface ShopQueue {
  waiting: Waiting[];
  running: number;
}

// Per database client (tests open several), then per shop.
const queues = new WeakMap<Db, Map<string, ShopQueue>>();

/** Processes the orders/paid delivery with whatever else arrives for the shop meanwhile. */
export function submitOrdersPaid(db: Db, shop: ShopRecord, paid: PaidDelivery): Promise<BatchOutcome> {
  let shops = queues.get(db);
  if (!shops) queues.set(db, (shops = new Map()));
  let queue = shops.get(shop.id);
  if (!queue) shops.set(shop.id, (queue = { waiting: [], running: 0 }));
  const outcome = new Promise<BatchOutcome>((done) => queue.waiting.push({ paid, shop, done }));
  if (queue.running < MAX_IN_FLIGHT) void drain(db, shop.id, shops, queue);
  return outcome;
}

async function drain(db: Db, shopId: string, shops: Map<string, ShopQueue>, queue: ShopQueue) {
  queue.running++;
  try {
    while (queue.waiting.length) {
      const batch = queue.waiting.splice(0, MAX_BATCH);
      // The newest delivery's record of the shop: a settings save reaches the
      // next batch, however long the shop's deliveries keep coming.
      const shop = batch[batch.length - 1].shop;
      const outcomes = await processBatch(db, shop, batch.map((w) => w.paid)).catch((error: unknown) => batch.map(() => ({ kind: "failed", error }) as const));
      batch.forEach((w, i) => w.done(outcomes[i]));
    }
  } finally {
    queue.running--;
    if (shops.get(shopId) === queue && !queue.running && !queue.waiting.length) shops.delete(shopId);
  }
}

/** Records the batch's received deliveries, processes the new events together, marks them processed. */
export async function processBatch(db: Db, shop: ShopRecord, batch: PaidDelivery[]): Promise<BatchOutcome[]> {
  const received = batch.flatMap((p) => (p.delivery ? [p.delivery] : []));
  const recorded = received.length ? await recordNewDeliveries(db, received, { claim: true }) : [];
  let r = 0;
  const ids = batch.map((p) => (p.delivery ? recorded[r++] : p.eventId!));
  const fresh = batch.flatMap((p, i) => (ids[i] ? [{ id: ids[i]!, order: p.order }] : []));
  const outcomes = new Map<string, BatchOutcome>();
  if (fresh.length) {
    try {
      const results = await handleOrdersPaid(db, shop, fresh.map((f) => f.order));
      await markAllProcessed(db, fresh.map((f) => f.id));
      fresh.forEach((f, i) => outcomes.set(f.id, { kind: "processed", result: results[i] }));
    } catch {
      // One at a time, so only a bad order's own delivery fails.
      for (const f of fresh) {
        const event = { id: f.id, shopId: shop.id, topic: "ORDERS_PAID" };
        try {
          outcomes.set(f.id, { kind: "processed", result: await runClaimed(db, event, handlers.ORDERS_PAID, f.order, shop) });
        } catch (error) {
          outcomes.set(f.id, { kind: "failed", error });
        }
      }
    }
  }
  return ids.map((id) => (id ? outcomes.get(id)! : { kind: "recorded-before" }));
}
