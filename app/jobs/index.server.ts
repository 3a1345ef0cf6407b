// Every job definition the queue runs. Each feature lists its own in
// app/jobs/<feature>.server.ts; add the list here.
import { pointsExpiringSoon } from "../services/loyalty/expiry.server";
import { emailJobs, pointsExpiringReminders } from "./emails.server";
import { loyaltyJobs } from "./loyalty.server";
import { offersJobs } from "./offers.server";
import { resultsJobs } from "./results.server";
import { rewardsJobs } from "./rewards.server";
import type { JobDefinition } from "./types";
import { webhookJobs } from "./webhooks.server";

// A function, not a constant: features' services import the queue's
// `enqueue` (./runtime.server.ts), and webhook processing imports those
// services, so the lists are complete only once every module has loaded.
export const jobDefinitions = (): readonly JobDefinition<never>[] => [
  ...(webhookJobs as JobDefinition<never>[]),
  ...(loyaltyJobs as JobDefinition<never>[]),
  ...(rewardsJobs as JobDefinition<never>[]),
  ...offersJobs,
  ...emailJobs,
  // Reminders for the points the loyalty program's expiry policy will take.
  pointsExpiringReminders((db, shopId, withinDays, now) => pointsExpiringSoon(db, shopId, now, withinDays)),
  ...(resultsJobs as JobDefinition<never>[]),
];
