// Requests from Encore's checkout / customer account extensions: a session
// token signed with the app secret (Shopify's format), verified by
// `authenticate.public.*`, whose `dest` names the shop and whose `sub` is the
// signed-in customer. The caller answers only for that shop.
import db from "../../db.server";
import { authenticate } from "../../shopify.server";
import { CUSTOMER_GID } from "./survey.server";

export type Surface = "thank-you" | "order-status";

export interface ExtensionContext {
  shopId: string;
  customerShopifyId: string | null;
  surface: Surface;
  cors: (response: Response) => Response;
}

export function json(data: unknown, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(data), { ...init, headers });
}

/** Authenticates an extension request; throws a 401/404 Response (with CORS headers) otherwise. */
export async function authenticateExtension(request: Request): Promise<ExtensionContext> {
  const surface: Surface = new URL(request.url).searchParams.get("surface") === "order-status" ? "order-status" : "thank-you";
  let result;
  try {
    result = surface === "order-status" ? await authenticate.public.customerAccount(request) : await authenticate.public.checkout(request);
  } catch (error) {
    if (error instanceof Response) {
      // Shopify's helper answers without CORS headers; the extension must be able to read the 401.
      const headers = new Headers(error.headers);
      headers.set("Access-Control-Allow-Origin", "*");
      headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
      throw new Response(error.body, { status: error.status, statusText: error.statusText, headers });
    }
    throw error;
  }
  const { sessionToken, cors } = result;
  let shopId: string;
  try {
    shopId = new URL(String(sessionToken.dest)).hostname;
  } catch {
    throw cors(json({ error: "Invalid session token." }, { status: 401 }));
  }
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { uninstalledAt: true } });
  if (!shop || shop.uninstalledAt) throw cors(json({ error: "Encore is not installed on this shop." }, { status: 404 }));
  const sub = typeof sessionToken.sub === "string" && CUSTOMER_GID.test(sessionToken.sub) ? sessionToken.sub : null;
  return { shopId, customerShopifyId: sub, surface, cors };
}

export async function readJson(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const body = await request.json();
    return body && typeof body === "object" && !Array.isArray(body) ? body : null;
  } catch {
    return null;
  }
}
