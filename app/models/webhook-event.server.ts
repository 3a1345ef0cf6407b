// Webhook deliveries, deduplicated on (shop, eventId ?? webhookId). Shopify
// delivers at least once and retries for hours, so the same event may arrive
// several times, also concurrently.
import type { Db } from "../db.server";
import { inList, insertStatement, newRowId } from "./sql";
import { direct } from "../db/direct";

export interface Delivery {
  shopId: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  apiVersion?: string | null;
  triggeredAt?: string | null;
  /**
   * The body as received. Bytes where the delivery waits in memory for its
   * batch (see ../services/webhooks/intake.server.ts): off the JS heap,
   * decoded only should it be stored.
   */
  payload: string | Buffer;
}

const payloadText = (d: Delivery) => (typeof d.payload === "string" ? d.payload : d.payload.toString("utf8"));

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
 * (processing), which saves the intake a round trip on the common path, and
 * without its payload: the process that claims it holds the payload and
 * processes it now, and should that fail, Shopify's retry brings it again.
 * Only an event left for a worker keeps its payload. (Storing it sent a few
 * kilobytes per order through the database client for nothing.)
 */
export async function recordDelivery(db: Db, d: Delivery, { claim = false, now = new Date() } = {}): Promise<Receipt> {
  const [id] = await recordNewDeliveries(db, [d], { claim, now });
  return id ? { id, status: "new" } : recordRepeat(db, d);
}

/**
 * A delivery of an event recorded before: counts the attempt and answers the
 * event's status. An unprocessed event recorded without its payload (claimed
 * by an app server that failed on it) takes this delivery's, so that a worker
 * can process it should it now be queued.
 */
export async function recordRepeat(db: Db, d: Delivery): Promise<Receipt> {
  const [row] = await db.$queryRaw<{ id: string; status: Receipt["status"] }[]>`
    UPDATE "WebhookEvent" SET "attempts" = "attempts" + 1,
      "payload" = CASE WHEN "status" = 'processed' THEN NULL ELSE COALESCE("payload", ${payloadText(d)}) END
    WHERE "shopId" = ${d.shopId} AND "eventKey" = ${eventKeyOf(d)}
    RETURNING "id", "status"`;
  return { id: row.id, status: row.status };
}

const eventKeyOf = (d: Delivery) => d.eventId || d.webhookId;

const EVENT_COLUMNS = ["id", "shopId", "topic", "eventKey", "webhookId", "apiVersion", "triggeredAt", "status", "claimedAt", "payload", "receivedAt", "processedAt"] as const;

/**
 * Records deliveries that are new, in one statement (a batch of concurrent
 * orders/paid deliveries, or one): each one's new row id, or null where the
 * event is recorded already — by an earlier delivery, or by its twin earlier
 * in the same list. Raw: this runs for every delivery, and Prisma's create
 * costs several times as much. `processed`: recorded as done, for deliveries
 * processed before they were recorded (see ../services/webhooks/batch.server.ts).
 */
export async function recordNewDeliveries(
  db: Db,
  deliveries: Delivery[],
  { claim = false, processed = false, now = new Date() } = {},
): Promise<(string | null)[]> {
  const rows = deliveries.map((d) => {
    const triggered = d.triggeredAt ? new Date(d.triggeredAt) : null;
    return {
      id: newRowId(),
      shopId: d.shopId,
      topic: d.topic,
      eventKey: eventKeyOf(d),
      webhookId: d.webhookId,
      apiVersion: d.apiVersion ?? null,
      triggeredAt: triggered && !Number.isNaN(triggered.getTime()) ? triggered : null,
      status: processed ? "processed" : claim ? "processing" : "received",
      claimedAt: claim && !processed ? now : null,
      payload: claim || processed ? null : payloadText(d),
      receivedAt: now,
      processedAt: processed ? now : null,
    };
  });
  // In event key order: two app servers recording twins of the same events
  // in opposite orders would each hold a key the other waits for. (A stable
  // sort: of twins in the list, the earlier is still the one recorded.)
  const inKeyOrder = [...rows].sort((a, b) => (a.eventKey < b.eventKey ? -1 : a.eventKey > b.eventKey ? 1 : 0));
  const insert = insertStatement(db, "WebhookEvent", EVENT_COLUMNS, inKeyOrder);
  const created = await direct(db).$queryRawUnsafe<{ id: string }[]>(`${insert.sql} ON CONFLICT ("shopId", "eventKey") DO NOTHING RETURNING "id"`, ...insert.params);
  const ids = new Set(created.map((r) => r.id));
  return rows.map((r) => (ids.has(r.id) ? r.id : null));
}

/**
 * Takes the event for processing. At most one process holds an event at a
 * time: the claim succeeds only on an event that is waiting, failed earlier,
 * or held by a claim older than the lease. False: processed, or in hand elsewhere.
 */
export async function claimEvent(db: Db, id: string, now = new Date()): Promise<boolean> {
  return (await claimRecordedEvents(db, [id], now)).has(id);
}

export interface RecordedEvent {
  id: string;
  shopId: string;
  topic: string;
  payload: string | null;
}

/**
 * claimEvent for several events in one statement, answering for each event
 * claimed what a worker needs to process it (raw: Prisma's update and read
 * cost several times as much): the events claimed, by id.
 */
export async function claimRecordedEvents(db: Db, ids: string[], now = new Date()): Promise<Map<string, RecordedEvent>> {
  const events = await direct(db).$queryRawUnsafe<RecordedEvent[]>(
    `UPDATE "WebhookEvent" SET "status" = 'processing', "claimedAt" = $1
    WHERE ("status" IN ('received', 'failed') OR ("status" = 'processing' AND "claimedAt" < $2)) AND "id" IN (${inList(ids.length, 3)})
    RETURNING "id", "shopId", "topic", "payload"`,
    now,
    new Date(now.getTime() - CLAIM_LEASE_MS),
    ...ids,
  );
  return new Map(events.map((e) => [e.id, e]));
}

export const markProcessed = (db: Db, id: string) => markAllProcessed(db, [id]);

/** Marks the events processed, dropping their payloads (kept only for a retry). */
export async function markAllProcessed(db: Db, ids: string[]) {
  await direct(db).$executeRawUnsafe(
    `UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = $1, "claimedAt" = NULL, "payload" = NULL, "error" = NULL WHERE "id" IN (${inList(ids.length, 2)})`,
    new Date(),
    ...ids,
  );
}

export function markFailed(db: Db, id: string, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  return db.webhookEvent.update({ where: { id }, data: { status: "failed", claimedAt: null, error: message.slice(0, 2000) } });
}
