// The sandbox must be faithful to Shopify: what it signs is accepted by
// Shopify's own library, and it answers as Shopify's endpoints do.
import http from "node:http";
import type { AddressInfo } from "node:net";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDER_FOR_PREVIEW, PRODUCT_RULE_FACTS } from "../app/graphql/products.ts";
import { startSandbox, type Sandbox } from "./server.ts";

const apiKey = "sandbox-test-key";
const apiSecret = "sandbox-test-secret";
const api = shopifyApi({
  apiKey,
  apiSecretKey: apiSecret,
  apiVersion: ApiVersion.October26,
  hostName: "localhost",
  isEmbeddedApp: true,
  logger: { level: 0 },
});

let sandbox: Sandbox;
let app: http.Server;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let failNext = 0;

beforeAll(async () => {
  app = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    if (failNext > 0) {
      failNext--;
      res.writeHead(503).end();
    } else res.writeHead(200).end("{}");
  });
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
  const port = (app.address() as AddressInfo).port;
  sandbox = await startSandbox({ appUrl: `http://127.0.0.1:${port}`, apiKey, apiSecret, retryDelaysMs: [20, 20, 20] });
});

afterAll(async () => {
  await sandbox.close();
  await new Promise((r) => app.close(r));
});

describe("webhook delivery", () => {
  it("signs deliveries so that Shopify's library accepts them", async () => {
    received.length = 0;
    await sandbox.playOrders(1);
    expect(received.length).toBeGreaterThan(0);
    for (const delivery of received) {
      const check = await api.webhooks.validate({
        rawBody: delivery.body,
        rawRequest: { headers: delivery.headers } as never,
      });
      expect(check).toMatchObject({ valid: true, domain: sandbox.shop });
      expect(delivery.headers["x-shopify-event-id"]).toBeTruthy();
    }
  });

  it("retries a failed delivery with backoff and records every attempt", async () => {
    failNext = 2;
    const record = await sandbox.webhooks.deliver("customers/update", sandbox.shop, { id: 1 });
    expect(record.state).toBe("delivered");
    expect(record.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
  });

  it("gives up after the last retry", async () => {
    failNext = 10;
    const record = await sandbox.webhooks.deliver("customers/update", sandbox.shop, { id: 1 });
    expect(record.state).toBe("failed");
    expect(record.attempts).toHaveLength(4);
    failNext = 0;
  });

  it("can send one event twice, with the same event id", async () => {
    received.length = 0;
    await sandbox.webhooks.deliver("orders/paid", sandbox.shop, { id: 2 }, { duplicate: true });
    expect(received).toHaveLength(2);
    expect(received[0].headers["x-shopify-event-id"]).toBe(received[1].headers["x-shopify-event-id"]);
    expect(received[0].headers["x-shopify-webhook-id"]).not.toBe(received[1].headers["x-shopify-webhook-id"]);
  });
});

describe("session tokens and token exchange", () => {
  it("issues session tokens that Shopify's library decodes", async () => {
    const payload = await api.session.decodeSessionToken(sandbox.sessionToken());
    expect(payload).toMatchObject({ dest: `https://${sandbox.shop}`, aud: apiKey, iss: `https://${sandbox.shop}/admin` });
  });

  it("exchanges a session token for an access token that opens the Admin API", async () => {
    const base = `${sandbox.url}/shops/${sandbox.shop}/admin`;
    const exchange = await fetch(`${base}/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_id: apiKey,
        client_secret: apiSecret,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: sandbox.sessionToken(),
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      }),
    });
    const { access_token } = await exchange.json();
    expect(access_token).toMatch(/^shpat_/);

    const query = (token: string) =>
      fetch(`${base}/api/2026-10/graphql.json`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": token },
        body: JSON.stringify({ query: "query { shop { name currencyCode } products(first: 2) { nodes { id title } pageInfo { hasNextPage } } }" }),
      });
    const ok = await (await query(access_token)).json();
    expect(ok.data.shop.currencyCode).toBe("USD");
    expect(ok.data.products.nodes).toHaveLength(2);
    expect(ok.data.products.pageInfo.hasNextPage).toBe(true);
    expect((await query("shpat_wrong")).status).toBe(401);
  });

  it("answers the loyalty program's product-facts and order-preview queries", async () => {
    const base = `${sandbox.url}/shops/${sandbox.shop}/admin`;
    const exchange = await fetch(`${base}/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_id: apiKey,
        client_secret: apiSecret,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: sandbox.sessionToken(),
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      }),
    });
    const { access_token } = await exchange.json();
    const run = async (query: string, variables: Record<string, unknown>) =>
      (
        await fetch(`${base}/api/2026-10/graphql.json`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-shopify-access-token": access_token },
          body: JSON.stringify({ query, variables }),
        })
      ).json();
    const listed = await run("query { products(first: 1) { nodes { id tags } } orders(first: 1) { nodes { id } } }", {});
    const product = listed.data.products.nodes[0];
    const facts = await run(PRODUCT_RULE_FACTS, { ids: [product.id, "gid://shopify/Product/1"] });
    expect(facts.errors).toBeUndefined();
    expect(facts.data.nodes[0]).toMatchObject({ id: product.id, tags: product.tags });
    expect(facts.data.nodes[0].collections.nodes.length).toBeGreaterThan(0);
    expect(facts.data.nodes[1]).toBeNull();
    if (!listed.data.orders.nodes[0]) await sandbox.playOrders(1);
    const orders = await run("query { orders(first: 1) { nodes { id } } }", {});
    const order = await run(ORDER_FOR_PREVIEW, { id: orders.data.orders.nodes[0].id });
    expect(order.errors).toBeUndefined();
    expect(order.data.order.lineItems.nodes[0]).toMatchObject({ title: expect.any(String), discountedTotalSet: { shopMoney: { amount: expect.any(String) } } });
  });

  it("refuses a forged subject token", async () => {
    const res = await fetch(`${sandbox.url}/shops/${sandbox.shop}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: apiKey, client_secret: apiSecret, subject_token: "a.b.c" }),
    });
    expect(res.status).toBe(400);
  });
});
