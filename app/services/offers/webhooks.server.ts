// The offers feature's part of each webhook topic: every paid order feeds
// the co-purchase history and is checked for an offer's discount code.
// products/update and products/delete keep the catalog cache fresh (topics
// no other feature uses, so they are handlers of their own: see
// `offersProductHandlers`).
import type { FeatureHooks } from "../webhooks/features";
import { batchCodes } from "../webhooks/order-codes.server";
import { handleProductDelete, handleProductUpdate } from "./catalog.server";
import { recordOrderPurchases } from "./history.server";
import { productDeletePayload, productPayload } from "./payloads";
import { attributeOrder } from "./tracking.server";

export const offersHooks: FeatureHooks = {
  ordersPaidBatch: async (db, shop, orders) => {
    const history = await recordOrderPurchases(db, shop.id, orders);
    // Attribution reads only for orders with an offer's code or during an A/B test.
    const offerCodes = (await batchCodes(db, shop.id, orders)).of("offer");
    const outcomes = [];
    for (const [i, order] of orders.entries()) {
      const attribution = await attributeOrder(db, shop, order, offerCodes[i]);
      outcomes.push({ history: history[i], attribution: attribution.status });
    }
    return outcomes;
  },
};

export const offersProductHandlers = {
  PRODUCTS_UPDATE: { schema: productPayload, run: handleProductUpdate },
  PRODUCTS_DELETE: { schema: productDeletePayload, run: handleProductDelete },
};
