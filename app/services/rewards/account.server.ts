// What the customer account extension shows, and its redeem action.
import type { Db } from "../../db.server";
import type { CustomerRecordLike } from "./types";
import { listRedemptions, listRewards } from "../../models/reward.server";
import type { ShopRecord } from "../../models/shop.server";
import { unauthenticated } from "../../shopify.server";
import { describeReward, type RewardSnapshot } from "./catalog";
import { pendingPointsOf } from "./program.server";
import { redeemReward, RedemptionError, viewOf } from "./redemption.server";
import { referralLinkFor } from "../referrals/links.server";

export async function accountView(db: Db, shop: ShopRecord, customer: CustomerRecordLike, appUrl: string) {
  const [rewards, redemptions, pending, referral] = await Promise.all([
    listRewards(db, shop.id, { activeOnly: true }),
    listRedemptions(db, shop.id, customer.id, 20),
    pendingPointsOf(db, shop, customer.id),
    referralLinkFor(db, shop.id, customer.id, appUrl),
  ]);
  return {
    shop: { name: shop.name ?? shop.id, currencyCode: shop.currencyCode },
    balance: customer.balance,
    pending,
    rewards: rewards.map((r) => ({
      id: r.id,
      title: r.title,
      description: describeReward(r as unknown as RewardSnapshot, shop.currencyCode),
      pointsCost: r.pointsCost,
      affordable: customer.balance >= r.pointsCost,
    })),
    redemptions: redemptions.map(viewOf),
    referral,
  };
}

/** Redeems for the signed-in customer through the shop's offline Admin API session. */
export async function redeemForShopper(db: Db, shop: ShopRecord, customer: CustomerRecordLike, body: { rewardId?: unknown; requestId?: unknown }) {
  const rewardId = typeof body.rewardId === "string" ? body.rewardId : "";
  const requestId = typeof body.requestId === "string" ? body.requestId : "";
  if (!rewardId) throw new RedemptionError("invalid_request", "Choose a reward to redeem.");
  let graphql;
  try {
    graphql = (await unauthenticated.admin(shop.id)).admin.graphql;
  } catch {
    throw new RedemptionError("shopify_unavailable", "The store can't issue rewards right now. Please try again later.");
  }
  const redemption = await redeemReward(db, graphql as never, {
    shop,
    customerId: customer.id,
    rewardId,
    requestId,
    source: "customer",
    deductPoints: true,
  });
  const fresh = await db.customer.findUniqueOrThrow({ where: { id: customer.id }, select: { balance: true } });
  return { redemption, balance: fresh.balance };
}
