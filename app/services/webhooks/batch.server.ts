// Group commit (./group-commit.ts) for orders/paid, the topic a flash sale
// floods. Deliveries for one shop that arrive while its batch is being
// written are recorded and processed together in the next (a queue worker's
// claimed events likewise, from its concurrent jobs): one statement records
// their events while the features write the whole batch with a few
// statements each (creditOrders, the co-purchase record), one marks them
// processed. An orders/paid is otherwise a dozen statements.
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
import { groupCommit, type GroupCommit } from "./group-commit";
import { handlers, handleOrdersPaid } from "./handlers.server";
import { runClaimed } from "./process.server";

/** Deliveries written together at most; more wait for the next batch. */
export const MAX_BATCH = 50;

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
}

// Per database client (tests open several), then per shop. One batch of a
// shop is written at a time by this process, while the next one gathers.
// Overlapping batches (three, before) kept the database busier but made the
// batches smaller, and the statements per order are what costs: at 64
// senders on two app servers, 446 orders/s with one against 251–345 with
// three (bench/results.md). An idle shop's delivery still starts at once.
const commits = new WeakMap<Db, Map<string, GroupCommit<Waiting, BatchOutcome>>>();

/** Processes the orders/paid delivery with whatever else arrives for the shop meanwhile. */
export function submitOrdersPaid(db: Db, shop: ShopRecord, paid: PaidDelivery): Promise<BatchOutcome> {
  let shops = commits.get(db);
  if (!shops) commits.set(db, (shops = new Map()));
  let commit = shops.get(shop.id);
  if (!commit) {
    const shopCommit = groupCommit<Waiting, BatchOutcome>(
      // The newest delivery's record of the shop: a settings save reaches the
      // next batch, however long the shop's deliveries keep coming.
      (batch) => processBatch(db, batch[batch.length - 1].shop, batch.map((w) => w.paid)).catch((error: unknown) => batch.map(() => ({ kind: "failed", error }) as const)),
      { maxBatch: MAX_BATCH, onIdle: () => shops.get(shop.id) === shopCommit && shopCommit.idle && shops.delete(shop.id) },
    );
    shops.set(shop.id, (commit = shopCommit));
  }
  return commit.submit({ paid, shop });
}

/**
 * Records the batch's received deliveries and processes the batch at the
 * same time, then marks the new events processed. (Processing does not wait
 * for the record: a delivery of an event recorded before — a retry, rare —
 * is processed again, which the hooks' natural keys make a no-op, as when
 * Shopify retries a delivery that failed part-way; its outcome is the
 * intake's duplicate handling. A round trip less for every other.)
 */
export async function processBatch(db: Db, shop: ShopRecord, batch: PaidDelivery[]): Promise<BatchOutcome[]> {
  const received = batch.flatMap((p) => (p.delivery ? [p.delivery] : []));
  const [recording, handling] = await Promise.allSettled([
    received.length ? recordNewDeliveries(db, received, { claim: true }) : Promise.resolve([]),
    handleOrdersPaid(db, shop, batch.map((p) => p.order)),
  ]);
  if (recording.status === "rejected") throw recording.reason;
  let r = 0;
  const ids = batch.map((p) => (p.delivery ? recording.value[r++] : p.eventId!));
  const fresh = batch.flatMap((p, i) => (ids[i] ? [{ id: ids[i]!, order: p.order, at: i }] : []));
  const outcomes = new Map<string, BatchOutcome>();
  if (fresh.length) {
    try {
      if (handling.status === "rejected") throw handling.reason;
      await markAllProcessed(db, fresh.map((f) => f.id));
      fresh.forEach((f) => outcomes.set(f.id, { kind: "processed", result: handling.value[f.at] }));
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
