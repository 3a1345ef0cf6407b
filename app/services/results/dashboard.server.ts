// The results dashboard: what post-purchase engagement earned the merchant in
// a period, compared with the period before. Figures come from tested model
// queries (app/models/results.server.ts); this module only assembles them.
//
// Features add their own section (offers, emails, satisfaction, rewards) by
// appending a ResultsProvider to `providers` below; a provider returns null
// when its feature has nothing to show yet, and the page then explains what
// to set up.
import type { Db } from "../../db.server";
import { dailyFigures, membership, periodTotals, series, total, type DayFigures } from "../../models/results.server";
import { activeMembersInPeriod, repeatCustomersInPeriod } from "../../models/results-window.server";
import { formatMilli } from "../money";
import { bucketSeries, change, periodFor, rate, type Change, type Period, type PeriodKey } from "./period";
import { emailResults, offersResults, rewardsResults, satisfactionResults } from "./sections.server";

export interface Figure {
  id: string;
  label: string;
  help: string;
  format: "number" | "percent" | "money" | "points";
  /** Money as a decimal string; everything else as a number. */
  value: number | string;
  change: Change | null;
}

export interface Table {
  id: string;
  title: string;
  columns: { key: string; label: string; numeric?: boolean }[];
  rows: Record<string, string | number>[];
}

export interface Chart {
  id: string;
  title: string;
  series: { name: string; data: { key: string; value: number }[] }[];
}

export interface ResultsSection {
  id: string;
  title: string;
  figures: Figure[];
  charts: Chart[];
  tables: Table[];
}

export interface ResultsContext {
  db: Db;
  shopId: string;
  currencyCode: string;
  period: Period;
  now: Date;
}

export type ResultsProvider = (ctx: ResultsContext) => Promise<ResultsSection | null>;

export interface Dashboard {
  period: { key: PeriodKey; label: string; from: string; to: string };
  currencyCode: string;
  hasData: boolean;
  headline: Figure[];
  charts: Chart[];
  tables: Table[];
  sections: ResultsSection[];
}

const isIssued = (m: string) => m.startsWith("points+:");
const pointsOut = (type: string) => `points-:${type}`;

function figure(id: string, label: string, help: string, format: Figure["format"], current: number, previous: number | null): Figure {
  return { id, label, help, format, value: current, change: previous === null ? null : change(current, previous) };
}

