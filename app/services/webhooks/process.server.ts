// Processing one recorded webhook event: claimed by one process at a time,
// run through its topic's handler, then marked processed (or failed, for a
// retry). The intake runs it at once by default; with ENCORE_WEBHOOKS=queue
// the intake only records and enqueues, and workers run it from the
// webhooks.process job (app/jobs/webhooks.server.ts) — on any number of
// machines, since the claim lets exactly one of them process each event.
import type { Db } from "../../db.server";
import { cachedShop, type ShopRecord } from "../../models/shop.server";
import { claimRecordedEvents, markFailed, markProcessed, type RecordedEvent } from "../../models/webhook-event.server";
import { parseShopifyJson } from "../shopify-json";
import { submitOrdersPaid } from "./batch.server";
import { groupCommit, type GroupCommit } from "./group-commit";
import { handlers as allHandlers, type AnyHandler } from "./handlers.server";
import type { OrderPayload } from "./payloads";

export const PROCESS_WEBHOOK_JOB = "webhooks.process";

export type ProcessOutcome = { status: "processed"; result: unknown } | { status: "skipped"; reason: string };

interface ClaimedEvent {
  id: string;
  shopId: string;
  topic: string;
}

/** Runs the handler of an event this process has claimed; a failure releases the claim for a retry. */
export async function runClaimed(db: Db, event: ClaimedEvent, handler: AnyHandler, payload: unknown, shop: ShopRecord | null): Promise<unknown> {
  try {
    const result = await handler.run(db, event.shopId, payload, shop);
    // shop/redact erased the event row together with the shop.
    if (event.topic !== "SHOP_REDACT") await markProcessed(db, event.id);
    return result;
  } catch (error) {
    await markFailed(db, event.id, error).catch(() => undefined);
    throw error;
  }
}

interface ClaimRequest {
  id: string;
  now: Date;
}

// A worker takes a queue's jobs many at a time (app/jobs/webhooks.server.ts);
// their claims arriving together are one statement (./group-commit.ts), per
// database client.
const claims = new WeakMap<Db, GroupCommit<ClaimRequest, RecordedEvent | null>>();

function claimQueued(db: Db, request: ClaimRequest): Promise<RecordedEvent | null> {
  let commit = claims.get(db);
  if (!commit) {
    commit = groupCommit(
      async (batch: ClaimRequest[]) => {
        // The statement runs after every request in it was made: its time is the latest.
        const now = new Date(Math.max(...batch.map((r) => r.now.getTime())));
        const claimed = await claimRecordedEvents(db, [...new Set(batch.map((r) => r.id))], now);
        // Two jobs for one event (a retry beside the first): only the first holds it.
        return batch.map((r) => {
          const event = claimed.get(r.id) ?? null;
          claimed.delete(r.id);
          return event;
        });
      },
      { maxBatch: 64 },
    );
    claims.set(db, commit);
  }
  return commit.submit(request);
}

/**
 * A worker's entry point: claims the recorded event and processes it, or
 * skips it when it is processed already or another process holds it. Throws
 * when the handler fails, so the queue retries.
 */
export async function processRecordedEvent(
  db: Db,
  id: string,
  { handlers = allHandlers, now = new Date() }: { handlers?: Record<string, AnyHandler>; now?: Date } = {},
): Promise<ProcessOutcome> {
  // (No row: processed, in hand elsewhere, or erased with its shop by shop/redact after it was queued.)
  const event = await claimQueued(db, { id, now });
  if (!event) return { status: "skipped", reason: "processed already, in hand elsewhere, or erased" };
  const handler = handlers[event.topic];
  let payload: unknown;
  let shop: ShopRecord | null = null;
  try {
    if (!handler || event.payload === null) throw new Error(`No handler or payload for ${event.topic}`);
    // The intake validated the payload before recording it.
    payload = handler.schema.parse(parseShopifyJson(event.payload));
    shop = handler.needsShop ? await cachedShop(db, event.shopId) : null;
  } catch (error) {
    await markFailed(db, id, error).catch(() => undefined);
    throw error;
  }
  if (handler.needsShop && (!shop || shop.uninstalledAt)) {
    await markProcessed(db, id);
    return { status: "skipped", reason: "shop is not installed" };
  }
  // orders/paid goes with the worker's other claimed orders of the shop (./batch.server.ts).
  if (event.topic === "ORDERS_PAID" && handler === allHandlers.ORDERS_PAID) {
    const outcome = await submitOrdersPaid(db, shop!, { eventId: id, order: payload as OrderPayload });
    if (outcome.kind === "failed") throw outcome.error;
    return { status: "processed", result: outcome.kind === "processed" ? outcome.result : undefined };
  }
  return { status: "processed", result: await runClaimed(db, event, handler, payload, shop) };
}
