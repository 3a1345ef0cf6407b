// The results dashboard's nightly job: for every installed shop, yesterday's
// figures are computed and stored once (DailyStat), and so are the closed
// parts of every period's distinct-customer figures for the new day
// (WindowStat), so the first dashboard of the day does not pay for them
// (app/models/ computes missing ones lazily too; this only moves the work off
// the merchant's page load). Windows of earlier days are removed.
import { ensureDays } from "../models/results.server";
import { prepareWindows, pruneWindows } from "../models/results-window.server";
import { addDays, dayOf, startOfDay } from "../services/results/period";
import type { JobDefinition } from "./types";

export const resultsJobs: JobDefinition[] = [
  {
    name: "results.close-day",
    cron: "10 0 * * *",
    run: async (ctx) => {
      const now = ctx.now();
      const yesterday = dayOf(addDays(startOfDay(dayOf(now)), -1));
      await pruneWindows(ctx.db, now);
      const shops = await ctx.db.shop.findMany({ where: { uninstalledAt: null }, select: { id: true } });
      for (const shop of shops) {
        await ensureDays(ctx.db, shop.id, [yesterday]);
        await prepareWindows(ctx.db, shop.id, now);
      }
    },
  },
];
