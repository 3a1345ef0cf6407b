// The results dashboard's feature sections: what offers, rewards, emails and
// the survey did in the period. Each returns null until its feature has
// anything to show (the page then leaves it out). Figures come from the
// features' own tables, compared with the previous period: counts of events
// that never change (offer views and conversions, emails) from the daily
// figures (DailyStat, today live), the rest from the tables themselves.
import { periodTotals } from "../../models/results.server";
import { answeredInPeriod } from "../../models/results-window.server";
import { getSatisfactionSettings, responseRate, surveyAnswers } from "../../models/satisfaction.server";
import { formatMilli, toMilli } from "../money";
import { change, rate } from "./period";
import type { Figure, ResultsContext, ResultsSection } from "./dashboard.server";

const inPeriod = (from: Date, to: Date) => ({ gte: from, lt: to });
const money = (id: string, label: string, help: string, current: bigint, previous: bigint): Figure => ({
  id,
  label,
  help,
  format: "money",
  value: formatMilli(current),
  change: change(Number(current) / 1000, Number(previous) / 1000),
});
const count = (id: string, label: string, help: string, current: number, previous: number | null, format: Figure["format"] = "number"): Figure => ({
  id,
  label,
  help,
  format,
  value: current,
  change: previous === null ? null : change(current, previous),
});

/** Sums a family's metrics "<family>:<what>:<key>", all keys or one. */
const sumOf = (totals: Map<string, bigint>, what: string, key?: string) => {
  let n = 0n;
  for (const [metric, value] of totals) {
    const [, w, k] = metric.split(":");
    if (w === what && (key === undefined || k === key)) n += value;
  }
  return n;
};

/** Offers: views → clicks → orders, and the revenue attributed to them. */
export async function offersResults({ db, shopId, period, now }: ResultsContext): Promise<ResultsSection | null> {
  const offers = await db.offer.findMany({ where: { shopId }, select: { id: true, name: true } });
  if (offers.length === 0) return null;
  // Counted by offer, day by day (app/models/results.server.ts): the totals
  // are their sums (a big store shows a million offers a year).
  const figures = async (from: Date, to: Date) => {
    const totals = await periodTotals(db, shopId, "offer", from, to, now);
    const of = (what: string) => Number(sumOf(totals, what));
    return { totals, views: of("impression"), clicks: of("click"), orders: of("orders"), revenue: sumOf(totals, "revenue_milli") };
  };
  const [current, before] = await Promise.all([figures(period.from, period.to), figures(period.previousFrom, period.previousTo)]);
  return {
    id: "offers",
    title: "Offers",
    figures: [
      count("offer_views", "Offer views", "Offers shown on thank-you and order status pages", current.views, before.views),
      count("offer_clicks", "Offer clicks", "Shoppers who opened an offer", current.clicks, before.clicks),
      count("offer_orders", "Orders from offers", "Later orders that used an offer's code", current.orders, before.orders),
      money("offer_revenue", "Revenue from offers", "Offered products in those orders", current.revenue, before.revenue),
    ],
    charts: [],
    tables: [
      {
        id: "offers",
        title: "Offers in the period",
        columns: [
          { key: "name", label: "Offer" },
          { key: "views", label: "Views", numeric: true },
          { key: "clicks", label: "Clicks", numeric: true },
          { key: "orders", label: "Orders", numeric: true },
          { key: "conversion", label: "Orders per view (%)", numeric: true },
          { key: "revenue", label: "Revenue", numeric: true },
        ],
        rows: offers.map((o) => {
          const of = (what: string) => Number(sumOf(current.totals, what, o.id));
          return {
            name: o.name,
            views: of("impression"),
            clicks: of("click"),
            orders: of("orders"),
            conversion: rate(of("orders"), of("impression")),
            revenue: formatMilli(sumOf(current.totals, "revenue_milli", o.id)),
          };
        }),
      },
    ],
  };
}

/**
 * Reward codes used on orders in [from, to), each with the merchandise of the
 * order that used it — joined in the database, as a big store's period has
 * more such orders than a query may list.
 */
