// The offers feature's part of each webhook topic: every paid order feeds
// the co-purchase history and is checked for an offer's discount code.
// products/update and products/delete keep the catalog cache fresh (topics
// no other feature uses, so they are handlers of their own: see
// `offersProductHandlers`).
import type { FeatureHooks } from "../webhooks/features";
import { handleProductDelete, handleProductUpdate } from "./catalog.server";
import { recordOrderPurchases } from "./history.server";
import { productDeletePayload, productPayload } from "./payloads";
import { attributeOrder } from "./tracking.server";

export const offersHooks: FeatureHooks = {
  ordersPaidBatch: async (db, shop, orders) => {
    const history = await recordOrderPurchases(db, shop.id, orders);
    const outcomes = [];
    // (Attribution reads only for orders with a discount code or during an A/B test.)
    for (const [i, order] of orders.entries()) outcomes.push({ history: history[i], attribution: (await attributeOrder(db, shop, order)).status });
    return outcomes;
  },
};

export const offersProductHandlers = {
  PRODUCTS_UPDATE: { schema: productPayload, run: handleProductUpdate },
  PRODUCTS_DELETE: { schema: productDeletePayload, run: handleProductDelete },
};
