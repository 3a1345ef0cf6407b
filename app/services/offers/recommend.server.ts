// Placeholder from the emails branch: the offers branch replaces this file with the real recommender (same signature).
import type { Db } from "../../db.server";

export interface RecommendedProduct {
  productId: string;
  variantId: string | null;
  title: string;
  handle: string;
  imageUrl: string | null;
  price: string;
  currencyCode: string;
  discount: { kind: "percent" | "amount"; value: string } | null;
  offerId: string | null;
  reason: string;
  url: string;
}

export async function recommendForOrder(
  _db: Db,
  _shopId: string,
  _input: { orderId: string; productIds: string[]; customerId: string | null; limit: number; surface: "email" },
): Promise<RecommendedProduct[]> {
  return [];
}
