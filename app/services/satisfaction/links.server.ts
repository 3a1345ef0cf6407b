// Signed survey links for emails: the shopper answers without logging in.
// The token binds shop + order + purpose with HMAC-SHA256 under the app
// secret, so it cannot be forged, nor replayed for another order or shop.
import { createHmac, timingSafeEqual } from "node:crypto";

const PURPOSE = "survey";

function secret(): string {
  const value = process.env.SHOPIFY_API_SECRET;
  if (!value) throw new Error("SHOPIFY_API_SECRET is not set");
  return value;
}

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString("base64url");

function sign(body: string): string {
  return createHmac("sha256", secret()).update(body).digest("base64url");
}

/** A URL-safe token for the survey of one order of one shop. */
export function surveyLinkToken(shopId: string, orderId: string): string {
  const body = b64url(JSON.stringify({ p: PURPOSE, s: shopId, o: orderId }));
  return `${body}.${sign(`${PURPOSE}.${body}`)}`;
}

/** The shop and order a token was issued for, or null if it is not one of ours. */
export function verifySurveyLinkToken(token: string): { shopId: string; orderId: string } | null {
  if (typeof token !== "string" || token.length > 2000) return null;
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined) return null;
  const expected = Buffer.from(sign(`${PURPOSE}.${body}`));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    if (claims?.p !== PURPOSE || typeof claims.s !== "string" || typeof claims.o !== "string") return null;
    return { shopId: claims.s, orderId: claims.o };
  } catch {
    return null;
  }
}
