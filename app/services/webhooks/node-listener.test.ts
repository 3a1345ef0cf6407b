// The production server's webhook path (node:http straight into the intake)
// answers exactly as the Remix route does, for every answer the intake gives
// before it needs the database.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db.server";
import { webhookRequest } from "../../../test/webhooks";
import { serveListener, type TestServer } from "../../../test/http";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { receiveWebhook, type IntakeDeps } from "./intake.server";
import { nodeHeaders, webhookListener } from "./node-listener.server";
import { verifyDelivery, type RawDelivery } from "./signature";

const SHOP = "node-listener.myshopify.com";
// As shopify.server's verifyWebhook, with the test secret.
const authenticate = async (d: RawDelivery) => {
  if (d.method !== "POST") throw new Response(null, { status: 405 });
  const verdict = verifyDelivery(d.headers, d.body, API_SECRET_KEY);
  if (!verdict.valid) throw new Response(null, { status: verdict.reason === "invalid-hmac" ? 401 : 400 });
  return verdict.delivery;
};
// No answer below reads the database: any use of it fails the test.
const db = new Proxy({}, { get: (_, key) => { throw new Error(`database used: ${String(key)}`); } }) as unknown as Db;
const deps: IntakeDeps = { db, authenticate, log: () => {} };

let server: TestServer;
beforeAll(async () => {
  server = await serveListener(webhookListener(deps));
});
afterAll(() => server.close());

/** The same request to the node:http path and to the Remix route's function. */
async function bothWays(request: Request) {
  const body = request.method === "GET" ? undefined : await request.clone().text();
  const viaNode = await fetch(`${server.url}/webhooks`, { method: request.method, headers: request.headers, body });
  const viaRemix = await receiveWebhook(request, deps);
  return {
    node: { status: viaNode.status, type: viaNode.headers.get("content-type"), body: await viaNode.json() },
    remix: { status: viaRemix.status, type: viaRemix.headers.get("content-type"), body: await viaRemix.json() },
  };
}

describe("webhookListener (scripts/serve.mjs's POST /webhooks)", () => {
  it.each([
    ["a topic Encore does not handle", webhookRequest({ topic: "carts/update", shop: SHOP, body: { id: 1 } }), 200, "Topic CARTS_UPDATE is not handled"],
    ["no signature", webhookRequest({ topic: "orders/paid", shop: SHOP, body: { id: 1 }, headers: { "x-shopify-hmac-sha256": undefined } }), 401, "Missing X-Shopify-Hmac-Sha256 header"],
    ["a forged signature", webhookRequest({ topic: "orders/paid", shop: SHOP, body: { id: 1 }, secret: "not-the-secret" }), 401, "HMAC signature does not match"],
    ["no shop header", webhookRequest({ topic: "orders/paid", shop: SHOP, body: { id: 1 }, headers: { "x-shopify-shop-domain": undefined } }), 400, "Missing or invalid Shopify webhook headers"],
    ["a signed body that is not JSON", webhookRequest({ topic: "orders/paid", shop: SHOP, body: "{not json" }), 400, /^Body is not valid JSON/],
    ["a signed order that fails the schema", webhookRequest({ topic: "orders/paid", shop: SHOP, body: { id: "x" } }), 400, /^Invalid ORDERS_PAID payload/],
  ])("%s: the Remix route's answer", async (_, request, status, message) => {
    const { node, remix } = await bothWays(request);
    expect(node).toEqual(remix);
    expect(node.status).toBe(status);
    expect(node.type).toBe("application/json");
    expect(node.body.message).toMatch(message);
  });

  it("answers 500 (Shopify retries) when the intake throws, and keeps serving", async () => {
    const failing = await serveListener(webhookListener({ ...deps, authenticate: () => Promise.reject(new Error("database is down")) }));
    try {
      const request = webhookRequest({ topic: "orders/paid", shop: SHOP, body: { id: 1 } });
      const send = () => fetch(`${failing.url}/webhooks`, { method: "POST", headers: request.headers, body: "{}" });
      const first = await send();
      expect(first.status).toBe(500);
      expect(await first.json()).toEqual({ message: "Processing failed; Shopify will retry" });
      expect((await send()).status).toBe(500);
    } finally {
      await failing.close();
    }
  });
});

describe("webhookListener's reading of the body", () => {
  /** Posts `parts` as separate writes of one request body; `end: false` drops the connection instead of finishing it. */
  function postInParts(url: string, request: Request, parts: Buffer[], { end = true } = {}) {
    return new Promise<{ status: number; body: string } | "dropped">((resolve, reject) => {
      const req = http.request(`${url}/webhooks`, { method: "POST", headers: Object.fromEntries(request.headers) }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c)).on("end", () => resolve({ status: res.statusCode!, body }));
      });
      req.on("error", (error) => (end ? reject(error) : resolve("dropped")));
      req.flushHeaders();
      (async () => {
        for (const part of parts) {
          req.write(part);
          await new Promise((r) => setTimeout(r, 20));
        }
        if (end) req.end();
        else req.destroy();
      })();
    });
  }

  it("verifies the signature over the bytes sent, a character split between two chunks", async () => {
    const text = JSON.stringify({ id: "x", name: "Tee – Black ✓" });
    const request = webhookRequest({ topic: "orders/paid", shop: SHOP, body: text });
    const bytes = Buffer.from(text);
    const split = bytes.indexOf(Buffer.from("–")) + 1; // inside the dash's three bytes
    const answer = await postInParts(server.url, request, [bytes.subarray(0, split), bytes.subarray(split)]);
    // Signature and JSON good: the schema is what refuses it (the id is not the order's).
    expect(answer).toEqual({ status: 400, body: expect.stringContaining("Invalid ORDERS_PAID payload") });
  });

  it("ends the handling of a delivery whose sender dropped the connection mid-body, and keeps serving", async () => {
    const logged: unknown[] = [];
    const listening = await serveListener(webhookListener({ ...deps, log: (message, extra) => logged.push({ message, ...extra }) }));
    try {
      const request = webhookRequest({ topic: "orders/paid", shop: SHOP, body: { id: 1 }, headers: { "content-length": "100" } });
      expect(await postInParts(listening.url, request, [Buffer.from('{"id"')], { end: false })).toBe("dropped");
      await expect.poll(() => logged).toEqual([{ message: "failed", error: "[ECONNRESET] aborted" }]);
      const next = await postInParts(listening.url, webhookRequest({ topic: "carts/update", shop: SHOP, body: { id: 1 } }), [Buffer.from('{"id":1}')]);
      expect(next).toEqual({ status: 200, body: expect.stringContaining("Topic CARTS_UPDATE is not handled") });
    } finally {
      await listening.close();
    }
  });
});

describe("nodeHeaders", () => {
  it("reads node's lower-cased headers whatever the case asked, repeated ones joined as fetch joins them", () => {
    const headers = nodeHeaders({ "x-shopify-topic": "orders/paid", "x-forwarded-for": ["1.1.1.1", "2.2.2.2"] as unknown as string });
    expect(headers.get("X-Shopify-Topic")).toBe("orders/paid");
    expect(headers.get("x-forwarded-for")).toBe("1.1.1.1, 2.2.2.2");
    expect(headers.get("x-shopify-event-id")).toBeNull();
  });
});
