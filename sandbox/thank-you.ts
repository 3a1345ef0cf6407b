// The sandbox's thank-you page: renders the REAL built extension
// (extensions/encore-thank-you, bundled as `shopify app build` does) for an
// order the sandbox delivered, with a `shopify` global that provides the
// target's API — session token signed like checkout's, settings, i18n from
// the extension's locales, the order confirmation or order, its lines — and
// minimal Polaris web components (public/polaris-elements.js).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const extensionDir = path.join(root, "extensions", "encore-thank-you");

let cached: { code: string; builtAt: number } | null = null;

function newestSource(): number {
  const files = [path.join(extensionDir, "shopify.extension.toml"), ...fs.readdirSync(path.join(extensionDir, "src")).map((f) => path.join(extensionDir, "src", f))];
  return Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
}

/** The bundle, rebuilt when a source changed since the last build. */
export async function extensionBundle(): Promise<string> {
  if (cached && cached.builtAt >= newestSource()) return cached.code;
  const { buildExtension } = (await import(path.join(root, "scripts", "build-extension.mjs"))) as {
    buildExtension: (o: { write: boolean }) => Promise<{ code: string }>;
  };
  const { code } = await buildExtension({ write: true });
  cached = { code, builtAt: Date.now() };
  return code;
}

export function extensionLocale(): string {
  return fs.readFileSync(path.join(extensionDir, "locales", "en.default.json"), "utf8");
}

/** The backend origin compiled into the extension (src/config.ts), which the page maps to the app. */
export function extensionBackend(): string {
  const config = fs.readFileSync(path.join(extensionDir, "src", "config.ts"), "utf8");
  return /BACKEND_URL\s*=\s*"([^"]+)"/.exec(config)?.[1] ?? "https://example.com";
}

const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface PreviewOrder {
  id: string | number;
  name: string;
  customer?: { id: string | number; first_name?: string; last_name?: string } | null;
  line_items: { title?: string; name?: string; quantity: number; price: string; product_id?: number | string | null }[];
  total_price?: string;
  currency: string;
}

