// Background work of the offers feature (see ./types.ts for the contract).
// Each body is an idempotent, resumable service call: the imports continue
// from their stored cursor, and recording an order twice changes nothing.
import { unauthenticated } from "../shopify.server";
import { getShop } from "../models/shop.server";
import { syncCatalog } from "../services/offers/catalog.server";
import { foldRecordedOrders, importHistory, precomputeRecommendations } from "../services/offers/history.server";
import { shopsWithUnfoldedPurchases } from "../models/offers.server";
import type { Enqueue, JobDefinition } from "./types";

type ShopPayload = { shopId: string };

async function adminGraphql(shopId: string) {
  const { admin } = await unauthenticated.admin(shopId);
  return admin.graphql;
}

/** Imports (or re-imports) the shop's catalog into the offers cache. Enqueue on install. */
export const catalogSyncJob: JobDefinition<ShopPayload> = {
  name: "offers.catalog-sync",
  run: async ({ db, log, enqueue }, { shopId }) => {
    const shop = await getShop(db, shopId);
    if (!shop || shop.uninstalledAt) return;
    // Ten pages per run, then continue in a new job, so one run stays short.
    const result = await syncCatalog(db, await adminGraphql(shopId), shopId, { maxPages: 10, currencyCode: shop.currencyCode });
    log("catalog sync", { shopId, ...result });
    if (result.status === "running") await enqueue("offers.catalog-sync", { shopId }, { key: `${shopId}:${result.pages}` });
  },
};

/** Builds the co-purchase history from past orders. Enqueue on install, after the catalog. */
export const historyImportJob: JobDefinition<ShopPayload> = {
  name: "offers.history-import",
  run: async ({ db, log, enqueue }, { shopId }) => {
    const shop = await getShop(db, shopId);
    if (!shop || shop.uninstalledAt) return;
    const result = await importHistory(db, await adminGraphql(shopId), shopId, { maxPages: 10 });
    log("history import", { shopId, ...result });
    if (result.status === "running") await enqueue("offers.history-import", { shopId }, { key: `${shopId}:${result.pages}` });
  },
};

/**
 * Hourly: recomputes every product's top-K for each installed shop, so scores
 * that drifted with incremental updates (a partner's buyer count changed) are
 * exact again.
 */
export const precomputeJob: JobDefinition = {
  name: "offers.precompute",
  cron: "17 * * * *",
  run: async ({ db, log }) => {
    const shops = await db.shop.findMany({ where: { uninstalledAt: null }, select: { id: true } });
    for (const { id } of shops) log("precompute", { shopId: id, products: await precomputeRecommendations(db, id) });
  },
};

/**
 * Every minute: folds the orders orders/paid recorded into the co-purchase
 * statistics and refreshes the lists of the products they touched (see
 * foldRecordedOrders). A shop with more waiting than a run folds continues
 * in the next run.
 */
export const foldOrdersJob: JobDefinition = {
  name: "offers.fold-orders",
  cron: "* * * * *",
  run: async ({ db, log, now }) => {
    for (const shopId of await shopsWithUnfoldedPurchases(db)) {
      const folded = await foldRecordedOrders(db, shopId, { now });
      log("fold orders", { shopId, ...folded });
    }
  },
};

/**
 * On install: import the catalog, then the order history, so offers and
 * "bought together" work from the first thank-you page. Keyed by day, so a
 * merchant re-opening the app the same day does not start a second import.
 */
export async function enqueueOffersImport(enqueue: Enqueue, shopId: string, now = new Date()) {
  const day = now.toISOString().slice(0, 10);
  await enqueue(catalogSyncJob.name, { shopId }, { key: `${shopId}:install:${day}` });
  // A minute later, so product titles and images are there for the history's products.
  await enqueue(historyImportJob.name, { shopId }, { key: `${shopId}:install:${day}`, runAt: new Date(now.getTime() + 60_000) });
}

export const offersJobs = [catalogSyncJob, historyImportJob, precomputeJob, foldOrdersJob] as JobDefinition<never>[];
