// Reporting periods for the results dashboard. Pure: the page, the CSV
// exports and the queries all agree on what "the last 30 days" means.
//
// Days are UTC calendar days. A period of N days ends with today (partial)
// and starts N−1 days earlier; the comparison period is the N days before it.

export const PERIODS = {
  "7d": { days: 7, label: "Last 7 days" },
  "30d": { days: 30, label: "Last 30 days" },
  "90d": { days: 90, label: "Last 90 days" },
  "365d": { days: 365, label: "Last 12 months" },
} as const;

export type PeriodKey = keyof typeof PERIODS;
export const DEFAULT_PERIOD: PeriodKey = "30d";

export interface Period {
  key: PeriodKey;
  label: string;
  /** Inclusive start (00:00 UTC of the first day). */
  from: Date;
  /** Exclusive end (00:00 UTC of the day after today). */
  to: Date;
  previousFrom: Date;
  previousTo: Date;
  /** Every day of the period, "YYYY-MM-DD". */
  days: string[];
}

const DAY_MS = 86_400_000;

export const dayOf = (date: Date) => date.toISOString().slice(0, 10);
export const startOfDay = (day: string) => new Date(`${day}T00:00:00.000Z`);
export const addDays = (date: Date, n: number) => new Date(date.getTime() + n * DAY_MS);

export function parsePeriodKey(value: string | null | undefined): PeriodKey {
  return value && value in PERIODS ? (value as PeriodKey) : DEFAULT_PERIOD;
}

export function periodFor(key: PeriodKey, now: Date): Period {
  const { days, label } = PERIODS[key];
  const to = addDays(startOfDay(dayOf(now)), 1);
  const from = addDays(to, -days);
  return { key, label, from, to, previousFrom: addDays(from, -days), previousTo: from, days: daysBetween(from, to) };
}

/** "YYYY-MM-DD" of every day in [from, to). */
export function daysBetween(from: Date, to: Date): string[] {
  const out: string[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += DAY_MS) out.push(dayOf(new Date(t)));
  return out;
}

export interface Change {
  current: number;
  previous: number;
  /** Relative change in percent, null when there is nothing to compare with. */
  percent: number | null;
  direction: "up" | "down" | "flat";
}

export function change(current: number, previous: number): Change {
  const direction = current > previous ? "up" : current < previous ? "down" : "flat";
  const percent = previous === 0 ? (current === 0 ? 0 : null) : Math.round(((current - previous) / Math.abs(previous)) * 1000) / 10;
  return { current, previous, percent, direction };
}

/** A share as a percentage with one decimal, 0 when the base is empty. */
export function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

/**
 * Sums daily values into chart buckets: days for periods up to 90 days,
 * weeks (starting on the period's first day) beyond.
 */
export function bucketSeries(days: string[], values: Map<string, number>): { key: string; value: number }[] {
  const size = days.length > 90 ? 7 : 1;
  const out: { key: string; value: number }[] = [];
  for (let i = 0; i < days.length; i += size) {
    let sum = 0;
    for (const day of days.slice(i, i + size)) sum += values.get(day) ?? 0;
    out.push({ key: days[i], value: sum });
  }
  return out;
}
