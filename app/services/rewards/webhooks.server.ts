// The rewards feature's part of each webhook topic: reward codes used on paid
// orders, and friends' first orders for referrals. Runs after the loyalty
// hooks, so the order's award (used to tell a new customer) is already there.
import { trackReferralOrder } from "../referrals/referrals.server";
import type { FeatureHooks } from "../webhooks/features";
import { markCodesUsed } from "./redemption.server";

export const rewardsHooks: FeatureHooks = {
  ordersPaid: async (db, shop, order) => {
    const codes = await markCodesUsed(db, shop, order);
    const referral = await trackReferralOrder(db, shop, order);
    return { ...codes, ...referral };
  },
};
