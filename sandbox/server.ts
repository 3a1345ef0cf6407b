// The sandbox HTTP server: Shopify's side of everything Encore talks to.
// See README.md in this folder.
import { createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { executeAdminGraphql } from "./admin-api.ts";
import { mailPage, type MailCatcher } from "./mail.ts";
import { sessionToken, verifyJwt } from "./session-token.ts";
import { SandboxStore } from "./state.ts";
import { extensionBundle, thankYouPage, type PreviewOrder } from "./thank-you.ts";
import { createOrderStream, productImageSvg, seedStore, type StoreEvent } from "./store/index.ts";
import { WebhookSender } from "./webhooks.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface SandboxOptions {
  port?: number;
  /** The app's public URL, e.g. http://localhost:3000 */
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  seed?: number;
  retryDelaysMs?: number[];
  /** Send every Nth event twice, as Shopify occasionally does (0 = never). */
  duplicateEvery?: number;
  /** The SMTP catcher whose emails /mail shows. */
  mail?: MailCatcher;
}

export interface Sandbox {
  url: string;
  shop: string;
  store: SandboxStore;
  webhooks: WebhookSender;
  /** A fresh admin session token for the shop, as App Bridge's idToken() gives. */
  sessionToken(claims?: Record<string, unknown>): string;
  /** The URL the admin frames the app with. */
  embeddedAppUrl(pathname?: string): string;
  /** Plays the next n orders of the seeded stream (and their refunds/cancellations) through signed webhooks. */
  playOrders(n: number, options?: { flush?: boolean }): Promise<{ delivered: number; failed: number }>;
  deliver(event: Pick<StoreEvent, "topic" | "payload">, options?: { duplicate?: boolean }): Promise<boolean>;
  close(): Promise<void>;
}

