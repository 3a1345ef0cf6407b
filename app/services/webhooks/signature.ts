// Verifying a webhook delivery as Shopify documents it: the body's
// HMAC-SHA256 with the app's API secret, base64, in X-Shopify-Hmac-Sha256,
// and the headers every delivery carries. Shopify's library does the same
// (signature.test.ts checks both agree on the same deliveries) but costs
// about a twentieth of each orders/paid's CPU (its header canonicalization
// and async Web Crypto); this runs on every delivery.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface VerifiedDelivery {
  shop: string;
  /** As Shopify's library names topics: "orders/paid" → "ORDERS_PAID". */
  topic: string;
  webhookId: string;
  apiVersion: string;
  eventId?: string;
  triggeredAt?: string;
}

/** What is read of the headers: a fetch Headers, or node's lower-cased header object behind a get. */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * A delivery as the HTTP layer hands it over: from Remix's Request (the
 * route, in development) or straight from node:http (./node-listener.server.ts,
 * the production server's path, which skips the framework's request handling).
 */
export interface RawDelivery {
  method: string;
  headers: HeaderSource;
  /** node:http's path hands over the bytes as read (see ./intake.server.ts); the route, its text. */
  body: string | Buffer;
}

export type Verdict = { valid: true; delivery: VerifiedDelivery } | { valid: false; reason: "missing-headers" | "invalid-hmac"; missing?: string[] };

const REQUIRED = ["x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"] as const;

export function verifyDelivery(headers: HeaderSource, rawBody: string | Buffer, secret: string): Verdict {
  const missing = REQUIRED.filter((name) => !headers.get(name));
  if (missing.length) return { valid: false, reason: "missing-headers", missing };
  const given = Buffer.from(headers.get("x-shopify-hmac-sha256")!, "base64");
  const hmac = createHmac("sha256", secret);
  const expected = (typeof rawBody === "string" ? hmac.update(rawBody, "utf8") : hmac.update(rawBody)).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: "invalid-hmac" };
  return {
    valid: true,
    delivery: {
      shop: headers.get("x-shopify-shop-domain")!,
      topic: headers.get("x-shopify-topic")!.toUpperCase().replace(/[/.]/g, "_"),
      webhookId: headers.get("x-shopify-webhook-id")!,
      apiVersion: headers.get("x-shopify-api-version")!,
      eventId: headers.get("x-shopify-event-id") ?? undefined,
      triggeredAt: headers.get("x-shopify-triggered-at") ?? undefined,
    },
  };
}
