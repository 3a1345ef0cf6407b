// A/B tests of offers. Pure.
//
// Each order is assigned to an arm by a stable hash of (test, order id), so
// the thank-you page and the order status page (and a reload) always show the
// same arm for the same order, with no state stored before the first view.
import { createHash } from "node:crypto";

export type Arm = "a" | "b";

/** Arm b for `splitB` percent of orders, arm a for the rest. */
export function armFor(testId: string, unitId: string, splitB: number): Arm {
  const digest = createHash("sha256").update(`${testId}:${unitId}`).digest();
  const bucket = digest.readUInt32BE(0) % 100;
  return bucket < splitB ? "b" : "a";
}

/**
 * Wilson score interval for a conversion rate (95% by default). Unlike the
 * normal approximation it stays inside [0, 1] and behaves with few orders.
 */
export function wilson(successes: number, trials: number, z = 1.959964): { rate: number; low: number; high: number } {
  if (trials <= 0) return { rate: 0, low: 0, high: 0 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const margin = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { rate: p, low: Math.max(0, centre - margin), high: Math.min(1, centre + margin) };
}

export interface ArmResult {
  arm: Arm;
  exposures: number;
  conversions: number;
  revenue: string;
  rate: number;
  low: number;
  high: number;
}

/** Which arm leads, and whether the intervals no longer overlap (a clear winner). */
export function verdict(a: ArmResult, b: ArmResult): { leader: Arm | null; significant: boolean } {
  if (a.exposures === 0 || b.exposures === 0 || a.rate === b.rate) return { leader: null, significant: false };
  const leader: Arm = a.rate > b.rate ? "a" : "b";
  const significant = leader === "a" ? a.low > b.high : b.low > a.high;
  return { leader, significant };
}
