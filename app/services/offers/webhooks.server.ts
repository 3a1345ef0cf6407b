// The offers feature's part of each webhook topic: every paid order feeds
// the co-purchase history and is checked for an offer's discount code.
// products/update and products/delete keep the catalog cache fresh (topics
// no other feature uses, so they are handlers of their own: see
// `offersProductHandlers`).
import type { FeatureHooks } from "../webhooks/features";
import { handleProductDelete, handleProductUpdate } from "./catalog.server";
import { recordOrderPurchase } from "./history.server";
import { productDeletePayload, productPayload } from "./payloads";
import { attributeOrder } from "./tracking.server";

export const offersHooks: FeatureHooks = {
  ordersPaid: async (db, shop, order) => {
    const history = await recordOrderPurchase(db, shop.id, order);
    const attribution = await attributeOrder(db, shop, order);
    return { history: history.status, attribution: attribution.status };
  },
};

export const offersProductHandlers = {
  PRODUCTS_UPDATE: { schema: productPayload, run: handleProductUpdate },
  PRODUCTS_DELETE: { schema: productDeletePayload, run: handleProductDelete },
};
