// The loyalty program's part of each webhook topic. This is the edge where
// the shop's offline Admin API client is made (product tags and collections
// for earning rules); the services take it as a parameter.
import { unauthenticated } from "../../shopify.server";
import type { AdminGraphql } from "../shop-details.server";
import type { FeatureHooks } from "../webhooks/features";
import { awardSignupBonus } from "./bonuses.server";
import { cancelOrder, creditOrders, reverseRefund } from "./orders.server";

/** The shop's offline Admin API client, created only if a rule needs it. */
export const offlineGraphql =
  (shop: string): AdminGraphql =>
  async (query, options) => {
    const { admin } = await unauthenticated.admin(shop);
    return admin.graphql(query, options);
  };

export const loyaltyHooks: FeatureHooks = {
  ordersPaidBatch: (db, shop, orders) => creditOrders(db, shop, orders, { graphql: offlineGraphql(shop.id) }),
  ordersCancelled: cancelOrder,
  refundsCreate: reverseRefund,
  customersCreate: awardSignupBonus,
};