export function thankYouPage(o: {
  shop: string;
  shopName: string;
  appUrl: string;
  orders: PreviewOrder[];
  order: PreviewOrder | null;
  target: "thank-you" | "order-status";
  guest: boolean;
  settings: { heading: string; offer_count: number; show_points: boolean };
}): string {
  const recent = o.orders.slice(-25).reverse();
  const list = recent
    .map((r) => {
      const who = r.customer ? `${esc(r.customer.first_name)} ${esc(r.customer.last_name)}` : "guest";
      return `<li><a href="/thank-you?order=${esc(r.id)}">${esc(r.name)}</a> · ${who} · ${r.line_items.length} item(s)</li>`;
    })
    .join("");
  if (!o.order) {
    return `<!doctype html><html><head><meta charset="utf-8"><title>Thank-you page preview · Sandbox</title>
<style>body{font:14px system-ui,sans-serif;margin:40px auto;max-width:760px;color:#1a1a1a}</style></head><body>
<p><a href="/admin">← Sandbox admin</a></p>
<h1>Thank-you page preview</h1>
<p>Choose an order the sandbox delivered to see Encore's real extension as the shopper would. ${recent.length ? "" : "No orders yet: play some from the admin (“Simulate a paid order”) or run <code>npm run demo</code>."}</p>
<ul>${list}</ul></body></html>`;
  }
  const order = o.order;
  const numeric = String(order.id);
  const customerGid = order.customer && !o.guest ? `gid://shopify/Customer/${order.customer.id}` : null;
  const target = o.target === "order-status" ? "customer-account.order-status.block.render" : "purchase.thank-you.block.render";
  const lines = order.line_items
    .filter((l) => l.product_id)
    .map((l) => ({
      id: `gid://shopify/CartLine/${numeric}-${l.product_id}`,
      quantity: l.quantity,
      merchandise: { id: "", type: "variant", title: l.title ?? l.name ?? "", product: { id: `gid://shopify/Product/${l.product_id}` } },
      cost: { totalAmount: { amount: Number(l.price) * l.quantity, currencyCode: order.currency } },
    }));
  const host = {
    target,
    shop: o.shop,
    orderId: `gid://shopify/Order/${numeric}`,
    orderIdentity: `gid://shopify/OrderIdentity/${numeric}`,
    orderName: order.name,
    customer: customerGid,
    lines,
    settings: o.settings,
    backend: extensionBackend(),
    appUrl: o.appUrl,
    locale: JSON.parse(extensionLocale()),
  };
  const switchTo = (params: Record<string, string>) => {
    const q = new URLSearchParams({ order: numeric, target: o.target, ...(o.guest ? { guest: "1" } : {}), ...params });
    return `/thank-you?${q}`;
  };
  const items = order.line_items.map((l) => `<li>${esc(l.quantity)} × ${esc(l.title ?? l.name)} — ${esc(l.price)} ${esc(order.currency)}</li>`).join("");
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(order.name)} · Thank you · ${esc(o.shopName)}</title>
<style>
  body{font:14px system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f6f6f7}
  .bar{background:#303030;color:#fff;padding:8px 16px;font-size:13px}.bar a{color:#9fd3ff}
  main{max-width:640px;margin:24px auto;padding:0 16px}
  .card{background:#fff;border:1px solid #e3e3e3;border-radius:12px;padding:20px;margin-bottom:16px}
  #extension-root{min-height:20px}
</style></head><body>
<div class="bar">Sandbox: Shopify's ${o.target === "order-status" ? "order status page (customer accounts)" : "thank-you page"}, rendered with Encore's real extension bundle ·
  <a href="${switchTo({ target: o.target === "thank-you" ? "order-status" : "thank-you" })}">show the ${o.target === "thank-you" ? "order status" : "thank-you"} page</a> ·
  ${order.customer ? `<a href="${switchTo({ guest: o.guest ? "" : "1" })}">${o.guest ? "as the logged-in customer" : "as a guest"}</a> ·` : ""}
  <a href="/thank-you">other orders</a> · <a href="/admin">admin</a></div>
<main>
  <div class="card"><h1 style="margin:0 0 4px;font-size:22px">Thank you${customerGid && order.customer?.first_name ? `, ${esc(order.customer.first_name)}` : ""}!</h1>
  <p style="margin:0;color:#6b6b6b">Order ${esc(order.name)} is confirmed · ${customerGid ? "logged in" : "guest checkout"}</p><ul>${items}</ul></div>
  <div class="card" id="extension-card"><div id="extension-root" data-testid="extension-root"></div></div>
</main>
<script src="/polaris-elements.js"></script>
<script>
(function () {
  var host = ${JSON.stringify(host).replace(/</g, "\\u003c")};
  function signal(value) { return { value: value, subscribe: function (cb) { cb(value); return function () {}; } }; }
  function interpolate(text, options) {
    return String(text).replace(/{{\\s*(\\w+)\\s*}}/g, function (_, k) { return options && options[k] !== undefined ? String(options[k]) : ""; });
  }
  function lookup(key) { return key.split(".").reduce(function (o, k) { return o && o[k]; }, host.locale); }
  var nativeFetch = window.fetch.bind(window);
  // The extension calls its backend at the URL compiled into it (the app's
  // application_url); the sandbox sends those calls to the local app.
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : input.url;
    if (url.indexOf(host.backend) === 0) url = host.appUrl + url.slice(host.backend.length);
    return nativeFetch(url, init);
  };
  var registered = {};
  var shopify = {
    extension: { target: host.target, apiVersion: "2026-07", capabilities: signal(["network_access"]), editor: undefined },
    extend: function (target, cb) { registered[target] = cb; },
    settings: signal(host.settings),
    sessionToken: {
      get: function () {
        return nativeFetch("/thank-you/session-token?customer=" + encodeURIComponent(host.customer || ""))
          .then(function (r) { return r.json(); })
          .then(function (b) { return b.token; });
      },
    },
    i18n: {
      translate: function (key, options) {
        var entry = lookup(key);
        if (entry && typeof entry === "object") entry = options && options.count === 1 ? entry.one : entry.other;
        return entry === undefined ? key : interpolate(entry, options);
      },
      formatCurrency: function (n, o) { return new Intl.NumberFormat("en-US", { style: "currency", currency: (o && o.currency) || "USD" }).format(n); },
      formatNumber: function (n) { return new Intl.NumberFormat("en-US").format(n); },
    },
    localization: { language: signal({ isoCode: "en" }), currency: signal({ isoCode: "USD" }) },
    shop: { myshopifyDomain: host.shop, name: ${JSON.stringify(o.shopName)} },
    lines: signal(host.lines),
    orderConfirmation: signal({ order: { id: host.orderIdentity }, number: host.orderName, isFirstOrder: false }),
    order: signal({ id: host.orderId, name: host.orderName }),
    buyerIdentity: { customer: signal(host.customer ? { id: host.customer } : undefined) },
    authenticatedAccount: { customer: signal(host.customer ? { id: host.customer } : undefined) },
  };
  window.shopify = shopify;
  var script = document.createElement("script");
  script.src = "/thank-you/extension.js";
  script.onload = function () {
    var cb = registered[host.target];
    if (!cb) { document.getElementById("extension-root").textContent = "The bundle does not register " + host.target; return; }
    // The extension renders into document.body in its own sandbox; here,
    // into the card, so the page around it stays.
    // (The default export renders synchronously before its first await.)
    var rootEl = document.getElementById("extension-root");
    Object.defineProperty(document, "body", { configurable: true, get: function () { return rootEl; } });
    var done;
    try { done = cb(); } finally { delete document.body; }
    Promise.resolve(done).finally(function () { window.__encoreRendered = true; });
  };
  document.head.appendChild(script);
})();
</script></body></html>`;
}
