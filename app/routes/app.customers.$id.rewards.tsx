// Issue a reward to one customer from their admin page: either as a gift (no
// points taken) or spending their points, the merchant's explicit choice.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { getCustomer } from "../models/customer.server";
import { listRedemptions, listRewards } from "../models/reward.server";
import { shopForSession } from "../models/shop.server";
import { actorOf } from "../services/actor.server";
import { describeReward, type RewardSnapshot } from "../services/rewards/catalog";
import { redeemReward, RedemptionError, viewOf } from "../services/rewards/redemption.server";
import { authenticate } from "../shopify.server";

async function context(request: Request, id: string | undefined) {
  const auth = await authenticate.admin(request);
  const shop = await shopForSession(db, auth.session);
  const customer = id ? await getCustomer(db, shop.id, id) : null;
  if (!customer) throw new Response("Customer not found", { status: 404 });
  return { ...auth, shop, customer };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, customer } = await context(request, params.id);
  const [rewards, redemptions] = await Promise.all([listRewards(db, shop.id, { activeOnly: true }), listRedemptions(db, shop.id, customer.id, 10)]);
  return {
    balance: customer.balance,
    requestId: crypto.randomUUID(),
    rewards: rewards.map((r) => ({ id: r.id, title: r.title, pointsCost: r.pointsCost, description: describeReward(r as unknown as RewardSnapshot, shop.currencyCode) })),
    redemptions: redemptions.map(viewOf),
  };
};

export type IssueResult =
  | { ok: true; code: string | null; title: string; deducted: number; balance: number }
  | { ok: false; message: string; field?: "rewardId" };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<IssueResult> => {
  const { shop, customer, admin, session } = await context(request, params.id);
  const form = await request.formData();
  const rewardId = String(form.get("rewardId") ?? "");
  if (!rewardId) return { ok: false, field: "rewardId", message: "Choose a reward to issue." };
  const deductPoints = form.get("deductPoints") === "true";
  try {
    const redemption = await redeemReward(db, admin.graphql as never, {
      shop,
      customerId: customer.id,
      rewardId,
      requestId: String(form.get("requestId") ?? ""),
      source: "admin",
      deductPoints,
      actor: actorOf(session),
    });
    const fresh = await getCustomer(db, shop.id, customer.id);
    return { ok: true, code: redemption.code, title: redemption.title, deducted: redemption.pointsCost, balance: fresh?.balance ?? customer.balance };
  } catch (error) {
    if (error instanceof RedemptionError) return { ok: false, message: error.message };
    throw error;
  }
};
