// Signed links in emails. A token is `base64url(JSON payload).base64url(HMAC)`
// with HMAC-SHA256 keyed by SHOPIFY_API_SECRET; the payload names its purpose
// so a token made for one link never works for another.
//
// For other features:
// - surveyLinkToken(shopId, orderId) → the token in `/survey/{token}?score=N`
//   (the satisfaction page); verifySurveyLinkToken(token) → { shopId, orderId }
//   or null when forged, altered or made for another purpose.
// - unsubscribeUrl / verifyUnsubscribeToken: the one-click unsubscribe link.
import { createHmac, timingSafeEqual } from "node:crypto";

type Purpose = "survey" | "unsubscribe" | "open" | "click";

function secret(): string {
  const value = process.env.SHOPIFY_API_SECRET;
  if (!value) throw new Error("SHOPIFY_API_SECRET is not set");
  return value;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");
const mac = (body: string) => createHmac("sha256", secret()).update(body).digest();

export function signToken(purpose: Purpose, data: Record<string, string>): string {
  const body = b64(JSON.stringify({ p: purpose, ...data }));
  return `${body}.${b64(mac(body))}`;
}

export function verifyToken(purpose: Purpose, token: string): Record<string, string> | null {
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined) return null;
  const expected = mac(body);
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const data = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, string>;
    if (data.p !== purpose) return null;
    delete data.p;
    return data;
  } catch {
    return null;
  }
}

export const appUrl = () => (process.env.SHOPIFY_APP_URL || "http://localhost:3000").replace(/\/$/, "");

export function surveyLinkToken(shopId: string, orderId: string): string {
  return signToken("survey", { s: shopId, o: orderId });
}

export function verifySurveyLinkToken(token: string): { shopId: string; orderId: string } | null {
  const data = verifyToken("survey", token);
  return data?.s && data.o ? { shopId: data.s, orderId: data.o } : null;
}

/** The five one-click answers (1 = very unhappy … 5 = very happy). */
export function surveyLinks(shopId: string, orderId: string): { score: number; url: string }[] {
  const token = surveyLinkToken(shopId, orderId);
  return [1, 2, 3, 4, 5].map((score) => ({ score, url: `${appUrl()}/survey/${token}?score=${score}` }));
}

export function unsubscribeUrl(shopId: string, email: string): string {
  return `${appUrl()}/email/unsubscribe/${signToken("unsubscribe", { s: shopId, e: email.toLowerCase() })}`;
}

export function verifyUnsubscribeToken(token: string): { shopId: string; email: string } | null {
  const data = verifyToken("unsubscribe", token);
  return data?.s && data.e ? { shopId: data.s, email: data.e } : null;
}

export function openPixelUrl(messageId: string): string {
  return `${appUrl()}/email/open/${signToken("open", { m: messageId })}`;
}

export function verifyOpenToken(token: string): string | null {
  return verifyToken("open", token)?.m ?? null;
}

/** Click tracking: the destination is inside the signed token, so the redirect is never open. */
export function clickUrl(messageId: string, url: string): string {
  return `${appUrl()}/email/click/${signToken("click", { m: messageId, u: url })}`;
}

export function verifyClickToken(token: string): { messageId: string; url: string } | null {
  const data = verifyToken("click", token);
  return data?.m && data.u ? { messageId: data.m, url: data.u } : null;
}
