// Talks to Encore's backend: which endpoint for which page, the session
// token, and a timeout after which the block hides itself.
import { BACKEND_URL, TIMEOUT_MS } from "./config";

export interface Offer {
  productId: string;
  title: string;
  imageUrl: string | null;
  price: string;
  discountedPrice: string | null;
  currencyCode: string;
  discount: { kind: "percent" | "amount"; value: string } | null;
  reason: string;
  clickUrl: string;
}

export interface Points {
  earned: number;
  status: "available" | "pending";
  balance?: number;
  pending?: number;
  nextReward?: { pointsNeeded: number; label: string };
}

export interface BlockData {
  points: Points | null;
  offers: Offer[];
}

export interface Line {
  productId: string;
  quantity: number;
  amount: string | null;
}

export const THANK_YOU = "purchase.thank-you.block.render";
export const ORDER_STATUS = "customer-account.order-status.block.render";

export async function loadBlock(options: {
  target: string;
  token: string;
  orderId: string;
  lines: Line[];
  limit: number;
  fetchImpl?: typeof fetch;
}): Promise<BlockData | null> {
  const path = options.target === ORDER_STATUS ? "/api/order-status" : "/api/thank-you";
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await (options.fetchImpl ?? fetch)(`${BACKEND_URL}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${options.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ orderId: options.orderId, lines: options.lines, limit: options.limit }),
      signal: controller.signal,
    });
    if (!response.ok) return null;
    const data = (await response.json()) as BlockData;
    return { points: data.points ?? null, offers: Array.isArray(data.offers) ? data.offers : [] };
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
