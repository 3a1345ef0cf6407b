// The results dashboard (the app's home page) on a store with 1,000,000
// orders in the last year: the loader's figures — buildDashboard and the
// recent activity — timed for the 30-day and the 365-day period, each part
// on its own too so a slow query shows where it is. PostgreSQL only: the
// store is seeded with set-based SQL (generate_series) in seconds.
//
// The store: 250,000 customers, 1M orders (a fifth guests', 2 % cancelled)
// with their earn entries, redemptions, offer impressions, clicks and
// conversions, thank-you and review emails, survey answers. DailyStat and
// WindowStat start empty: the first load computes and stores the closed days
// and the closed parts of the distinct-customer figures (timed apart), as it
// would on the first visit after install; the timed loads then read them, as
// every load after the nightly job does.
import pg from "pg";
import type { Db } from "../app/db.server.ts";
import { recentActivity } from "../app/models/ledger.server.ts";
import { dailyFigures, membership } from "../app/models/results.server.ts";
import { activeMembersInPeriod, repeatCustomersInPeriod } from "../app/models/results-window.server.ts";
import { buildDashboard } from "../app/services/results/dashboard.server.ts";
import { periodFor, type PeriodKey } from "../app/services/results/period.ts";
import { emailResults, offersResults, rewardsResults, satisfactionResults } from "../app/services/results/sections.server.ts";
import { dropDatabase, freshDatabase, openDb } from "./db.ts";
import { FULL_ORDERS } from "./offers.ts";
import { round, runLoad, type LoadResult } from "./stats.ts";

const SHOP = "bench-results.myshopify.com";

export interface DashboardResult {
  provider: "postgresql";
  orders: number;
  /** First load of the 365-day page: computes and stores 730 closed days. */
  firstLoadMs: number;
  periods: { period: PeriodKey; loader: LoadResult; parts: Record<string, number> }[];
}

