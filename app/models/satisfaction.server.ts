// Data access for the satisfaction features: settings, survey responses and
// the figures the Satisfaction page shows (computed here, not in the page).
import type { Db, Tx } from "../db.server";
import { countOf } from "./results.server";
import {
  DEFAULT_THRESHOLD,
  SCALE_RANGE,
  isScale,
  scoreOf,
  type SatisfactionSettingsValue,
  type Scale,
} from "../services/satisfaction/settings";

export interface SatisfactionSettings extends SatisfactionSettingsValue {
  shopId: string;
}

type Row = NonNullable<Awaited<ReturnType<Db["satisfactionSettings"]["findUnique"]>>>;

function fromRow(row: Row): SatisfactionSettings {
  const scale: Scale = isScale(row.scale) ? row.scale : "csat";
  let sourceOptions: string[] = [];
  try {
    const parsed = JSON.parse(row.sourceOptions);
    if (Array.isArray(parsed)) sourceOptions = parsed.filter((o): o is string => typeof o === "string");
  } catch {
    // A damaged value reads as no options; the form shows it empty.
  }
  return {
    shopId: row.shopId,
    surveyEnabled: row.surveyEnabled,
    scale,
    question: row.question,
    commentEnabled: row.commentEnabled,
    sourceQuestionEnabled: row.sourceQuestionEnabled,
    sourceQuestion: row.sourceQuestion,
    sourceOptions,
    pointsForAnswer: row.pointsForAnswer,
    lowScoreThreshold: row.lowScoreThreshold,
    notifyEmail: row.notifyEmail,
    returnsEnabled: row.returnsEnabled,
    returnWindowDays: row.returnWindowDays,
  };
}

/** The shop's settings; defaults until the merchant saves. */
export async function getSatisfactionSettings(db: Db | Tx, shopId: string): Promise<SatisfactionSettings> {
  const row = await db.satisfactionSettings.findUnique({ where: { shopId } });
  if (row) return fromRow(row);
  const now = new Date();
  return fromRow({
    shopId,
    surveyEnabled: true,
    scale: "csat",
    question: "How satisfied are you with your order?",
    commentEnabled: true,
    sourceQuestionEnabled: false,
    sourceQuestion: "How did you hear about us?",
    sourceOptions: "[]",
    pointsForAnswer: 0,
    lowScoreThreshold: DEFAULT_THRESHOLD.csat,
    notifyEmail: null,
    returnsEnabled: true,
    returnWindowDays: 30,
    createdAt: now,
    updatedAt: now,
  });
}

export async function saveSatisfactionSettings(db: Db, shopId: string, value: SatisfactionSettingsValue) {
  const data = { ...value, sourceOptions: JSON.stringify(value.sourceOptions) };
  const row = await db.satisfactionSettings.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
  return fromRow(row);
}

/** Where follow-ups go: the merchant's chosen address, else the shop's email. */
export async function notificationAddress(db: Db | Tx, shopId: string, settings: { notifyEmail: string | null }) {
  if (settings.notifyEmail) return settings.notifyEmail;
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { email: true } });
  return shop?.email ?? null;
}

export interface ProductRef {
  productId: string;
  title: string;
}

