// The offers' product cache: imported from the Admin API once (paginated and
// resumable: the cursor of each stored page is saved, so a job that dies
// continues from there) and kept fresh by products/update and products/delete.
import type { Db } from "../../db.server";
import { CATALOG_PRODUCTS } from "../../graphql/offers";
import {
  getSyncState,
  markProductDeleted,
  markUnseenDeleted,
  saveSyncState,
  upsertCatalogProduct,
  type CatalogProductData,
} from "../../models/offers.server";
import { formatMilli, toMilli } from "../money";
import type { AdminGraphql } from "../shop-details.server";
import type { ProductDeletePayload, ProductPayload } from "./payloads";

export const PAGE_SIZE = 50;

interface ProductNode {
  id: string;
  title: string;
  handle: string;
  vendor: string;
  tags: string[];
  status: string;
  onlineStoreUrl: string | null;
  totalInventory: number | null;
  featuredImage: { url: string } | null;
  collections: { nodes: { id: string }[] };
  variants: { nodes: { id: string; title: string; price: string; inventoryQuantity: number | null; availableForSale: boolean }[] };
}

/** The lowest price among variants that can be bought (or among all, when none can). */
function lowestPrice(prices: { price: string; available: boolean }[]): string {
  const pool = prices.some((p) => p.available) ? prices.filter((p) => p.available) : prices;
  if (pool.length === 0) return "0.00";
  return formatMilli(pool.map((p) => toMilli(p.price)).reduce((a, b) => (b < a ? b : a)));
}

export function productFromNode(node: ProductNode, currencyCode: string): CatalogProductData {
  const variants = node.variants.nodes.map((v) => ({
    variantId: v.id,
    title: v.title,
    price: v.price,
    available: v.availableForSale,
    inventory: v.inventoryQuantity ?? null,
  }));
  return {
    productId: node.id,
    title: node.title,
    handle: node.handle,
    imageUrl: node.featuredImage?.url ?? null,
    vendor: node.vendor,
    tags: node.tags,
    collectionIds: node.collections.nodes.map((c) => c.id),
    status: node.status,
    published: node.onlineStoreUrl !== null,
    price: lowestPrice(variants),
    currencyCode,
    // 0 = nothing can be bought; null = buyable with untracked (or oversold) stock.
    inventory: variants.some((v) => v.available) ? ((node.totalInventory ?? 0) > 0 ? node.totalInventory : null) : 0,
    variants,
  };
}

export class AdminApiError extends Error {}

export async function adminQuery<T>(graphql: AdminGraphql, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await graphql(query, { variables });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new AdminApiError(`Admin API error: ${JSON.stringify(body.errors ?? "no data")}`);
  return body.data;
}

export interface ImportResult {
  status: "running" | "done";
  pages: number;
  items: number;
}

/**
 * Imports the catalog, continuing from the stored cursor. Stops after
 * `maxPages` pages (so a request or job stays short) with status "running";
 * call again to continue. A finished import starts over when called again.
 */
export async function syncCatalog(db: Db, graphql: AdminGraphql, shopId: string, { maxPages = Infinity, currencyCode = "USD" } = {}): Promise<ImportResult> {
  let state = await getSyncState(db, shopId, "catalog");
  if (!state || state.status !== "running") {
    state = await saveSyncState(db, shopId, "catalog", { status: "running", cursor: null, pages: 0, items: 0, error: null, startedAt: new Date(), finishedAt: null });
  }
  let { cursor, pages, items } = state;
  for (let page = 0; page < maxPages; page++) {
    let data: { products: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ProductNode[] } };
    try {
      data = await adminQuery(graphql, CATALOG_PRODUCTS, { first: PAGE_SIZE, after: cursor });
    } catch (error) {
      await saveSyncState(db, shopId, "catalog", { status: "running", error: String(error) });
      throw error;
    }
    for (const node of data.products.nodes) await upsertCatalogProduct(db, shopId, productFromNode(node, currencyCode));
    pages++;
    items += data.products.nodes.length;
    cursor = data.products.pageInfo.endCursor ?? cursor;
    if (!data.products.pageInfo.hasNextPage) {
      await markUnseenDeleted(db, shopId, state.startedAt);
      await saveSyncState(db, shopId, "catalog", { status: "done", cursor, pages, items, error: null, finishedAt: new Date() });
      return { status: "done", pages, items };
    }
    await saveSyncState(db, shopId, "catalog", { status: "running", cursor, pages, items, error: null });
  }
  return { status: "running", pages, items };
}

// ---------------------------------------------------------------------------
// products/update and products/delete (REST webhook shapes)

const gid = (type: string, id: string) => (id.startsWith("gid://") ? id : `gid://shopify/${type}/${id}`);

export function productFromWebhook(p: ProductPayload, currencyCode: string): CatalogProductData {
  const variants = (p.variants ?? []).map((v) => {
    const tracked = v.inventory_management ? true : v.inventory_management === null ? false : v.inventory_quantity !== undefined;
    const quantity = v.inventory_quantity ?? null;
    const available = !tracked || v.inventory_policy === "continue" || (quantity ?? 0) > 0;
    return { variantId: gid("ProductVariant", v.id), title: v.title ?? "Default Title", price: v.price, available, inventory: tracked ? quantity : null };
  });
  const tags = typeof p.tags === "string" ? p.tags.split(",").map((t) => t.trim()).filter(Boolean) : (p.tags ?? []);
  const status = String(p.status ?? "active").toUpperCase();
  const units = variants.filter((v) => v.available).reduce((s, v) => s + Math.max(0, v.inventory ?? 0), 0);
  return {
    productId: gid("Product", p.id),
    title: p.title,
    handle: p.handle,
    imageUrl: p.image?.src ?? p.images?.[0]?.src ?? null,
    vendor: p.vendor ?? "",
    tags,
    status,
    published: Boolean(p.published_at) && status === "ACTIVE",
    price: lowestPrice(variants),
    currencyCode,
    inventory: variants.some((v) => v.available) ? (units > 0 ? units : null) : 0,
    variants,
  };
}

export async function handleProductUpdate(db: Db, shop: { id: string; currencyCode: string }, payload: ProductPayload) {
  await upsertCatalogProduct(db, shop.id, productFromWebhook(payload, shop.currencyCode));
  return { status: "product-cached" };
}

export async function handleProductDelete(db: Db, shop: { id: string }, payload: ProductDeletePayload) {
  await markProductDeleted(db, shop.id, gid("Product", payload.id));
  return { status: "product-deleted" };
}