/** Seeds the store with set-based SQL; `at(i)` spreads order i over the year before now. */
async function seed(url: string, orders: number, log: (s: string) => void) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const customers = Math.round(orders / 4);
  const at = (i: string) => `now() - ((${orders} - ${i})::float / ${orders}) * interval '365 days'`;
  const customerOf = (i: string) => `'c' || ((${i}::bigint * 2654435761) % ${customers})`;
  const steps: [string, string][] = [
    ["shop", `INSERT INTO "Shop" (id, name, "updatedAt") VALUES ('${SHOP}', 'Bench results', now())`],
    [
      "customers",
      `INSERT INTO "Customer" (id, "shopId", "shopifyId", email, "searchText", balance, "createdAt", "updatedAt")
       SELECT 'c' || i, '${SHOP}', 'gid://shopify/Customer/' || i, 'c' || i || '@example.com', 'c' || i || '@example.com', (i * 37) % 2000,
              now() - (i::float / ${customers}) * interval '400 days', now()
       FROM generate_series(0, ${customers - 1}) i`,
    ],
    [
      "orders",
      `INSERT INTO "OrderAward" (id, "shopId", "orderId", "customerId", status, "currencyCode", "merchandiseTotal", rate, rounding, "pointsAwarded", lines, "createdAt", "updatedAt")
       SELECT 'o' || i, '${SHOP}', 'gid://shopify/Order/' || i,
              CASE WHEN i % 5 = 0 THEN NULL ELSE ${customerOf("i")} END,
              CASE WHEN i % 5 = 0 THEN 'guest' WHEN i % 50 = 1 THEN 'cancelled' ELSE 'awarded' END,
              'USD', (20 + (i * 7919) % 180) || '.' || lpad(((i * 31) % 100)::text, 2, '0'), '1', 'floor',
              CASE WHEN i % 5 = 0 THEN 0 ELSE 20 + (i * 7919) % 180 END, '[]', ${at("i")}, now()
       FROM generate_series(1::bigint, ${orders}) i`,
    ],
    [
      "earn entries",
      `INSERT INTO "LedgerEntry" (id, "shopId", "customerId", type, points, "balanceAfter", "sourceType", "sourceId", "idempotencyKey", "createdAt")
       SELECT 'e' || o.id, o."shopId", o."customerId", 'earn', o."pointsAwarded", 0, 'order', o."orderId", 'earn:' || o."orderId", o."createdAt"
       FROM "OrderAward" o WHERE o."customerId" IS NOT NULL AND o.status = 'awarded'`,
    ],
    ["rewards", `INSERT INTO "Reward" (id, "shopId", title, kind, "pointsCost", value, "updatedAt") VALUES ('r1', '${SHOP}', '$5 off', 'amount_off', 500, '5.00', now()), ('r2', '${SHOP}', '10% off', 'percentage_off', 800, '10', now()), ('r3', '${SHOP}', 'Free shipping', 'free_shipping', 300, NULL, now())`],
    [
      "redemptions",
      `INSERT INTO "Redemption" (id, "shopId", "customerId", "rewardId", "requestId", status, "pointsCost", source, code, snapshot, "orderId", "usedAt", "createdAt", "updatedAt")
       SELECT 'rd' || i, '${SHOP}', ${customerOf("i")}, 'r' || (1 + i % 3), 'req' || i, CASE WHEN i % 2 = 0 THEN 'used' ELSE 'issued' END, 500, 'customer', 'ENC-' || i, '{}',
              CASE WHEN i % 2 = 0 THEN 'gid://shopify/Order/' || (i + 7) END, CASE WHEN i % 2 = 0 THEN ${at("(i + 7)")} END, ${at("i")}, now()
       FROM generate_series(1::bigint, ${orders} - 8, 50) i`,
    ],
    [
      "redeem entries",
      `INSERT INTO "LedgerEntry" (id, "shopId", "customerId", type, points, "balanceAfter", "sourceType", "sourceId", "idempotencyKey", "createdAt")
       SELECT 'x' || r.id, r."shopId", r."customerId", 'redeem', -r."pointsCost", 0, 'program', r.id, 'redeem:' || r.id, r."createdAt" FROM "Redemption" r`,
    ],
    ["offers", `INSERT INTO "Offer" (id, "shopId", name, "triggerType", "updatedAt") SELECT 'offer-' || k, '${SHOP}', 'Offer ' || k, 'any', now() FROM generate_series(0, 4) k`],
    [
      "offer impressions and clicks",
      `INSERT INTO "OfferEvent" (id, "shopId", "offerId", "productId", "orderId", surface, type, "createdAt")
       SELECT 'ev' || t || i || '-' || k, '${SHOP}', CASE WHEN k = 1 THEN 'offer-' || (i % 5) END, 'gid://shopify/Product/' || ((i * 97 + k * 13) % 10000),
              'gid://shopify/Order/' || i, 'thank_you', t, ${at("i")}
       FROM generate_series(1::bigint, ${orders}) i, generate_series(1, 2) k, (VALUES ('impression'), ('click')) v(t)
       WHERE i % 5 < 3 AND (t = 'impression' OR (k = 1 AND i % 100 < 3))`,
    ],
    [
      "offer conversions",
      `INSERT INTO "OfferConversion" (id, "shopId", "offerId", "orderId", "attributionKey", revenue, "currencyCode", "createdAt")
       SELECT 'cv' || i, '${SHOP}', 'offer-' || (i % 5), 'gid://shopify/Order/' || (i + 3), 'offer:offer-' || (i % 5), '24.50', 'USD', ${at("(i + 3)")}
       FROM generate_series(1::bigint, ${orders} - 3, 100) i`,
    ],
    [
      "emails",
      `INSERT INTO "EmailMessage" (id, "shopId", "customerId", kind, key, "toAddress", subject, status, "sentAt", "openedAt", "clickedAt", "createdAt", "updatedAt")
       SELECT 'm' || k || o.id, o."shopId", o."customerId", k, k || ':' || o."orderId", 'buyer@example.com', 'Thanks', 'sent',
              o."createdAt" + interval '1 hour', CASE WHEN random() < 0.4 THEN o."createdAt" + interval '3 hours' END,
              CASE WHEN random() < 0.08 THEN o."createdAt" + interval '4 hours' END, o."createdAt", now()
       FROM "OrderAward" o, (VALUES ('thank_you'), ('review_request')) v(k)
       WHERE o."customerId" IS NOT NULL AND (k = 'thank_you' OR o.id LIKE '%3')`,
    ],
    [
      "survey answers",
      `INSERT INTO "SurveyResponse" (id, "shopId", "orderId", "customerId", scale, score, channel, "createdAt", "updatedAt")
       SELECT 's' || o.id, o."shopId", o."orderId", o."customerId", 'csat', 1 + (length(o.id) * 7 + ascii(right(o.id, 1))) % 5, 'thank-you', o."createdAt" + interval '1 day', now()
       FROM "OrderAward" o WHERE o.id LIKE '%17'`,
    ],
    ["analyze", `VACUUM ANALYZE`],
  ];
  for (const [name, sql] of steps) {
    const t0 = performance.now();
    const { rowCount } = await client.query(sql);
    log(`    ${name}: ${rowCount ?? 0} rows, ${round((performance.now() - t0) / 1000, 1)} s`);
  }
  await client.end();
}

