// A/B tests between two offers, or an offer and a holdout (no offer shown).
// Orders are split by a stable hash of the order id (./ab.ts); exposure is an
// order that saw the arm; conversion an order that used the arm's code (or,
// for a holdout, a later order of the same customer with the tested products).
import type { Db } from "../../db.server";
import { invalidateOffersData } from "../../models/offers.server";
import { cachedShopData } from "../cache.server";
import { formatMilli, toMilli } from "../money";
import { armFor, verdict, wilson, type Arm, type ArmResult } from "./ab";
import type { OfferRule } from "./engine";

/** The product id recorded for a holdout exposure (nothing was shown). */
export const HOLDOUT_PRODUCT = "holdout";

export type TestRow = NonNullable<Awaited<ReturnType<Db["offerTest"]["findFirst"]>>>;

/** The shop's running tests (what the recommender reads of them), through the per-shop cache. */
export function runningTests(db: Db, shopId: string): Promise<RunningTest[]> {
  return cachedShopData(db, shopId, "offer-tests", () =>
    db.offerTest.findMany({ where: { shopId, status: "running" }, select: { id: true, offerAId: true, offerBId: true, splitB: true } }),
  );
}

export type RunningTest = Pick<TestRow, "id" | "offerAId" | "offerBId" | "splitB">;

export interface ArmAssignment {
  testId: string;
  arm: Arm;
  /** The offer shown, or null for a holdout. */
  offerId: string | null;
}

/**
 * For the recommender: swaps a matched rule for its test arm. Returns the rule
 * to show (arm a's, arm b's) or null for a holdout, and notes the assignment.
 */
export function armResolver(tests: RunningTest[], rules: OfferRule[], unitId: string, assignments: ArmAssignment[]) {
  const byId = new Map(rules.map((r) => [r.id, r]));
  return (rule: OfferRule): OfferRule | null => {
    const test = tests.find((t) => t.offerAId === rule.id || t.offerBId === rule.id);
    if (!test) return rule;
    const arm = armFor(test.id, unitId, test.splitB);
    const offerId = arm === "a" ? test.offerAId : test.offerBId;
    if (!assignments.some((a) => a.testId === test.id)) assignments.push({ testId: test.id, arm, offerId });
    if (!offerId) return null;
    const shown = byId.get(offerId);
    // The arm's offer is shown with its own products and discount, on the
    // trigger of whichever arm matched.
    return shown ? { ...shown, enabled: true } : null;
  };
}

export type TestInput = { name: string; offerAId: string; offerBId: string | null; splitB: number };

export async function validateTest(db: Db, shopId: string, form: FormData) {
  const errors: Record<string, string> = {};
  const name = String(form.get("name") ?? "").trim();
  if (!name) errors.name = "Give the test a name";
  const offerAId = String(form.get("offerAId") ?? "");
  const bText = String(form.get("offerBId") ?? "holdout");
  const offerBId = bText === "holdout" ? null : bText;
  const splitB = Number(form.get("splitB") ?? 50);
  if (!Number.isInteger(splitB) || splitB < 1 || splitB > 99) errors.splitB = "Split is a whole percentage from 1 to 99";
  const offers = await db.offer.findMany({ where: { shopId, id: { in: [offerAId, ...(offerBId ? [offerBId] : [])] } } });
  if (!offers.some((o) => o.id === offerAId)) errors.offerAId = "Choose the offer to test";
  if (offerBId && !offers.some((o) => o.id === offerBId)) errors.offerBId = "Choose the other offer, or a holdout";
  if (offerBId && offerBId === offerAId) errors.offerBId = "Choose a different offer than arm A";
  const busy = await db.offerTest.findFirst({
    where: { shopId, status: "running", OR: [{ offerAId: { in: [offerAId, offerBId ?? ""] } }, { offerBId: { in: [offerAId, offerBId ?? ""] } }] },
  });
  if (busy) errors.offerAId = `An offer is already in the running test "${busy.name}"`;
  if (Object.keys(errors).length) return { ok: false as const, errors };
  return { ok: true as const, value: { name, offerAId, offerBId, splitB } };
}

export async function startTest(db: Db, shopId: string, input: TestInput) {
  const test = await db.offerTest.create({ data: { shopId, ...input } });
  invalidateOffersData(db, shopId);
  return test;
}

/**
 * Ends a test and keeps the winner: the losing offer is switched off (a
 * holdout winning means the tested offer is switched off).
 */
export async function endTest(db: Db, shopId: string, testId: string, winner: Arm) {
  const test = await db.offerTest.findFirst({ where: { id: testId, shopId } });
  if (!test || test.status !== "running") return null;
  const loser = winner === "a" ? test.offerBId : test.offerAId;
  const ended = await db.$transaction(async (tx) => {
    if (loser) await tx.offer.updateMany({ where: { id: loser, shopId }, data: { enabled: false } });
    const keep = winner === "a" ? test.offerAId : test.offerBId;
    if (keep) await tx.offer.updateMany({ where: { id: keep, shopId }, data: { enabled: true } });
    return tx.offerTest.update({ where: { id: test.id }, data: { status: "ended", winner, endedAt: new Date() } });
  });
  invalidateOffersData(db, shopId);
  return ended;
}

export async function testResults(db: Db, test: TestRow): Promise<{ a: ArmResult; b: ArmResult; leader: Arm | null; significant: boolean }> {
  const [exposures, conversions] = await Promise.all([
    db.offerEvent.groupBy({ by: ["arm", "orderId"], where: { shopId: test.shopId, testId: test.id, type: "impression" } }),
    db.offerConversion.findMany({ where: { shopId: test.shopId, testId: test.id }, select: { arm: true, revenue: true, orderId: true } }),
  ]);
  const arm = (name: Arm): ArmResult => {
    const n = exposures.filter((e) => e.arm === name).length;
    const converted = conversions.filter((c) => c.arm === name);
    const orders = new Set(converted.map((c) => c.orderId)).size;
    const ci = wilson(Math.min(orders, n), n);
    return {
      arm: name,
      exposures: n,
      conversions: orders,
      revenue: formatMilli(converted.reduce((s, c) => s + toMilli(c.revenue), 0n)),
      rate: ci.rate,
      low: ci.low,
      high: ci.high,
    };
  };
  const a = arm("a");
  const b = arm("b");
  return { a, b, ...verdict(a, b) };
}
