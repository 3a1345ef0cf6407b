// Webhook deliveries, deduplicated on (shop, eventId ?? webhookId). Shopify
// delivers at least once and retries for hours, so the same event may arrive
// several times, also concurrently.
import type { Db } from "../db.server";
import { isUniqueViolation } from "./errors";

export interface Delivery {
  shopId: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  apiVersion?: string | null;
  triggeredAt?: string | null;
  payload: string;
}

/**
 * "new": this delivery created the row (claimed by this process when `claim`
 * was asked for). Otherwise the row's current status: an earlier delivery of
 * the same event got there first.
 */
export type Receipt = { id: string; status: "new" | "received" | "processing" | "processed" | "failed" };

/** How long a claim holds: a process that has not finished an event by then is taken to have died. */
export const CLAIM_LEASE_MS = 5 * 60_000;

/**
 * Records the delivery. With `claim`, a new row is created already claimed
 * (processing), which saves the intake a round trip on the common path.
 */
export async function recordDelivery(db: Db, d: Delivery, { claim = false, now = new Date() } = {}): Promise<Receipt> {
  const eventKey = d.eventId || d.webhookId;
  const triggered = d.triggeredAt ? new Date(d.triggeredAt) : null;
  try {
    const row = await db.webhookEvent.create({
      data: {
        shopId: d.shopId,
        topic: d.topic,
        eventKey,
        webhookId: d.webhookId,
        apiVersion: d.apiVersion ?? null,
        triggeredAt: triggered && !Number.isNaN(triggered.getTime()) ? triggered : null,
        status: claim ? "processing" : "received",
        claimedAt: claim ? now : null,
        payload: d.payload,
      },
      select: { id: true },
    });
    return { id: row.id, status: "new" };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const row = await db.webhookEvent.update({
      where: { shopId_eventKey: { shopId: d.shopId, eventKey } },
      data: { attempts: { increment: 1 } },
      select: { id: true, status: true },
    });
    return { id: row.id, status: row.status as Receipt["status"] };
  }
}

/**
 * Takes the event for processing. At most one process holds an event at a
 * time: the claim succeeds only on an event that is waiting, failed earlier,
 * or held by a claim older than the lease. False: processed, or in hand elsewhere.
 */
export async function claimEvent(db: Db, id: string, now = new Date()): Promise<boolean> {
  const { count } = await db.webhookEvent.updateMany({
    where: {
      id,
      OR: [{ status: { in: ["received", "failed"] } }, { status: "processing", claimedAt: { lt: new Date(now.getTime() - CLAIM_LEASE_MS) } }],
    },
    data: { status: "processing", claimedAt: now },
  });
  return count === 1;
}

/** What a worker needs to process a recorded event. */
export function getRecordedEvent(db: Db, id: string) {
  return db.webhookEvent.findUnique({ where: { id }, select: { id: true, shopId: true, topic: true, payload: true } });
}

export function markProcessed(db: Db, id: string) {
  return db.webhookEvent.update({
    where: { id },
    data: { status: "processed", processedAt: new Date(), claimedAt: null, payload: null, error: null },
  });
}

export function markFailed(db: Db, id: string, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  return db.webhookEvent.update({ where: { id }, data: { status: "failed", claimedAt: null, error: message.slice(0, 2000) } });
}
