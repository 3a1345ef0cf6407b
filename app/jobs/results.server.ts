// The results dashboard's nightly job: yesterday's figures are computed and
// stored once for every installed shop, so the first dashboard of the day does
// not pay for them (app/models/results.server.ts computes missing days lazily
// too; this only moves the work off the merchant's page load).
import { dailyFigures } from "../models/results.server";
import { addDays, dayOf, startOfDay } from "../services/results/period";
import type { JobDefinition } from "./types";

export const resultsJobs: JobDefinition[] = [
  {
    name: "results.close-day",
    cron: "10 0 * * *",
    run: async (ctx) => {
      const today = startOfDay(dayOf(ctx.now()));
      const shops = await ctx.db.shop.findMany({ where: { uninstalledAt: null }, select: { id: true } });
      for (const shop of shops) await dailyFigures(ctx.db, shop.id, addDays(today, -1), today, ctx.now());
    },
  },
];
