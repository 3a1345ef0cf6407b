// Webhook deliveries as Shopify makes them: the raw JSON body signed with the
// app secret (base64 HMAC-SHA256) and Shopify's delivery headers.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { API_SECRET_KEY, getHmac } from "@shopify/shopify-api/test-helpers";

export const FIXTURES = path.resolve(__dirname, "fixtures", "shopify-webhooks");

/** The raw text of a real Shopify body, e.g. fixtureText("orders-paid", "activepieces-1"). */
export function fixtureText(topicDir: string, name: string): string {
  return fs.readFileSync(path.join(FIXTURES, topicDir, `${name}.json`), "utf8");
}

export function fixture<T = Record<string, any>>(topicDir: string, name: string): T {
  return JSON.parse(fixtureText(topicDir, name));
}

export interface DeliveryOptions {
  topic: string; // "orders/paid"
  shop: string;
  body: string | object;
  webhookId?: string;
  eventId?: string | null;
  apiVersion?: string;
  secret?: string;
  /** Override or remove (undefined) any header. */
  headers?: Record<string, string | undefined>;
  url?: string;
}

export function webhookRequest(o: DeliveryOptions): Request {
  const body = typeof o.body === "string" ? o.body : JSON.stringify(o.body);
  const headers: Record<string, string | undefined> = {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": getHmac(body, o.secret ?? API_SECRET_KEY),
    "x-shopify-topic": o.topic,
    "x-shopify-shop-domain": o.shop,
    "x-shopify-api-version": o.apiVersion ?? "2026-10",
    "x-shopify-webhook-id": o.webhookId ?? randomUUID(),
    "x-shopify-event-id": o.eventId === null ? undefined : (o.eventId ?? randomUUID()),
    "x-shopify-triggered-at": new Date().toISOString(),
    ...o.headers,
  };
  const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Request(o.url ?? "https://my-test-app.myshopify.io/webhooks", { method: "POST", headers: clean, body });
}
