// Requests as Encore's checkout and customer account extensions send them:
// `Authorization: Bearer <session token>` signed with the app secret, from the
// extension sandbox's origin.
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { sessionToken } from "../sandbox/session-token.ts";

export function extensionToken(shop: string, opts: { customerId?: string | null; ttlSeconds?: number; secret?: string; claims?: Record<string, unknown> } = {}) {
  const claims: Record<string, unknown> = { ...(opts.claims ?? {}) };
  if (opts.customerId === null || opts.customerId === undefined) claims.sub = undefined;
  return sessionToken({
    shop,
    apiKey: API_KEY,
    apiSecret: opts.secret ?? API_SECRET_KEY,
    sub: opts.customerId ?? undefined,
    ttlSeconds: opts.ttlSeconds ?? 60,
    claims,
  });
}

export function extensionRequest(path: string, token: string | null, init: { method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {
    Origin: "https://extensions.shopifycdn.com",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  return new Request(`https://my-test-app.myshopify.io${path}`, {
    method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}
