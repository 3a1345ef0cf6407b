// The loyalty program's background work (see ./types.ts). Each body is one
// idempotent service call taking the queue's clock, so a job that runs twice,
// or late, has the same outcome; tests call the services directly with a
// controlled clock.
import { awardBirthdayBonuses } from "../services/loyalty/bonuses.server";
import { expirePoints } from "../services/loyalty/expiry.server";
import { matureDuePoints } from "../services/loyalty/pending.server";
import { recomputeAllTiers } from "../services/loyalty/tiers.server";
import type { JobDefinition } from "./types";

export const loyaltyJobs: JobDefinition[] = [
  {
    // Pending points whose return window ended become spendable.
    name: "loyalty.mature-pending-points",
    cron: "*/15 * * * *",
    run: async ({ db, now, log }) => {
      const matured = await matureDuePoints(db, now());
      if (matured) log("matured pending points", { orders: matured });
    },
  },
  {
    name: "loyalty.expire-points",
    cron: "0 3 * * *",
    run: async ({ db, now, log }) => {
      const expired = await expirePoints(db, now());
      if (expired) log("expired points", { points: expired });
    },
  },
  {
    // Rolling windows move customers between tiers as time passes.
    name: "loyalty.recompute-tiers",
    cron: "30 3 * * *",
    run: async ({ db, now, log }) => {
      const moved = await recomputeAllTiers(db, now());
      if (moved) log("tier moves", { customers: moved });
    },
  },
  {
    name: "loyalty.birthday-bonuses",
    cron: "0 8 * * *",
    run: async ({ db, now, log }) => {
      const granted = await awardBirthdayBonuses(db, now());
      if (granted) log("birthday bonuses", { customers: granted });
    },
  },
];
