// Encore's own webhook verification must agree with Shopify's library on
// every delivery: the real bodies of the fixtures, signed and then altered in
// each way that matters.
import fs from "node:fs";
import path from "node:path";
import { shopifyApi, LogSeverity, ApiVersion, WebhookValidationErrorReason } from "@shopify/shopify-api";
import "@shopify/shopify-api/adapters/web-api";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { verifyDelivery } from "./signature";

const SECRET = "signature-test-secret";
const shopify = shopifyApi({
  apiKey: "key",
  apiSecretKey: SECRET,
  apiVersion: ApiVersion.October25,
  hostName: "encore.example",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

const dir = path.join(__dirname, "../../../test/fixtures/shopify-webhooks");
const bodies = ["orders-paid", "refunds-create", "customers-create"].flatMap((topic) =>
  fs
    .readdirSync(path.join(dir, topic))
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ topic: topic.replace("-", "/"), text: fs.readFileSync(path.join(dir, topic, f), "utf8") })),
);

function headersFor(topic: string, body: string, secret = SECRET): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": getHmac(body, secret),
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": "encore-test.myshopify.com",
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
    "X-Shopify-Triggered-At": "2026-11-27T10:00:00.000Z",
  };
}

async function shopifyVerdict(headers: Record<string, string>, body: string) {
  const request = new Request("https://encore.example/webhooks", { method: "POST", headers, body });
  return shopify.webhooks.validate({ rawBody: body, rawRequest: request });
}

const variants: [string, (h: Record<string, string>, body: string) => [Record<string, string>, string]][] = [
  ["as signed", (h, b) => [h, b]],
  ["header names in lower case", (h, b) => [Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])), b]],
  ["body altered after signing", (h, b) => [h, b.replace(/\d/, (d) => String((Number(d) + 1) % 10))]],
  ["signed with another secret", (h, b) => [{ ...h, "X-Shopify-Hmac-Sha256": getHmac(b, "another-secret") }, b]],
  ["signature not base64 of a digest", (h, b) => [{ ...h, "X-Shopify-Hmac-Sha256": "bm90IGEgZGlnZXN0" }, b]],
  ...["X-Shopify-Hmac-Sha256", "X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id", "X-Shopify-Event-Id"].map(
    (name) => [`without ${name}`, (h: Record<string, string>, b: string) => [Object.fromEntries(Object.entries(h).filter(([k]) => k !== name)), b]] as (typeof variants)[number],
  ),
];

describe("verifyDelivery agrees with Shopify's validator", () => {
  it.each(variants)("%s", async (_name, alter) => {
    expect(bodies.length).toBeGreaterThan(3);
    for (const { topic, text } of bodies) {
      const [headers, body] = alter(headersFor(topic, text), text);
      const ours = verifyDelivery(new Headers(headers), body, SECRET);
      const theirs = await shopifyVerdict(headers, body);
      expect(ours.valid, topic).toBe(theirs.valid);
      if (ours.valid && theirs.valid) {
        expect(ours.delivery).toEqual({
          shop: theirs.domain,
          topic: theirs.topic,
          webhookId: theirs.webhookId,
          apiVersion: theirs.apiVersion,
          eventId: "eventId" in theirs ? theirs.eventId : undefined,
          triggeredAt: theirs.triggeredAt,
        });
      } else if (!ours.valid && !theirs.valid) {
        expect(ours.reason === "invalid-hmac", topic).toBe(theirs.reason === WebhookValidationErrorReason.InvalidHmac);
      }
    }
  });
});
