// Admin requests as the embedded app receives them: a session token from App
// Bridge (Shopify's test helpers sign it with the app secret) and, unless a
// test wants token exchange, an offline session already stored.
import { API_KEY, API_SECRET_KEY, RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { sessionStorage } from "../app/shopify.server";

export async function storeOfflineSession(shop: string) {
  const session = setUpValidSession({ shop, isOnline: false, expires: undefined as unknown as Date });
  session.scope = process.env.SCOPES;
  await sessionStorage.storeSession(session);
  return session;
}

/** A fetch request from inside the admin (App Bridge adds the bearer token). */
export function adminFetch(shop: string, pathAndQuery: string, init: RequestInit = {}) {
  return setUpValidRequest(
    { type: RequestType.Bearer, store: shop.replace(".myshopify.com", ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`https://my-test-app.myshopify.io${pathAndQuery}`, init),
  );
}

/** A document request, as the admin loads the app's iframe (id_token in the URL). */
export function adminDocument(shop: string, pathAndQuery: string) {
  return setUpValidRequest(
    { type: RequestType.Admin, store: shop.replace(".myshopify.com", ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`https://my-test-app.myshopify.io${pathAndQuery}`),
  );
}

export function form(fields: Record<string, string>) {
  return { method: "POST", body: new URLSearchParams(fields) };
}

/** Runs a Remix loader/action, returning thrown Responses instead of throwing. */
export async function call<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}