const HOST_B64 = (shop: string) => Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json",
    "access-control-allow-origin": "*",
    "access-control-allow-headers": "*",
    ...headers,
  });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { catalog, customers } = seedStore(options.seed ?? 1);
  const store = new SandboxStore(catalog, customers);
  const shop = catalog.shop.domain;
  const stream = createOrderStream({ catalog, customers, seed: options.seed ?? 1, start: new Date(Date.now() - 90 * 86_400_000) });
  const webhooks = new WebhookSender({
    appUrl: `${options.appUrl}/webhooks`,
    apiSecret: options.apiSecret,
    // Only when given: an undefined value would replace the sender's defaults.
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
  });
  // Deterministic, so tokens the app stored survive a sandbox restart.
  const accessTokenFor = (domain: string) =>
    `shpat_sandbox_${createHmac("sha256", options.apiSecret).update(domain).digest("hex").slice(0, 32)}`;
  let eventCount = 0;

  const token = (claims: Record<string, unknown> = {}) =>
    sessionToken({ shop, apiKey: options.apiKey, apiSecret: options.apiSecret, sub: "1", claims });

  const embeddedAppUrl = (pathname = "/app") => {
    const url = new URL(pathname, options.appUrl);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", shop);
    url.searchParams.set("host", HOST_B64(shop));
    url.searchParams.set("locale", "en");
    url.searchParams.set("id_token", token());
    return url.toString();
  };

  async function deliver(event: Pick<StoreEvent, "topic" | "payload">, { duplicate = false } = {}) {
    if (event.topic === "orders/paid" || event.topic === "orders/cancelled") store.recordOrder(event.payload);
    if (event.topic === "refunds/create") store.recordRefund(event.payload);
    eventCount++;
    const dup = duplicate || (options.duplicateEvery ? eventCount % options.duplicateEvery === 0 : false);
    const record = await webhooks.deliver(event.topic, shop, event.payload, { duplicate: dup });
    return record.state === "delivered";
  }

  async function playOrders(n: number, { flush = false } = {}) {
    const events = [...stream.take(n), ...(flush ? stream.flush() : [])];
    let delivered = 0;
    let failed = 0;
    for (const event of events) {
      if (await deliver(event)) delivered++;
      else failed++;
    }
    return { delivered, failed };
  }

  const adminHtml = () =>
    fs
      .readFileSync(path.join(here, "public", "admin.html"), "utf8")
      .replaceAll("{{SHOP}}", shop)
      .replaceAll("{{SHOP_NAME}}", catalog.shop.name)
      .replaceAll("{{APP_URL}}", options.appUrl);

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://sandbox");
      const parts = url.pathname.split("/").filter(Boolean);
      if (req.method === "OPTIONS") return send(res, 204, "");

      if (url.pathname === "/" || url.pathname === "/admin") return send(res, 200, adminHtml());
      if (url.pathname === "/app-bridge.js") {
        return send(res, 200, fs.readFileSync(path.join(here, "public", "app-bridge.js"), "utf8"), {
          "content-type": "text/javascript; charset=utf-8",
        });
      }
      if (url.pathname === "/session-token") return send(res, 200, { token: token() });
      // The thank-you / order status page preview with Encore's real extension (see thank-you.ts).
      if (url.pathname === "/polaris-elements.js" || url.pathname === "/thank-you/extension.js") {
        const body = url.pathname === "/thank-you/extension.js" ? await extensionBundle() : fs.readFileSync(path.join(here, "public", "polaris-elements.js"), "utf8");
        return send(res, 200, body, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" });
      }
      if (url.pathname === "/thank-you/session-token") {
        // As checkout and customer accounts issue them: dest is the shop, sub the customer (absent for a guest).
        const customer = url.searchParams.get("customer");
        return send(res, 200, {
          token: sessionToken({
            shop,
            apiKey: options.apiKey,
            apiSecret: options.apiSecret,
            sub: customer || undefined,
            ttlSeconds: 300,
            claims: { iss: `https://${shop}`, ...(customer ? {} : { sub: undefined }) },
          }),
        });
      }
      if (url.pathname === "/thank-you") {
        const id = url.searchParams.get("order");
        const orders = store.orders as PreviewOrder[];
        const order = id ? (orders.find((o) => String(o.id) === id.replace(/^gid:\/\/shopify\/Order\//, "")) ?? null) : null;
        if (id && !order) return send(res, 404, `<p>No order ${id.replace(/[<>&"]/g, "")} in the sandbox. <a href="/thank-you">Choose one</a>.</p>`);
        return send(
          res,
          200,
          thankYouPage({
            shop,
            shopName: catalog.shop.name,
            appUrl: options.appUrl,
            orders,
            order,
            target: url.searchParams.get("target") === "order-status" ? "order-status" : "thank-you",
            guest: url.searchParams.get("guest") === "1",
            settings: {
              heading: url.searchParams.get("heading") ?? "",
              offer_count: Math.min(4, Math.max(0, Number(url.searchParams.get("offers") ?? 3))),
              show_points: url.searchParams.get("points") !== "0",
            },
          }),
        );
      }
      if (url.pathname === "/embedded-url") return send(res, 200, { url: embeddedAppUrl(url.searchParams.get("path") ?? "/app") });
      if (parts[0] === "sandbox-images" && parts[1] === "products") {
        const product = store.product(Number(parts[2]?.replace(/\.svg$/, "")));
        if (!product) return send(res, 404, { error: "no such product" });
        return send(res, 200, productImageSvg(product), { "content-type": "image/svg+xml", "cache-control": "max-age=3600" });
      }
      if (url.pathname === "/picker/collections") {
        const result = await executeAdminGraphql(store, `query Picker { collections(first: 100) { nodes { id title handle } } }`);
        const q = (url.searchParams.get("query") || "").toLowerCase();
        const nodes = ((result.data?.collections as { nodes: { title: string }[] } | undefined)?.nodes ?? []).filter((c) => c.title.toLowerCase().includes(q));
        return send(res, 200, { nodes });
      }
      const caught = options.mail && parts[0]?.startsWith("mail") ? mailPage(options.mail, url.pathname) : null;
      if (caught) return send(res, caught.status, caught.body, { "content-type": caught.type });
      if (url.pathname === "/deliveries") return send(res, 200, webhooks.log.slice(-200));
      if (url.pathname === "/simulate/orders" && req.method === "POST") {
        const count = Math.min(Math.max(Number(url.searchParams.get("count") ?? 1), 1), 1000);
        return send(res, 200, await playOrders(count));
      }
      // Resource picker data for the App Bridge stand-in (as the admin's picker would show).
      if (url.pathname === "/picker/products") {
        const result = await executeAdminGraphql(
          store,
          `query Picker($q: String) { products(first: 50, query: $q) { nodes { id title handle status featuredImage { url altText } variants(first: 20) { nodes { id title price sku } } } } }`,
          { q: url.searchParams.get("query") || null },
        );
        return send(res, 200, result.data?.products ?? { nodes: [] });
      }

      // Shopify's own endpoints, reached through fetch-intercept.mjs as /shops/{shop}/…
      if (parts[0] === "shops" && parts[1] === shop) {
        const rest = "/" + parts.slice(2).join("/");
        if (rest === "/admin/oauth/access_token" && req.method === "POST") {
          const raw = await readBody(req);
          const body = raw.trim().startsWith("{") ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
          if (body.client_id !== options.apiKey || body.client_secret !== options.apiSecret) {
            return send(res, 400, { error: "invalid_client" });
          }
          const claims = verifyJwt(String(body.subject_token ?? ""), options.apiSecret);
          if (!claims || claims.dest !== `https://${shop}`) return send(res, 400, { error: "invalid_subject_token" });
          const accessToken = accessTokenFor(shop);
          return send(res, 200, {
            access_token: accessToken,
            scope: process.env.SCOPES ?? "read_customers,write_customers,read_orders,read_products,write_discounts",
            expires_in: 86_400,
            refresh_token: `shprt_sandbox_${Math.random().toString(36).slice(2)}`,
            refresh_token_expires_in: 7_776_000,
          });
        }
        const graphqlPath = /^\/admin\/api\/[\w-]+\/graphql\.json$/.test(rest);
        if (graphqlPath && req.method === "POST") {
          if (req.headers["x-shopify-access-token"] !== accessTokenFor(shop)) {
            return send(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
          }
          const { query, variables } = JSON.parse(await readBody(req));
          const result = await executeAdminGraphql(store, query, variables);
          return send(res, 200, result, { "x-request-id": `sandbox-${Date.now()}` });
        }
      }
      send(res, 404, { errors: `Sandbox: nothing at ${req.method} ${url.pathname}` });
    } catch (error) {
      send(res, 500, { errors: String(error) });
    }
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  const url = `http://localhost:${address.port}`;
  store.imageBase = url;

  return {
    url,
    shop,
    store,
    webhooks,
    sessionToken: token,
    embeddedAppUrl,
    playOrders,
    deliver,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
