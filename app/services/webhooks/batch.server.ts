// Group commit (./group-commit.ts) for orders/paid, the topic a flash sale
// floods. Deliveries for one shop that arrive while its batch is being
// written are processed together in the next (a queue worker's claimed
// events likewise, from its concurrent jobs): the features write the whole
// batch with a few statements each (creditOrders, the co-purchase record),
// then one statement records the events, processed. An orders/paid is
// otherwise a dozen statements.
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

/**
 * How long a shop's next batch may wait, under load, for as many deliveries
 * as its recent batches had in flight (see ./group-commit.ts): a few
 * milliseconds on a delivery that would otherwise wait for a whole batch of
 * one before its own. 6 ms gave most of the gain and 3 ms about half
 * (PostgreSQL, 2 cores, 2026-12-06); Shopify waits 5 s for an answer. Where
 * gathering a large batch takes longer, the wait stretches to match, up to
 * four times this.
 */
export const LINGER_MS = 10;

export interface PaidDelivery {
  /** A delivery the intake received: recorded, processed, once the batch's work is done. */
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
// three (bench/results.md). An idle shop's delivery still starts at once;
// under load the next batch lingers for the deliveries just answered.
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
      {
        maxBatch: MAX_BATCH,
        lingerMs: LINGER_MS,
        // Shopify sends again as soon as a delivery is answered. A queue
        // worker's events do not come back: it fetches more once all of its
        // jobs are done, and lingering for them only held that fetch up.
        returns: (batch) => batch.some((w) => w.paid.delivery),
        onIdle: () => shops.get(shop.id) === shopCommit && shopCommit.idle && shops.delete(shop.id),
      },
    );
    shops.set(shop.id, (commit = shopCommit));
  }
  return commit.submit({ paid, shop });
}

/**
 * Processes the batch, then records its received deliveries as processed and
 * marks the claimed events processed. Nothing is recorded before the work:
 * the hooks' natural keys make processing an event twice a no-op (a retry
 * racing its first delivery is processed twice either way), and a delivery
 * whose processing fails gets its 500 — Shopify's retry brings it again —
 * so recording it first, claimed, then marking it processed was a round trip
 * per batch for nothing. A delivery of an event recorded before (a retry, or
 * a twin in the batch) is answered "recorded-before", for the intake's
 * duplicate handling.
 */
export async function processBatch(db: Db, shop: ShopRecord, batch: PaidDelivery[]): Promise<BatchOutcome[]> {
  let results: unknown[];
  try {
    results = await handleOrdersPaid(db, shop, batch.map((p) => p.order));
  } catch {
    return runEachAlone(db, shop, batch);
  }
  const received = batch.flatMap((p) => (p.delivery ? [p.delivery] : []));
  const claimed = batch.flatMap((p) => (p.delivery ? [] : [p.eventId!]));
  const [recorded] = await Promise.all([
    received.length ? recordNewDeliveries(db, received, { processed: true }) : [],
    claimed.length ? markAllProcessed(db, claimed) : undefined,
  ]);
  let r = 0;
  return batch.map((p, i) => ((p.delivery ? recorded[r++] : p.eventId) ? { kind: "processed", result: results[i] } : { kind: "recorded-before" }));
}

/** A failed batch, one event at a time (each recorded and claimed first), so only a bad order's own delivery fails. */
async function runEachAlone(db: Db, shop: ShopRecord, batch: PaidDelivery[]): Promise<BatchOutcome[]> {
  const received = batch.flatMap((p) => (p.delivery ? [p.delivery] : []));
  const recorded = received.length ? await recordNewDeliveries(db, received, { claim: true }) : [];
  let r = 0;
  const outcomes: BatchOutcome[] = [];
  for (const p of batch) {
    const id = p.delivery ? recorded[r++] : p.eventId!;
    if (!id) {
      outcomes.push({ kind: "recorded-before" });
      continue;
    }
    try {
      outcomes.push({ kind: "processed", result: await runClaimed(db, { id, shopId: shop.id, topic: "ORDERS_PAID" }, handlers.ORDERS_PAID, p.order, shop) });
    } catch (error) {
      outcomes.push({ kind: "failed", error });
    }
  }
  return outcomes;
}