/** The loyalty program's own figures: orders, repeat purchases, members, points. */
async function programSection(ctx: ResultsContext): Promise<Omit<Dashboard, "period" | "currencyCode" | "sections">> {
  const { db, shopId, period, now } = ctx;
  const [current, previousTotals, repeatNow, repeatBefore, activeNow, activeBefore, members] = await Promise.all([
    dailyFigures(db, shopId, period.from, period.to, now),
    periodTotals(db, shopId, "program", period.previousFrom, period.previousTo, now),
    repeatCustomersInPeriod(db, shopId, period.from, period.to, now),
    repeatCustomersInPeriod(db, shopId, period.previousFrom, period.previousTo, now),
    activeMembersInPeriod(db, shopId, period.from, period.to, now),
    activeMembersInPeriod(db, shopId, period.previousFrom, period.previousTo, now),
    membership(db, shopId),
  ]);
  // The previous period is only ever summed: one "day" holding its totals.
  const previous = new Map([["previous", previousTotals]]);
  const n = (figures: Map<string, DayFigures>, metric: string | ((m: string) => boolean)) => Number(total(figures, metric));
  const repeatRate = rate(repeatNow.repeat, repeatNow.customers);
  const memberRevenue = total(current, "member_revenue_milli");

  const headline: Figure[] = [
    figure("repeat_rate", "Repeat-purchase rate", "Customers who ordered in the period and have ordered at least twice", "percent", repeatRate, rate(repeatBefore.repeat, repeatBefore.customers)),
    figure("orders", "Orders", "Paid orders received (cancelled orders excluded)", "number", n(current, "orders"), n(previous, "orders")),
    {
      id: "member_revenue",
      label: "Revenue from members",
      help: "Merchandise after discounts in members' orders",
      format: "money",
      value: formatMilli(memberRevenue),
      change: change(Number(memberRevenue) / 1000, Number(total(previous, "member_revenue_milli")) / 1000),
    },
    figure("members", "Members", "Customers with a points account today", "number", members.members, null),
    figure("active_members", "Active members", "Members who earned, spent or lost points in the period", "number", activeNow, activeBefore),
    figure("points_issued", "Points issued", "Points credited: orders, bonuses and additions", "points", n(current, isIssued), n(previous, isIssued)),
    figure("points_redeemed", "Points redeemed", "Points spent on rewards", "points", n(current, pointsOut("redeem")), n(previous, pointsOut("redeem"))),
    figure("points_outstanding", "Points outstanding", "Spendable points held in balances today", "points", members.pointsOutstanding, null),
  ];
  // Only shops with a return window hold points back.
  if (members.pointsPending > 0) {
    headline.push(figure("points_pending", "Points pending", "Points inside the return window, not yet spendable", "points", members.pointsPending, null));
  }

  const chart = (id: string, title: string, lines: [string, string | ((m: string) => boolean)][]): Chart => ({
    id,
    title,
    series: lines.map(([name, metric]) => ({ name, data: bucketSeries(period.days, series(current, metric)) })),
  });
  const charts = [
    chart("orders", "Orders", [
      ["All orders", "orders"],
      ["Members' orders", "member_orders"],
    ]),
    chart("points", "Points", [
      ["Issued", isIssued],
      ["Redeemed", pointsOut("redeem")],
      ["Reversed", pointsOut("reverse")],
      ["Expired", pointsOut("expire")],
    ]),
  ];

  const daily: Table = {
    id: "daily",
    title: "Day by day",
    columns: [
      { key: "day", label: "Day" },
      { key: "orders", label: "Orders", numeric: true },
      { key: "member_orders", label: "Members' orders", numeric: true },
      { key: "revenue", label: "Merchandise", numeric: true },
      { key: "new_members", label: "New members", numeric: true },
      { key: "issued", label: "Points issued", numeric: true },
      { key: "redeemed", label: "Points redeemed", numeric: true },
      { key: "reversed", label: "Points reversed", numeric: true },
      { key: "expired", label: "Points expired", numeric: true },
    ],
    rows: [...current]
      .sort(([a], [b]) => (a < b ? 1 : -1))
      .map(([day, f]) => {
        const one = new Map([[day, f]]);
        return {
          day,
          orders: n(one, "orders"),
          member_orders: n(one, "member_orders"),
          revenue: formatMilli(total(one, "revenue_milli")),
          new_members: n(one, "new_members"),
          issued: n(one, isIssued),
          redeemed: n(one, pointsOut("redeem")),
          reversed: n(one, pointsOut("reverse")),
          expired: n(one, pointsOut("expire")),
        };
      }),
  };
  const hasData = members.members > 0 || n(current, "orders") > 0 || n(previous, "orders") > 0;
  return { hasData, headline, charts, tables: [daily] };
}

// Feature sections, in page order.
const providers: ResultsProvider[] = [offersResults, rewardsResults, emailResults, satisfactionResults];

export async function buildDashboard(db: Db, shop: { id: string; currencyCode: string }, key: PeriodKey, now = new Date()): Promise<Dashboard> {
  const period = periodFor(key, now);
  const ctx: ResultsContext = { db, shopId: shop.id, currencyCode: shop.currencyCode, period, now };
  const [program, ...sections] = await Promise.all([programSection(ctx), ...providers.map((p) => p(ctx))]);
  return {
    period: { key, label: period.label, from: period.from.toISOString(), to: period.to.toISOString() },
    currencyCode: shop.currencyCode,
    ...program,
    sections: sections.filter((s): s is ResultsSection => s !== null),
  };
}

/** Every table of the dashboard by id, for CSV export. */
export function tableById(dashboard: Dashboard, id: string): Table | undefined {
  return [...dashboard.tables, ...dashboard.sections.flatMap((s) => s.tables)].find((t) => t.id === id);
}

/** RFC 4180 CSV: quoted where needed, CRLF line ends. */
export function toCsv(table: Table): string {
  const cell = (v: string | number) => {
    const text = String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns.map((c) => cell(c.label)).join(",")];
  for (const row of table.rows) lines.push(table.columns.map((c) => cell(row[c.key] ?? "")).join(","));
  return lines.join("\r\n") + "\r\n";
}
