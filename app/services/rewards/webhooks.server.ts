// The rewards feature's part of each webhook topic: codes used on paid orders.
import type { FeatureHooks } from "../webhooks/features";
import { markCodesUsed } from "./redemption.server";

export const rewardsHooks: FeatureHooks = {
  ordersPaid: (db, shop, order) => markCodesUsed(db, shop, order),
};