export const productsOf = (row: { products: string }): ProductRef[] => {
  try {
    const parsed = JSON.parse(row.products);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
};

export function findResponse(db: Db | Tx, shopId: string, orderId: string) {
  return db.surveyResponse.findUnique({ where: { shopId_orderId: { shopId, orderId } } });
}

// ─── Figures for the Satisfaction page ──────────────────────────────────────

export interface Period {
  from: Date;
  to: Date;
}

const dayKey = (d: Date) => d.toISOString().slice(0, 10);
const weekKey = (d: Date) => {
  // Monday of the UTC week.
  const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  return dayKey(start);
};

/**
 * Everything the page shows for one period, on the shop's current scale
 * (answers given on the other scale, before the merchant switched, are left out
 * of scores so NPS and CSAT are never mixed).
 */
export const responseRate = (orders: number, answered: number) => (orders ? Math.round((answered / orders) * 1000) / 10 : null);

/**
 * Orders placed in the period, and how many of them were answered (whenever):
 * counted by the database, which matches answers to orders on their unique
 * keys — a big store has more orders in a month than a query may list.
 */
export async function answeredOrders(db: Db, shopId: string, period: Period): Promise<{ orders: number; answered: number }> {
  const [orders, [row]] = await Promise.all([
    db.orderAward.count({ where: { shopId, createdAt: { gte: period.from, lt: period.to } } }),
    db.$queryRaw<{ n: number | bigint }[]>`
      SELECT COUNT(*) AS n FROM "SurveyResponse" r
      JOIN "OrderAward" o ON o."shopId" = r."shopId" AND o."orderId" = r."orderId"
      WHERE o."shopId" = ${shopId} AND o."createdAt" >= ${period.from} AND o."createdAt" < ${period.to}`,
  ]);
  return { orders, answered: countOf(row?.n) };
}

/**
 * The dashboard's satisfaction figures — answers, score, response rate —
 * without the report's per-answer detail: the score from a count per score.
 */
export async function satisfactionSummary(db: Db, shopId: string, scale: Scale, period: Period) {
  const [answers, { orders, answered }] = await Promise.all([surveyAnswers(db, shopId, scale, period), answeredOrders(db, shopId, period)]);
  return { ...answers, responseRate: responseRate(orders, answered) };
}

/**
 * Answers given in the period, and the score of those on the shop's scale
 * (from a count per score). Always read live: a customer may change an answer.
 */
export async function surveyAnswers(db: Db, shopId: string, scale: Scale, period: Period) {
  const where = { shopId, createdAt: { gte: period.from, lt: period.to } };
  const [responses, byScore] = await Promise.all([
    db.surveyResponse.count({ where }),
    db.surveyResponse.groupBy({ by: ["score"], where: { ...where, scale }, _count: { _all: true }, orderBy: { score: "asc" } }),
  ]);
  const scores = byScore.flatMap((g) => Array<number>(g._count._all).fill(g.score));
  return { responses, score: scoreOf(scale, scores) };
}

export async function satisfactionReport(db: Db, shopId: string, scale: Scale, period: Period) {
  const where = { shopId, createdAt: { gte: period.from, lt: period.to } };
  const [responses, { orders, answered }] = await Promise.all([
    db.surveyResponse.findMany({
      where,
      select: { orderId: true, score: true, scale: true, createdAt: true, products: true, source: true },
      orderBy: { createdAt: "asc" },
    }),
    answeredOrders(db, shopId, period),
  ]);
  const onScale = responses.filter((r) => r.scale === scale);

  // Over time: weekly buckets when the period is longer than 31 days, else daily.
  const weekly = period.to.getTime() - period.from.getTime() > 31 * 86_400_000;
  const buckets = new Map<string, number[]>();
  for (const r of onScale) {
    const key = weekly ? weekKey(r.createdAt) : dayKey(r.createdAt);
    buckets.set(key, [...(buckets.get(key) ?? []), r.score]);
  }
  const overTime = [...buckets.entries()].map(([date, scores]) => ({ date, score: scoreOf(scale, scores)!, responses: scores.length }));

  const byProduct = new Map<string, { productId: string; title: string; scores: number[] }>();
  for (const r of onScale) {
    for (const p of productsOf(r)) {
      const entry = byProduct.get(p.productId) ?? { productId: p.productId, title: p.title, scores: [] };
      entry.scores.push(r.score);
      byProduct.set(p.productId, entry);
    }
  }
  const products = [...byProduct.values()]
    .map((p) => ({
      productId: p.productId,
      title: p.title,
      responses: p.scores.length,
      average: Math.round((p.scores.reduce((s, x) => s + x, 0) / p.scores.length) * 10) / 10,
      score: scoreOf(scale, p.scores)!,
    }))
    .sort((a, b) => a.average - b.average || b.responses - a.responses);

  const sources = new Map<string, number>();
  for (const r of responses) if (r.source) sources.set(r.source, (sources.get(r.source) ?? 0) + 1);

  const { min, max } = SCALE_RANGE[scale];
  const distribution = Array.from({ length: max - min + 1 }, (_, i) => ({
    score: min + i,
    count: onScale.filter((r) => r.score === min + i).length,
  }));

  return {
    scale,
    responses: responses.length,
    orders,
    // Of the orders placed in the period, the share that were answered (whenever).
    responseRate: responseRate(orders, answered),
    score: scoreOf(scale, onScale.map((r) => r.score)),
    overTime,
    distribution,
    products,
    sources: [...sources.entries()].map(([answer, count]) => ({ answer, count })).sort((a, b) => b.count - a.count),
  };
}

export function latestComments(db: Db, shopId: string, take = 10) {
  return db.surveyResponse.findMany({
    where: { shopId, comment: { not: null } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, orderId: true, orderName: true, score: true, scale: true, comment: true, createdAt: true },
  });
}
