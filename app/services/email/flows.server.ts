// The post-purchase emails: what each one says and to whom, decided when its
// job runs (so a customer's latest consent, balance and unsubscribe apply).
// Everything external comes in through `EmailDeps`, so tests pass a fake
// recommender and a real SMTP server.
import type { Db } from "../../db.server";
import type { Enqueue, EnqueueMany } from "../../jobs/types";
import { cachedEmailSettings, getEmailSettings, isSuppressed, type EmailSettingsRecord } from "../../models/email.server";
import type { RecommendedProduct, recommendForOrder } from "../offers/recommend.server";
import { resolveLocale } from "./i18n";
import { surveyLinks, unsubscribeUrl } from "./links.server";
import { sendShopEmail, type SendResult } from "./send.server";
import { MARKETING_KINDS, parseTypes, type EmailKind, type TypeSettings } from "./settings";
import { renderEmail, type Branding, type RenderedEmail } from "./templates.server";
import { smtpConfigured, type TransportFactory } from "./transport.server";

export type Recommender = typeof recommendForOrder;

export interface EmailDeps {
  db: Db;
  now: () => Date;
  recommend: Recommender;
  transport?: TransportFactory;
}

export const JOB = {
  thankYou: "email.thank-you",
  reviewRequest: "email.review-request",
  rewardReady: "email.reward-ready",
  pointsExpiring: "email.points-expiring",
  winBackScan: "email.win-back-scan",
  winBack: "email.win-back",
  /** Any feature's one-off transactional email (satisfaction replies, merchant notices). */
  deliver: "email.deliver",
} as const;

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;

export interface ShopEmailContext {
  settings: EmailSettingsRecord;
  types: TypeSettings;
  branding: Branding;
}

export async function shopEmailContext(db: Db, shopId: string): Promise<ShopEmailContext | null> {
  const shop = await db.shop.findUnique({ where: { id: shopId } });
  if (!shop || shop.uninstalledAt) return null;
  const settings = await getEmailSettings(db, shopId);
  return {
    settings,
    types: parseTypes(settings.types),
    branding: {
      shopName: settings.senderName || shop.name || shop.id.replace(/\.myshopify\.com$/, ""),
      senderName: settings.senderName,
      logoUrl: settings.logoUrl,
      brandColor: settings.brandColor,
    },
  };
}

type CustomerRow = NonNullable<Awaited<ReturnType<Db["customer"]["findFirst"]>>>;

const subscribed = (c: Pick<CustomerRow, "emailMarketingConsent"> | null) =>
  (c?.emailMarketingConsent ?? "").toLowerCase() === "subscribed";

/** May this customer get marketing content from the shop right now? */
export async function marketingAllowed(db: Db, shopId: string, customer: CustomerRow | null, email: string): Promise<boolean> {
  return subscribed(customer) && !(await isSuppressed(db, shopId, email));
}

async function customerById(db: Db, shopId: string, id: string | null | undefined) {
  return id ? db.customer.findFirst({ where: { id, shopId, redactedAt: null } }) : null;
}

// ---------------------------------------------------------------------------
// Thank-you (orders/paid)

export interface ThankYouPayload {
  shopId: string;
  orderId: string;
  orderName: string;
  email: string;
  customerShopifyId: string;
  /** Comma-separated product gids of the order's lines. */
  productIds: string;
  locale: string;
  [key: string]: string;
}

export interface ThankYouContent {
  rendered: RenderedEmail;
  marketing: boolean;
  to: string;
  customerId: string | null;
}

export async function buildThankYou(deps: EmailDeps, ctx: ShopEmailContext, p: ThankYouPayload): Promise<ThankYouContent | null> {
  const { db } = deps;
  const customer = p.customerShopifyId
    ? await db.customer.findFirst({ where: { shopId: p.shopId, shopifyId: p.customerShopifyId } })
    : null;
  if (customer?.redactedAt) return null;
  const to = customer?.email || p.email;
  if (!to) return null;
  const award = await db.orderAward.findUnique({ where: { shopId_orderId: { shopId: p.shopId, orderId: p.orderId } } });
  const marketingOk = await marketingAllowed(db, p.shopId, customer, to);
  const products: RecommendedProduct[] = marketingOk
    ? (
        await deps.recommend(db, p.shopId, {
          orderId: p.orderId,
          productIds: p.productIds ? p.productIds.split(",").filter(Boolean) : [],
          customerId: customer?.id ?? null,
          limit: 4,
          surface: "email",
        })
      ).slice(0, 4)
    : [];
  const marketing = products.length > 0;
  const rendered = await renderEmail({
    kind: "thank_you",
    locale: resolveLocale(customer?.locale ?? p.locale),
    branding: ctx.branding,
    custom: ctx.types.thank_you,
    vars: {
      name: customer?.firstName ?? null,
      order: award?.orderName ?? p.orderName,
      points: award?.status === "awarded" ? award.pointsAwarded : null,
      balance: customer?.balance ?? null,
    },
    showPoints: true,
    products,
    survey: surveyLinks(p.shopId, p.orderId),
    unsubscribeUrl: marketing ? unsubscribeUrl(p.shopId, to) : null,
  });
  return { rendered, marketing, to, customerId: customer?.id ?? null };
}

