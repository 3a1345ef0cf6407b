// Session tokens as Shopify's admin (App Bridge) and checkout/customer-account
// extensions issue them: HS256 JWTs signed with the app's secret.
import { createHmac, randomUUID } from "node:crypto";

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export interface SessionTokenOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** Staff user id (admin) or customer gid (extensions). */
  sub?: string;
  ttlSeconds?: number;
  /** Override any claim, e.g. exp in the past for an expired token. */
  claims?: Record<string, unknown>;
}

export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const signature = createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}

export function sessionToken({ shop, apiKey, apiSecret, sub = "1", ttlSeconds = 60, claims = {} }: SessionTokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    {
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: apiKey,
      sub,
      exp: now + ttlSeconds,
      nbf: now - 5,
      iat: now,
      jti: randomUUID(),
      sid: randomUUID(),
      ...claims,
    },
    apiSecret,
  );
}

/** Verifies a token the sandbox (or Shopify) issued; returns its payload or null. */
export function verifyJwt(token: string, secret: string): Record<string, any> | null {
  const [header, body, signature] = token.split(".");
  if (!header || !body || !signature) return null;
  const expected = createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  if (expected !== signature) return null;
  const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  if (typeof payload.exp === "number" && payload.exp < Date.now() / 1000) return null;
  return payload;
}
