// Keeps the shop's name, contact email and currency in step with Shopify.
// Called after every (re)authentication; a failure is logged, never fatal,
// since the app works with the defaults until the next sign-in.
import type { Db } from "../db.server";
import { SHOP_DETAILS } from "../graphql/shop";
import { updateShopDetails } from "../models/shop.server";

/** The `graphql` function of an authenticated Admin API client. */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export async function syncShopDetails(db: Db, graphql: AdminGraphql, shopId: string) {
  try {
    const response = await graphql(SHOP_DETAILS);
    const { data } = (await response.json()) as { data?: { shop?: { name: string; email: string; currencyCode: string } } };
    if (data?.shop) {
      await updateShopDetails(db, shopId, { name: data.shop.name, email: data.shop.email, currencyCode: data.shop.currencyCode });
    }
  } catch (error) {
    console.warn(`[shop] could not refresh details of ${shopId}: ${String(error)}`);
  }
}