export async function sendThankYou(deps: EmailDeps, p: ThankYouPayload): Promise<SendResult | null> {
  const ctx = await shopEmailContext(deps.db, p.shopId);
  if (!ctx || !ctx.types.thank_you.enabled) return null;
  const content = await buildThankYou(deps, ctx, p);
  if (!content) return null;
  return sendShopEmail(
    deps.db,
    p.shopId,
    { to: content.to, ...content.rendered },
    { kind: "thank_you", key: `thank-you:${p.orderId}`, customerId: content.customerId, marketing: content.marketing },
    { transport: deps.transport, now: deps.now },
  );
}

/**
 * orders/paid → the thank-you email, once per order, after the shop's delay:
 * queued when the shop sends one (the job decides the rest at send time).
 * A batch of one shop's paid orders (../webhooks/batch.server.ts) is queued
 * together — a statement or two, not a transaction per order. Whether each
 * was queued, in order.
 */
export async function queueThankYous(db: Db, enqueueMany: EnqueueMany, now: Date, shopId: string, payloads: ThankYouPayload[]): Promise<boolean[]> {
  const settings = await cachedEmailSettings(db, shopId);
  const { thank_you } = parseTypes(settings.types);
  if (!thank_you.enabled || !smtpConfigured(settings)) return payloads.map(() => false);
  const queued = payloads.map((p) => Boolean(p.email || p.customerShopifyId));
  const jobs = payloads.filter((_, i) => queued[i]);
  if (jobs.length) {
    await enqueueMany(JOB.thankYou, jobs, {
      keys: jobs.map((p) => `thank-you:${p.orderId}`),
      runAt: new Date(now.getTime() + thank_you.delay * MINUTE),
    });
  }
  return queued;
}

// ---------------------------------------------------------------------------
// Follow-ups

async function sendSimple(
  deps: EmailDeps,
  kind: EmailKind,
  shopId: string,
  customer: CustomerRow,
  key: string,
  vars: { order?: string | null; points?: number | null; date?: string | null },
  extra: { survey?: { score: number; url: string }[] } = {},
): Promise<SendResult | null> {
  const ctx = await shopEmailContext(deps.db, shopId);
  if (!ctx || !ctx.types[kind].enabled || !customer.email) return null;
  const marketing = MARKETING_KINDS.has(kind);
  if (marketing && !(await marketingAllowed(deps.db, shopId, customer, customer.email))) return null;
  const rendered = await renderEmail({
    kind,
    locale: resolveLocale(customer.locale),
    branding: ctx.branding,
    custom: ctx.types[kind],
    vars: { name: customer.firstName, balance: customer.balance, ...vars },
    survey: extra.survey,
    unsubscribeUrl: marketing ? unsubscribeUrl(shopId, customer.email) : null,
  });
  return sendShopEmail(
    deps.db,
    shopId,
    { to: customer.email, ...rendered },
    { kind, key, customerId: customer.id, marketing },
    { transport: deps.transport, now: deps.now },
  );
}

/** fulfillments/create → a satisfaction/review request N days later, once per order. */
export async function queueReviewRequest(db: Db, enqueue: Enqueue, now: Date, p: { shopId: string; orderId: string }) {
  const ctx = await shopEmailContext(db, p.shopId);
  if (!ctx || !ctx.types.review_request.enabled || !smtpConfigured(ctx.settings)) return false;
  await enqueue(JOB.reviewRequest, p, {
    key: `review-request:${p.orderId}`,
    runAt: new Date(now.getTime() + ctx.types.review_request.delay * DAY),
  });
  return true;
}

export async function sendReviewRequest(deps: EmailDeps, p: { shopId: string; orderId: string }) {
  const award = await deps.db.orderAward.findUnique({ where: { shopId_orderId: { shopId: p.shopId, orderId: p.orderId } } });
  const customer = await customerById(deps.db, p.shopId, award?.customerId);
  if (!award || !customer || award.status === "cancelled") return null;
  return sendSimple(deps, "review_request", p.shopId, customer, `review-request:${p.orderId}`, { order: award.orderName }, {
    survey: surveyLinks(p.shopId, p.orderId),
  });
}

/**
 * "Your reward is ready", for customers whose balance reached a reward (the
 * rewards feature's scan, from the ledger side). At most one per customer per
 * day; the email goes after the shop's reward-ready delay.
 */
