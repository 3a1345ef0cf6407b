// The loyalty program's part of each webhook topic.
import type { FeatureHooks } from "../webhooks/features";
import { cancelOrder, creditOrder, reverseRefund } from "./orders.server";

export const loyaltyHooks: FeatureHooks = {
  ordersPaid: creditOrder,
  ordersCancelled: cancelOrder,
  refundsCreate: reverseRefund,
};