async function codesUsed(db: ResultsContext["db"], shopId: string, from: Date, to: Date) {
  const rows = await db.$queryRaw<{ rewardId: string; merchandiseTotal: string | null }[]>`
    SELECT r."rewardId", o."merchandiseTotal" FROM "Redemption" r
    LEFT JOIN "OrderAward" o ON o."shopId" = r."shopId" AND o."orderId" = r."orderId"
    WHERE r."shopId" = ${shopId} AND r.status = 'used' AND r."usedAt" >= ${from} AND r."usedAt" < ${to}`;
  return rows.map((r) => ({ rewardId: r.rewardId, revenue: r.merchandiseTotal ? toMilli(r.merchandiseTotal) : 0n }));
}

/** Rewards: codes redeemed, codes used on orders and those orders' revenue, and the points' liability. */
export async function rewardsResults({ db, shopId, period }: ResultsContext): Promise<ResultsSection | null> {
  const rewards = await db.reward.findMany({ where: { shopId }, select: { id: true, title: true, kind: true, value: true, pointsCost: true, active: true } });
  if (rewards.length === 0) return null;
  const figures = async (from: Date, to: Date) => {
    const [issued, used] = await Promise.all([
      db.redemption.groupBy({
        by: ["rewardId"],
        where: { shopId, status: { in: ["issued", "used"] }, createdAt: inPeriod(from, to) },
        _count: { _all: true },
        orderBy: { rewardId: "asc" },
      }),
      codesUsed(db, shopId, from, to),
    ]);
    const issuedOf = new Map(issued.map((g) => [g.rewardId, g._count._all]));
    return { issuedOf, issued: [...issuedOf.values()].reduce((a, b) => a + b, 0), used, revenue: used.reduce((s, u) => s + u.revenue, 0n) };
  };
  const [now, before, outstanding] = await Promise.all([
    figures(period.from, period.to),
    figures(period.previousFrom, period.previousTo),
    db.customer.aggregate({ where: { shopId }, _sum: { balance: true } }),
  ]);
  // A point is worth what the best fixed-amount reward pays for it: what the
  // shop would owe if every balance were redeemed that way.
  const perPoint = rewards
    .filter((r) => r.active && r.kind === "amount_off" && r.value && r.pointsCost > 0)
    .map((r) => ({ milli: toMilli(r.value!), points: BigInt(r.pointsCost) }))
    .sort((a, b) => (a.milli * b.points > b.milli * a.points ? -1 : 1))[0];
  const points = BigInt(outstanding._sum.balance ?? 0);
  const figuresOut: Figure[] = [
    count("rewards_redeemed", "Rewards redeemed", "Discount codes issued for points", now.issued, before.issued),
    count("rewards_used", "Reward codes used", "Codes customers used on an order", now.used.length, before.used.length),
    money("rewards_revenue", "Revenue of reward orders", "Merchandise in the orders that used a reward code", now.revenue, before.revenue),
  ];
  if (perPoint) {
    figuresOut.push({
      id: "points_liability",
      label: "Points liability",
      help: "Outstanding points at the best fixed-amount reward's value",
      format: "money",
      value: formatMilli((points * perPoint.milli) / perPoint.points),
      change: null,
    });
  }
  return {
    id: "rewards",
    title: "Rewards",
    figures: figuresOut,
    charts: [],
    tables: [
      {
        id: "rewards",
        title: "Rewards in the period",
        columns: [
          { key: "title", label: "Reward" },
          { key: "cost", label: "Points cost", numeric: true },
          { key: "redeemed", label: "Redeemed", numeric: true },
          { key: "used", label: "Used on orders", numeric: true },
          { key: "revenue", label: "Revenue", numeric: true },
        ],
        rows: rewards.map((r) => {
          const used = now.used.filter((u) => u.rewardId === r.id);
          return {
            title: r.title,
            cost: r.pointsCost,
            redeemed: now.issuedOf.get(r.id) ?? 0,
            used: used.length,
            revenue: formatMilli(used.reduce((s, u) => s + u.revenue, 0n)),
          };
        }),
      },
    ],
  };
}

const EMAIL_KIND_LABELS: Record<string, string> = {
  thank_you: "Thank-you",
  review_request: "Review request",
  reward_ready: "Reward ready",
  points_expiring: "Points expiring",
  win_back: "Win-back",
};

/**
 * Emails: sent, and opens and clicks (only where the merchant tracks them),
 * each counted on the day it happened: an open in the period may be of an
 * email sent before it.
 */
