// The rewards feature's part of each webhook topic: reward codes used on paid
// orders, and friends' first orders for referrals. Runs after the loyalty
// hooks, so the order's award (used to tell a new customer) is already there.
import { ownedCodes } from "../../models/discount-code.server";
import { trackReferralOrder } from "../referrals/referrals.server";
import type { FeatureHooks } from "../webhooks/features";
import { discountCodesOf } from "../webhooks/payloads";
import { markCodesUsed } from "./redemption.server";

export const rewardsHooks: FeatureHooks = {
  ordersPaidBatch: async (db, shop, orders) => {
    // One statement for the batch finds the codes that are reward or referral
    // codes; orders without one read nothing more for them.
    const codes = orders.map(discountCodesOf);
    const owned = await ownedCodes(db, shop.id, codes.flat(), ["redemption", "referral"]);
    const results = [];
    for (const [i, order] of orders.entries()) {
      const used = await markCodesUsed(db, shop, order, codes[i].filter((c) => owned.redemption.has(c)));
      const referral = await trackReferralOrder(db, shop, order, new Date(), codes[i].filter((c) => owned.referral.has(c)));
      results.push({ ...used, ...referral });
    }
    return results;
  },
};
