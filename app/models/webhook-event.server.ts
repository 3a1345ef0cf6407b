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

export type Receipt = { id: string; alreadyProcessed: boolean };

/** Records the delivery; tells whether an earlier one already did the work. */
export async function recordDelivery(db: Db, d: Delivery): Promise<Receipt> {
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
        status: "received",
        payload: d.payload,
      },
      select: { id: true },
    });
    return { id: row.id, alreadyProcessed: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const row = await db.webhookEvent.update({
      where: { shopId_eventKey: { shopId: d.shopId, eventKey } },
      data: { attempts: { increment: 1 } },
      select: { id: true, status: true },
    });
    // A retry after a failure (or a concurrent twin) runs the handler again;
    // the handlers' natural keys make that harmless.
    return { id: row.id, alreadyProcessed: row.status === "processed" };
  }
}

export function markProcessed(db: Db, id: string) {
  return db.webhookEvent.update({
    where: { id },
    data: { status: "processed", processedAt: new Date(), payload: null, error: null },
  });
}

export function markFailed(db: Db, id: string, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  return db.webhookEvent.update({ where: { id }, data: { status: "failed", error: message.slice(0, 2000) } });
}