export async function queueRewardsReady(enqueueMany: EnqueueMany, customers: { shopId: string; customerId: string }[], now = new Date()) {
  const day = now.toISOString().slice(0, 10);
  await enqueueMany(
    JOB.rewardReady,
    customers.map(({ shopId, customerId }) => ({ shopId, customerId, day, stage: "due" })),
    { keys: customers.map((c) => `reward-ready:${c.customerId}:${day}`) },
  );
}

export async function runRewardReady(
  deps: EmailDeps,
  enqueue: Enqueue,
  p: { shopId: string; customerId: string; day: string; stage: string },
) {
  const ctx = await shopEmailContext(deps.db, p.shopId);
  if (!ctx || !ctx.types.reward_ready.enabled) return null;
  const key = `reward-ready:${p.customerId}:${p.day}`;
  if (p.stage === "due" && ctx.types.reward_ready.delay > 0) {
    await enqueue(JOB.rewardReady, { ...p, stage: "send" }, {
      key: `${key}:send`,
      runAt: new Date(deps.now().getTime() + ctx.types.reward_ready.delay * MINUTE),
    });
    return null;
  }
  const customer = await customerById(deps.db, p.shopId, p.customerId);
  return customer ? sendSimple(deps, "reward_ready", p.shopId, customer, key, {}) : null;
}

export interface ExpiringPoints {
  customerId: string;
  points: number;
  expiresAt: Date;
}

/** Lists a shop's customers whose points expire within `withinDays` (from the points-expiry feature). */
export type ListExpiringPoints = (db: Db, shopId: string, withinDays: number, now: Date) => Promise<ExpiringPoints[]>;

/** Enqueues one points-expiring reminder per listed customer and expiry date. */
export async function queuePointsExpiring(deps: EmailDeps, enqueueMany: EnqueueMany, list: ListExpiringPoints) {
  const shops = await deps.db.emailSettings.findMany({ select: { shopId: true, types: true } });
  for (const s of shops) {
    const types = parseTypes(s.types);
    if (!types.points_expiring.enabled) continue;
    const expiring = (await list(deps.db, s.shopId, types.points_expiring.delay, deps.now())).map((e) => ({ ...e, date: e.expiresAt.toISOString().slice(0, 10) }));
    await enqueueMany(
      JOB.pointsExpiring,
      expiring.map((e) => ({ shopId: s.shopId, customerId: e.customerId, points: e.points, expiresAt: e.date })),
      { keys: expiring.map((e) => `points-expiring:${e.customerId}:${e.date}`) },
    );
  }
}

export async function sendPointsExpiring(deps: EmailDeps, p: { shopId: string; customerId: string; points: number; expiresAt: string }) {
  const customer = await customerById(deps.db, p.shopId, p.customerId);
  if (!customer || customer.balance <= 0) return null;
  return sendSimple(deps, "points_expiring", p.shopId, customer, `points-expiring:${p.customerId}:${p.expiresAt}`, {
    points: Math.min(p.points, customer.balance),
    date: p.expiresAt,
  });
}

/**
 * Daily: customers whose last order is older than the shop's win-back days
 * get one win-back email per such period (marketing: consent required).
 */
export async function scanWinBack(deps: EmailDeps, enqueueMany: EnqueueMany): Promise<number> {
  const { db } = deps;
  const now = deps.now();
  let queued = 0;
  for (const s of await db.emailSettings.findMany()) {
    const types = parseTypes(s.types);
    if (!types.win_back.enabled || !smtpConfigured(s)) continue;
    const days = types.win_back.delay;
    const cutoff = new Date(now.getTime() - days * DAY);
    const period = Math.floor(now.getTime() / (days * DAY));
    const lastOrders = await db.orderAward.groupBy({
      by: ["customerId"],
      where: { shopId: s.shopId, customerId: { not: null } },
      _max: { createdAt: true },
      having: { createdAt: { _max: { lt: cutoff } } },
    });
    const lapsed = lastOrders.flatMap((row) => (row.customerId ? [row.customerId] : []));
    await enqueueMany(
      JOB.winBack,
      lapsed.map((customerId) => ({ shopId: s.shopId, customerId, period })),
      { keys: lapsed.map((customerId) => `win-back:${customerId}:${period}`) },
    );
    queued += lapsed.length;
  }
  return queued;
}

export async function sendWinBack(deps: EmailDeps, p: { shopId: string; customerId: string; period: number }) {
  const customer = await customerById(deps.db, p.shopId, p.customerId);
  if (!customer) return null;
  const ctx = await shopEmailContext(deps.db, p.shopId);
  if (!ctx) return null;
  // Still lapsed? An order since the scan cancels it.
  const cutoff = new Date(deps.now().getTime() - ctx.types.win_back.delay * DAY);
  const recent = await deps.db.orderAward.count({ where: { shopId: p.shopId, customerId: customer.id, createdAt: { gte: cutoff } } });
  if (recent > 0) return null;
  return sendSimple(deps, "win_back", p.shopId, customer, `win-back:${p.customerId}:${p.period}`, {});
}