export async function emailResults({ db, shopId, period, now }: ResultsContext): Promise<ResultsSection | null> {
  // Counted by kind, day by day (app/models/results.server.ts): a big store sends hundreds of thousands a year.
  const byKind = async (from: Date, to: Date) => {
    const totals = await periodTotals(db, shopId, "email", from, to, now);
    const kinds = [...new Set([...totals.keys()].map((m) => m.split(":")[2]))].sort();
    return kinds.map((kind) => ({
      kind,
      sent: Number(sumOf(totals, "sent", kind)),
      opened: Number(sumOf(totals, "opened", kind)),
      clicked: Number(sumOf(totals, "clicked", kind)),
    }));
  };
  const [kindsNow, kindsBefore] = await Promise.all([byKind(period.from, period.to), byKind(period.previousFrom, period.previousTo)]);
  if (kindsNow.length === 0 && kindsBefore.length === 0) return null;
  const totals = (groups: typeof kindsNow) => groups.reduce((t, g) => ({ sent: t.sent + g.sent, opened: t.opened + g.opened, clicked: t.clicked + g.clicked }), { sent: 0, opened: 0, clicked: 0 });
  const [current, previous] = [totals(kindsNow), totals(kindsBefore)];
  return {
    id: "emails",
    title: "Emails",
    figures: [
      count("emails_sent", "Emails sent", "Post-purchase emails delivered to customers", current.sent, previous.sent),
      count("emails_opened", "Opens", "First opens in the period, of emails sent in it or before (where open tracking is on)", current.opened, previous.opened),
      count("emails_clicked", "Clicks", "First clicks in the period, of emails sent in it or before (where click tracking is on)", current.clicked, previous.clicked),
      count("emails_open_rate", "Open rate", "Opens in the period per email sent in it", rate(current.opened, current.sent), rate(previous.opened, previous.sent), "percent"),
    ],
    charts: [],
    tables: [
      {
        id: "emails",
        title: "Emails by type",
        columns: [
          { key: "kind", label: "Email" },
          { key: "sent", label: "Sent", numeric: true },
          { key: "opened", label: "Opens", numeric: true },
          { key: "clicked", label: "Clicks", numeric: true },
        ],
        rows: kindsNow.map((g) => ({ kind: EMAIL_KIND_LABELS[g.kind] ?? g.kind, sent: g.sent, opened: g.opened, clicked: g.clicked })),
      },
    ],
  };
}

/** Satisfaction: the shop's CSAT or NPS and the response rate. */
export async function satisfactionResults({ db, shopId, period, now: at }: ResultsContext): Promise<ResultsSection | null> {
  const { scale } = await getSatisfactionSettings(db, shopId);
  // As the Satisfaction page counts them (satisfactionSummary), from the
  // daily orders placed and the answered orders' window cache.
  const summary = async (from: Date, to: Date) => {
    const [answers, placed, answered] = await Promise.all([
      surveyAnswers(db, shopId, scale, { from, to }),
      periodTotals(db, shopId, "survey", from, to, at),
      answeredInPeriod(db, shopId, from, to, at),
    ]);
    return { ...answers, responseRate: responseRate(Number(placed.get("survey:orders") ?? 0n), answered) };
  };
  const [now, before] = await Promise.all([summary(period.from, period.to), summary(period.previousFrom, period.previousTo)]);
  if (now.responses === 0 && before.responses === 0) return null;
  const label = scale === "nps" ? "NPS" : "CSAT";
  const help = scale === "nps" ? "Promoters minus detractors, of 100" : "Share of answers of 4 or 5";
  return {
    id: "satisfaction",
    title: "Customer satisfaction",
    figures: [
      {
        id: "satisfaction_score",
        label,
        help,
        format: scale === "nps" ? "number" : "percent",
        value: now.score ?? 0,
        change: now.score === null || before.score === null ? null : change(now.score, before.score),
      },
      count("survey_responses", "Survey answers", "Answers given in the period", now.responses, before.responses),
      count("survey_response_rate", "Response rate", "Orders of the period that were answered", now.responseRate ?? 0, before.responseRate, "percent"),
    ],
    charts: [],
    tables: [],
  };
}
