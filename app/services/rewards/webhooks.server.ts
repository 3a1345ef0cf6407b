// The rewards feature's part of each webhook topic: reward codes used on paid
// orders, and friends' first orders for referrals. Runs after the loyalty
// hooks, so the order's award (used to tell a new customer) is already there.
import { trackReferralOrder } from "../referrals/referrals.server";
import type { FeatureHooks } from "../webhooks/features";
import { batchCodes } from "../webhooks/order-codes.server";
import { markCodesUsed } from "./redemption.server";

export const rewardsHooks: FeatureHooks = {
  ordersPaidBatch: async (db, shop, orders) => {
    // Orders without a reward or referral code read nothing more for them.
    const codes = await batchCodes(db, shop.id, orders);
    const [rewardCodes, referralCodes] = [codes.of("redemption"), codes.of("referral")];
    const results = [];
    for (const [i, order] of orders.entries()) {
      const used = await markCodesUsed(db, shop, order, rewardCodes[i]);
      const referral = await trackReferralOrder(db, shop, order, new Date(), referralCodes[i]);
      results.push({ ...used, ...referral });
    }
    return results;
  },
};