const ms = async (work: () => Promise<unknown>) => {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
};

/** Each part of the loader alone, median of `runs`, so a slow one shows. */
async function timeParts(db: Db, key: PeriodKey, now: Date, runs: number) {
  const period = periodFor(key, now);
  const ctx = { db, shopId: SHOP, currencyCode: "USD", period, now };
  const parts: Record<string, () => Promise<unknown>> = {
    dailyFigures: () => dailyFigures(db, SHOP, period.from, period.to, now),
    repeatCustomers: () => repeatCustomersInPeriod(db, SHOP, period.from, period.to, now),
    activeMembers: () => activeMembersInPeriod(db, SHOP, period.from, period.to, now),
    membership: () => membership(db, SHOP),
    offersSection: () => offersResults(ctx),
    rewardsSection: () => rewardsResults(ctx),
    emailSection: () => emailResults(ctx),
    satisfactionSection: () => satisfactionResults(ctx),
    recentActivity: () => recentActivity(db, SHOP, 8),
  };
  const out: Record<string, number> = {};
  for (const [name, work] of Object.entries(parts)) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await ms(work));
    out[name] = round(times.sort((a, b) => a - b)[Math.floor(runs / 2)]);
  }
  return out;
}

export async function benchResultsDashboard(options: { scale: number; runs: number; log: (s: string) => void }): Promise<DashboardResult> {
  const { log } = options;
  const name = "encore_bench_results";
  const url = freshDatabase("postgresql", name);
  const orders = Math.round(FULL_ORDERS * options.scale);
  const db = await openDb(url);
  try {
    log(`  seeding a store with ${orders} orders…`);
    await seed(url, orders, log);
    const shop = { id: SHOP, currencyCode: "USD" };
    const now = new Date();
    // The home page's loader, minus authentication.
    const loader = (key: PeriodKey) => Promise.all([buildDashboard(db, shop, key, now), recentActivity(db, SHOP, 8)]);
    const firstLoadMs = round(await ms(() => loader("365d")));
    log(`  first 365-day load (stores ${await db.dailyStat.count()} DailyStat and ${await db.windowStat.count()} WindowStat rows): ${firstLoadMs} ms`);
    const periods: DashboardResult["periods"] = [];
    for (const key of ["30d", "365d"] as const) {
      // Warm-up; a page slow enough to be a finding is timed fewer times (about a minute's worth).
      const warm = await ms(() => loader(key));
      const runs = Math.max(5, Math.min(options.runs, Math.ceil(60_000 / warm)));
      const result = await runLoad(runs, 1, async () => (await loader(key), true));
      const parts = await timeParts(db, key, now, 5);
      log(`  ${key}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; parts (median ms) ${JSON.stringify(parts)}`);
      periods.push({ period: key, loader: result, parts });
    }
    return { provider: "postgresql", orders, firstLoadMs, periods };
  } finally {
    await db.$disconnect();
    // BENCH_KEEP=1 leaves the seeded store for EXPLAIN ANALYZE sessions.
    if (!process.env.BENCH_KEEP) dropDatabase("postgresql", name);
  }
}
