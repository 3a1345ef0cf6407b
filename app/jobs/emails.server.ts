// The emails feature's jobs. Each email is its own job, keyed by its trigger
// (thank-you:{orderId}, …), so it is persisted, retried with backoff and sent
// once, even across restarts.
import { recommendForOrder } from "../services/offers/recommend.server";
import {
  JOB,
  queuePointsExpiring,
  runRewardReady,
  scanWinBack,
  sendPointsExpiring,
  sendReviewRequest,
  sendThankYou,
  sendWinBack,
  type EmailDeps,
  type ListExpiringPoints,
  type ThankYouPayload,
} from "../services/email/flows.server";
import { sendShopEmail } from "../services/email/send.server";
import type { JobContext, JobDefinition } from "./types";

/** The payload of a one-off transactional email (JOB.deliver). */
export interface DeliverPayload {
  shopId: string;
  key: string;
  kind: string;
  customerId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo: string;
}

type Overrides = Omit<Partial<EmailDeps>, "db" | "now">;

const depsOf = (ctx: JobContext, o: Overrides): EmailDeps => ({
  db: ctx.db,
  now: ctx.now,
  recommend: o.recommend ?? recommendForOrder,
  transport: o.transport,
});

/** The email jobs; tests pass a fake recommender or transport. */
export function emailJobDefinitions(o: Overrides = {}): JobDefinition<never>[] {
  const defs: JobDefinition<never>[] = [
    { name: JOB.thankYou, run: async (ctx, p: ThankYouPayload) => void (await sendThankYou(depsOf(ctx, o), p)) },
    {
      name: JOB.reviewRequest,
      run: async (ctx, p: { shopId: string; orderId: string }) => void (await sendReviewRequest(depsOf(ctx, o), p)),
    },
    {
      name: JOB.rewardReady,
      run: async (ctx, p: { shopId: string; customerId: string; day: string; stage: string }) =>
        void (await runRewardReady(depsOf(ctx, o), ctx.enqueue, p)),
    },
    {
      name: JOB.pointsExpiring,
      run: async (ctx, p: { shopId: string; customerId: string; points: number; expiresAt: string }) =>
        void (await sendPointsExpiring(depsOf(ctx, o), p)),
    },
    {
      name: JOB.winBackScan,
      cron: "0 9 * * *",
      run: async (ctx) => {
        const queued = await scanWinBack(depsOf(ctx, o), ctx.enqueueMany);
        if (queued) ctx.log(`win-back: queued ${queued} emails`);
      },
    },
    { name: JOB.winBack, run: async (ctx, p: { shopId: string; customerId: string; period: number }) => void (await sendWinBack(depsOf(ctx, o), p)) },
    {
      name: JOB.deliver,
      run: async (ctx, p: DeliverPayload) =>
        void (await sendShopEmail(
          ctx.db,
          p.shopId,
          { to: p.to, subject: p.subject, html: p.html, text: p.text, replyTo: p.replyTo || undefined },
          { kind: p.kind, key: p.key, customerId: p.customerId || null, marketing: false },
          { transport: o.transport, now: ctx.now },
        )),
    },
  ];
  return defs as JobDefinition<never>[];
}

/**
 * The daily points-expiring scan, for the points-expiry feature to register
 * with its own lister: `pointsExpiringReminders(listExpiringPoints)` in
 * app/jobs/index.server.ts. (The send job, email.points-expiring, is always
 * registered.)
 */
export function pointsExpiringReminders(list: ListExpiringPoints, o: Overrides = {}): JobDefinition<never> {
  return {
    name: "email.points-expiring-scan",
    cron: "0 8 * * *",
    run: async (ctx: JobContext) => queuePointsExpiring(depsOf(ctx, o), ctx.enqueueMany, list),
  } as JobDefinition<never>;
}

export const emailJobs = emailJobDefinitions();
