// Webhook deliveries, deduplicated on (shop, eventId ?? webhookId). Shopify
// delivers at least once and retries for hours, so the same event may arrive
// several times, also concurrently.
import { randomUUID } from "node:crypto";
import type { Db } from "../db.server";

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
  // Raw statements: this runs for every delivery, and Prisma's create and
  // update cost several times as much. ON CONFLICT … DO NOTHING answers no
  // row for a duplicate, which then counts the attempt and reads the status.
  const [created] = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookEvent" ("id", "shopId", "topic", "eventKey", "webhookId", "apiVersion", "triggeredAt", "status", "claimedAt", "payload", "receivedAt")
    VALUES (${randomUUID()}, ${d.shopId}, ${d.topic}, ${eventKey}, ${d.webhookId}, ${d.apiVersion ?? null},
            ${triggered && !Number.isNaN(triggered.getTime()) ? triggered : null}, ${claim ? "processing" : "received"}, ${claim ? now : null}, ${d.payload}, ${now})
    ON CONFLICT ("shopId", "eventKey") DO NOTHING
    RETURNING "id"`;
  if (created) return { id: created.id, status: "new" };
  const [row] = await db.$queryRaw<{ id: string; status: Receipt["status"] }[]>`
    UPDATE "WebhookEvent" SET "attempts" = "attempts" + 1 WHERE "shopId" = ${d.shopId} AND "eventKey" = ${eventKey}
    RETURNING "id", "status"`;
  return { id: row.id, status: row.status };
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

export async function markProcessed(db: Db, id: string) {
  await db.$executeRaw`
    UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = ${new Date()}, "claimedAt" = NULL, "payload" = NULL, "error" = NULL
    WHERE "id" = ${id}`;
}

export function markFailed(db: Db, id: string, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  return db.webhookEvent.update({ where: { id }, data: { status: "failed", claimedAt: null, error: message.slice(0, 2000) } });
}
