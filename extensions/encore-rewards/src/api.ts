// Encore's shopper endpoints, called with the customer account session token
// (Shopify signs it; the app checks it and answers only for this customer).
import { APP_URL } from "./config";

export interface Reward {
  id: string;
  title: string;
  description: string;
  pointsCost: number;
  affordable: boolean;
}

export interface Redemption {
  id: string;
  status: string;
  code: string | null;
  title: string;
  pointsCost: number;
  endsAt: string | null;
  createdAt: string;
  usedAt: string | null;
}

export interface Account {
  shop: { name: string; currencyCode: string };
  balance: number;
  pending: number | null;
  rewards: Reward[];
  redemptions: Redemption[];
  referral: { url: string; referrerPoints: number } | null;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

interface ShopifyApi {
  sessionToken: { get(): Promise<string> };
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const token = await (globalThis as unknown as { shopify: ShopifyApi }).shopify.sessionToken.get();
  const response = await fetch(`${APP_URL}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
  });
  const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!response.ok) {
    throw new ApiError(body?.error?.message ?? `Request failed (${response.status})`, response.status, body?.error?.code ?? "error");
  }
  return body as T;
}

export const fetchAccount = () => request<Account>("/api/rewards");

export const redeem = (rewardId: string, requestId: string) =>
  request<{ redemption: Redemption; balance: number }>("/api/rewards/redeem", {
    method: "POST",
    body: JSON.stringify({ rewardId, requestId }),
  });

/** A fresh id per click: a retry of the same click reuses it and gets the same code. */
export function newRequestId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}
