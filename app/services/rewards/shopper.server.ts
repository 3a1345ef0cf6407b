// Requests from the customer account extension. Shopify signs each with the
// app secret (a session token whose `sub` is the customer's gid and `dest`
// the shop); answers are for that shop and that customer only, with CORS
// headers so the extension (another origin) can read every answer, errors too.
import type { Db } from "../../db.server";
import { findCustomerByShopifyId, upsertCustomer } from "../../models/customer.server";
import { getShop } from "../../models/shop.server";
import { authenticate } from "../../shopify.server";

export type Cors = (response: Response) => Response;

const allowAll: Cors = (response) => {
  response.headers.set("Access-Control-Allow-Origin", "*");
  response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  return response;
};

/** JSON answer (the server's fetch polyfill, from Remix's installGlobals, lacks Response.json). */
export function jsonResponse(cors: Cors, data: unknown, status = 200): Response {
  return cors(
    new Response(JSON.stringify(data), {
      status,
      headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
    }),
  );
}

export const errorResponse = (cors: Cors, status: number, code: string, message: string) =>
  jsonResponse(cors, { error: { code, message } }, status);

/** Authenticates the shopper; throws a (CORS-readable) Response when it cannot. */
export async function shopperContext(db: Db, request: Request) {
  let auth: Awaited<ReturnType<typeof authenticate.public.customerAccount>>;
  try {
    auth = await authenticate.public.customerAccount(request);
  } catch (error) {
    // OPTIONS preflight (204) and invalid tokens (401) arrive as Responses.
    if (error instanceof Response) {
      if (error.status === 204) throw error;
      throw errorResponse(allowAll, error.status, "unauthorized", "Your session has expired. Reload the page to sign in again.");
    }
    throw error;
  }
  const { sessionToken, cors } = auth;
  const expectedAudience = process.env.SHOPIFY_API_KEY;
  const aud = sessionToken.aud;
  if (expectedAudience && aud && aud !== expectedAudience) {
    throw errorResponse(cors, 401, "unauthorized", "This session is not for this app.");
  }
  const sub = String(sessionToken.sub ?? "");
  if (!/^gid:\/\/shopify\/Customer\/\d+$/.test(sub)) {
    throw errorResponse(cors, 401, "unauthorized", "Sign in to your account to see your rewards.");
  }
  let shopId: string;
  try {
    shopId = new URL(String(sessionToken.dest)).hostname;
  } catch {
    throw errorResponse(cors, 401, "unauthorized", "This session does not name a store.");
  }
  const shop = await getShop(db, shopId);
  if (!shop || shop.uninstalledAt) throw errorResponse(cors, 404, "not_installed", "Rewards are not available in this store.");
  // Signed-in customers are members even before their first order.
  let customer = await findCustomerByShopifyId(db, shop.id, sub);
  if (!customer) {
    await upsertCustomer(db, shop.id, { shopifyId: sub });
    customer = (await findCustomerByShopifyId(db, shop.id, sub))!;
  }
  if (customer.redactedAt) throw errorResponse(cors, 404, "not_found", "No rewards account was found.");
  return { shop, customer, cors };
}

/** Where the app is served, for links that point back at it (referral links). */
export function appUrlOf(request: Request) {
  return process.env.SHOPIFY_APP_URL || new URL(request.url).origin;
}
