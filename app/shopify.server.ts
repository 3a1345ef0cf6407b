import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import db from "./db.server";
import { recordInstall } from "./models/shop.server";
import { syncShopDetails } from "./services/shop-details.server";
import { verifyDelivery, type RawDelivery } from "./services/webhooks/signature";

export const API_VERSION = ApiVersion.October26;

const apiSecret = required("SHOPIFY_API_SECRET");

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set. Run the app with \`shopify app dev\` or set it in .env (see README).`);
  }
  return value;
}

const appUrl = process.env.SHOPIFY_APP_URL || "http://localhost:3000";

const shopify = shopifyApp({
  apiKey: required("SHOPIFY_API_KEY"),
  apiSecretKey: apiSecret,
  apiVersion: API_VERSION,
  scopes: process.env.SCOPES?.split(","),
  appUrl,
  authPathPrefix: "/auth",
  // Sessions live in the app's own database (SQLite or PostgreSQL).
  sessionStorage: new PrismaSessionStorage(db as never),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await recordInstall(db, session.shop, session.scope ?? null);
      await syncShopDetails(db, admin.graphql, session.shop);
      // (Imported here: the jobs import this module for their Admin API clients.)
      const [{ enqueue }, { enqueueOffersImport }] = await Promise.all([import("./jobs/runtime.server"), import("./jobs/offers.server")]);
      await enqueueOffersImport(enqueue, session.shop);
    },
  },
  ...(process.env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [process.env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;

/**
 * Verifies a webhook delivery (HMAC of the raw body with the app's secret,
 * and the required headers; see services/webhooks/signature.ts), as
 * authenticate.webhook does but without loading the shop's offline session
 * for an Admin API client: no handler uses one (the loyalty hooks make their
 * own, only when a rule needs it), and on the webhooks' hot path that read —
 * and, with expiring tokens, a possible token refresh — cost every delivery.
 * Throws a Response as authenticate.webhook does: 405 not a POST, 401 a bad
 * signature, 400 missing headers.
 */
export async function verifyWebhook(delivery: RawDelivery) {
  if (delivery.method !== "POST") throw new Response(undefined, { status: 405 });
  const verdict = verifyDelivery(delivery.headers, delivery.body, apiSecret);
  if (!verdict.valid) throw new Response(undefined, { status: verdict.reason === "invalid-hmac" ? 401 : 400 });
  return verdict.delivery;
}
