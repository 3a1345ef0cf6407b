// Queue mode's intake (ENCORE_WEBHOOKS=queue): record the delivery, enqueue
// its processing, answer. Deliveries that arrive while the last ones are
// being written go together (./group-commit.ts): one statement records their
// events and one enqueues their jobs, whatever their topics and shops.
import type { Db } from "../../db.server";
import type { EnqueueMany } from "../../jobs/types";
import { recordNewDeliveries, recordRepeat, type Delivery, type Receipt } from "../../models/webhook-event.server";
import { groupCommit, type GroupCommit } from "./group-commit";
import { PROCESS_WEBHOOK_JOB } from "./process.server";

/**
 * queued: a new event, queued; requeued: an earlier delivery's event not yet
 * processed, queued again (its first job may have been lost with a crash
 * before the enqueue; the workers' claim makes twin jobs harmless);
 * processed: nothing to do; not-queued: recorded, but the enqueue failed.
 */
export type QueuedOutcome = { kind: "queued" | "requeued" | "processed" } | { kind: "not-queued"; error: unknown };

// Per database client and queue (tests open several).
const commits = new WeakMap<Db, WeakMap<EnqueueMany, GroupCommit<Delivery, QueuedOutcome>>>();

export function recordAndEnqueue(db: Db, enqueueMany: EnqueueMany, delivery: Delivery): Promise<QueuedOutcome> {
  let byQueue = commits.get(db);
  if (!byQueue) commits.set(db, (byQueue = new WeakMap()));
  let commit = byQueue.get(enqueueMany);
  if (!commit) byQueue.set(enqueueMany, (commit = groupCommit((batch) => writeQueued(db, enqueueMany, batch))));
  return commit.submit(delivery);
}

/** One batch: its new events in one statement, repeats counted one by one (rare), every job to run in one enqueue. */
export async function writeQueued(db: Db, enqueueMany: EnqueueMany, deliveries: Delivery[]): Promise<QueuedOutcome[]> {
  const ids = await recordNewDeliveries(db, deliveries);
  const receipts: Receipt[] = [];
  for (const [i, d] of deliveries.entries()) receipts.push(ids[i] ? { id: ids[i]!, status: "new" } : await recordRepeat(db, d));
  const toQueue = receipts.filter((r) => r.status !== "processed");
  let failure: { error: unknown } | null = null;
  if (toQueue.length) {
    await enqueueMany(PROCESS_WEBHOOK_JOB, toQueue.map((r) => ({ id: r.id }))).catch((error: unknown) => {
      failure = { error };
    });
  }
  return receipts.map((r): QueuedOutcome => {
    if (r.status === "processed") return { kind: "processed" };
    if (failure) return { kind: "not-queued", error: failure.error };
    return { kind: r.status === "new" ? "queued" : "requeued" };
  });
}
