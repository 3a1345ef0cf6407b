// Background work of the rewards feature (see ./types.ts for the contract).
//  - rewards.metafields.scan (every 5 min): finds customers whose balance
//    changed since their metafields were written and enqueues one sync per
//    customer; the dedupe key (customer + balance) debounces bursts.
//  - rewards.metafields.sync: writes one customer's balance (and tier) metafields.
//  - referrals.complete-due (every 15 min): grants referrers their points once
//    a friend's first order is past the pending window.
//  - rewards.reached.scan (every 10 min): customers whose balance just crossed
//    a reward's cost get the "your reward is ready" email (at most one a day;
//    the email job checks the shop's settings and the customer's consent).
import { completeDueReferrals } from "../services/referrals/referrals.server";
import { customersNeedingSync, syncCustomerMetafields } from "../services/rewards/metafields.server";
import { queueRewardsReady } from "../services/email/flows.server";
import { customersReachingReward } from "../models/reward.server";
import type { AdminGraphql } from "../services/shop-details.server";
import type { JobDefinition } from "./types";

async function adminGraphql(shopId: string): Promise<AdminGraphql> {
  const { unauthenticated } = await import("../shopify.server");
  return (await unauthenticated.admin(shopId)).admin.graphql as never;
}

/** How far back the scan looks (a little over its period, so nothing slips between runs). */
const SCAN_WINDOW_MS = 60 * 60_000;

export const metafieldsScan: JobDefinition = {
  name: "rewards.metafields.scan",
  cron: "*/5 * * * *",
  run: async ({ db, now, enqueueMany }) => {
    for await (const due of customersNeedingSync(db, new Date(now().getTime() - SCAN_WINDOW_MS))) {
      await enqueueMany(
        "rewards.metafields.sync",
        due.map((c) => ({ customerId: c.id, shopId: c.shopId })),
        { keys: due.map((c) => `${c.id}:${c.balance}`) },
      );
    }
  },
};

export const metafieldsSync: JobDefinition<{ customerId: string; shopId: string }> = {
  name: "rewards.metafields.sync",
  retryLimit: 8,
  run: async ({ db, now, log }, { customerId, shopId }) => {
    const outcome = await syncCustomerMetafields(db, await adminGraphql(shopId), customerId, now());
    log(`metafields ${outcome}`, { customerId });
  },
};

export const referralsCompleteDue: JobDefinition = {
  name: "referrals.complete-due",
  cron: "*/15 * * * *",
  run: async ({ db, now, log }) => {
    const result = await completeDueReferrals(db, now());
    if (result.completed || result.rejected) log("referrals settled", result);
  },
};

export const rewardReachedScan: JobDefinition = {
  name: "rewards.reached.scan",
  cron: "*/10 * * * *",
  run: async ({ db, now, enqueueMany }) => {
    // Twice the period, so a late run misses nothing; the email's per-day
    // dedupe key makes the overlap harmless.
    await queueRewardsReady(enqueueMany, await customersReachingReward(db, new Date(now().getTime() - 20 * 60_000)), now());
  },
};

export const rewardsJobs = [metafieldsScan, metafieldsSync, referralsCompleteDue, rewardReachedScan] as JobDefinition[];
