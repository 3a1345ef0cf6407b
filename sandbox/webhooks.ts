// Webhook delivery as Shopify does it: the raw JSON body signed with the app
// secret (base64 HMAC-SHA256) and Shopify's headers; a delivery that fails
// (non-2xx, no answer within 5 s) is retried with backoff — Shopify retries
// 8 times over 4 hours, the sandbox over a scaled-down schedule — and the
// same event may be sent twice.
import { createHmac, randomUUID } from "node:crypto";

export interface DeliveryRecord {
  id: string; // webhook id
  eventId: string;
  topic: string;
  shop: string;
  attempts: { at: string; status: number | null; error?: string }[];
  state: "pending" | "delivered" | "failed";
  duplicateOf?: string;
}

export interface WebhookSenderOptions {
  appUrl: string; // where the app receives webhooks, e.g. http://localhost:3000/webhooks
  apiSecret: string;
  apiVersion?: string;
  /** Delays before each retry, in ms. Shopify: 8 retries over 4 hours. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

export const hmac = (body: string, secret: string) => createHmac("sha256", secret).update(body, "utf8").digest("base64");

export function webhookHeaders(o: { topic: string; shop: string; body: string; secret: string; apiVersion: string; webhookId: string; eventId: string }) {
  return {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": hmac(o.body, o.secret),
    "x-shopify-topic": o.topic,
    "x-shopify-shop-domain": o.shop,
    "x-shopify-api-version": o.apiVersion,
    "x-shopify-webhook-id": o.webhookId,
    "x-shopify-event-id": o.eventId,
    "x-shopify-triggered-at": new Date().toISOString(),
    "user-agent": "Shopify-Captain-Hook",
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class WebhookSender {
  readonly log: DeliveryRecord[] = [];
  private readonly options: Required<WebhookSenderOptions>;

  constructor(options: WebhookSenderOptions) {
    this.options = {
      apiVersion: "2026-10",
      retryDelaysMs: [200, 500, 1000, 2000, 4000, 8000, 15000, 30000],
      timeoutMs: 5000,
      ...options,
    };
  }

  /**
   * Delivers one event; resolves when it was accepted or every retry failed.
   * `duplicate` sends the same event a second time (new webhook id, same event id).
   */
  async deliver(topic: string, shop: string, payload: unknown, { duplicate = false, eventId = randomUUID() } = {}) {
    const body = typeof payload === "string" ? payload : JSON.stringify(payload);
    const first = this.attemptAll(topic, shop, body, eventId);
    if (!duplicate) return first;
    const [a] = await Promise.all([first, this.attemptAll(topic, shop, body, eventId)]);
    return a;
  }

  private async attemptAll(topic: string, shop: string, body: string, eventId: string): Promise<DeliveryRecord> {
    const record: DeliveryRecord = { id: randomUUID(), eventId, topic, shop, attempts: [], state: "pending" };
    this.log.push(record);
    const delays = [0, ...this.options.retryDelaysMs];
    for (const delay of delays) {
      if (delay) await sleep(delay);
      const at = new Date().toISOString();
      try {
        const res = await fetch(this.options.appUrl, {
          method: "POST",
          headers: webhookHeaders({ topic, shop, body, secret: this.options.apiSecret, apiVersion: this.options.apiVersion, webhookId: record.id, eventId }),
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        await res.arrayBuffer();
        record.attempts.push({ at, status: res.status });
        if (res.ok) {
          record.state = "delivered";
          return record;
        }
      } catch (error) {
        record.attempts.push({ at, status: null, error: String(error) });
      }
    }
    record.state = "failed";
    return record;
  }
}
