// Points → a single-use Shopify discount code, atomic in effect.
//
// 1. A Redemption row is created under the caller's request id and the points
//    are deducted in the same transaction (ledger `redeem:<id>:<attempt>`).
// 2. Shopify is asked for the code (bounded by a timeout).
// 3. Success records the code; a refusal, an HTTP error or a timeout gives the
//    points back (`refund:<id>:<attempt>`) and the caller a clear error.
//
// The same request id again never issues a second code: an issued redemption
// is returned as it is, a concurrent twin waits for the first, and a retry
// after an unknown outcome first looks the (deterministic) code up in Shopify.
import type { Db, Tx } from "../../db.server";
import { isUniqueViolation } from "../../models/errors";
import { appendEntry } from "../../models/ledger.server";
import {
  claimAttempt,
  findRedemption,
  getReward,
  snapshotOf,
  type RedemptionRecord,
} from "../../models/reward.server";
import type { ShopRecord } from "../../models/shop.server";
import type { AdminGraphql } from "../shop-details.server";
import { discountCodesOf, type OrderPayload } from "../webhooks/payloads";
import { gid } from "../shopify-json";
import type { RewardSnapshot } from "./catalog";
import { createDiscountCode, DEFAULT_TIMEOUT_MS, deterministicCode, findDiscountByCode } from "./discounts.server";

export type RedemptionErrorCode =
  | "invalid_request"
  | "not_found"
  | "inactive"
  | "insufficient_points"
  | "shopify_rejected"
  | "shopify_unavailable"
  | "in_progress";

const STATUS_OF: Record<RedemptionErrorCode, number> = {
  invalid_request: 400,
  not_found: 404,
  inactive: 409,
  insufficient_points: 409,
  shopify_rejected: 422,
  shopify_unavailable: 503,
  in_progress: 409,
};

export class RedemptionError extends Error {
  readonly status: number;
  constructor(
    readonly code: RedemptionErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS_OF[code];
  }
}

export interface RedeemInput {
  shop: ShopRecord;
  /** Encore's Customer.id. */
  customerId: string;
  rewardId: string;
  /** Chosen by the client once per intent; retries reuse it. */
  requestId: string;
  source: "customer" | "admin";
  /** False when a merchant gives the reward without taking points. */
  deductPoints: boolean;
  actor?: string | null;
  now?: Date;
  timeoutMs?: number;
  /** How long a twin request waits for an attempt in flight. */
  waitMs?: number;
}

export interface RedemptionView {
  id: string;
  status: string;
  code: string | null;
  title: string;
  pointsCost: number;
  deductPoints: boolean;
  endsAt: string | null;
  createdAt: string;
  usedAt: string | null;
}

const REQUEST_ID = /^[A-Za-z0-9_-]{8,100}$/;
const DAY_MS = 86_400_000;
/** An attempt still pending after this long belongs to a process that died. */
const STALE_MS = 120_000;

export function viewOf(r: RedemptionRecord): RedemptionView {
  const snapshot = JSON.parse(r.snapshot) as RewardSnapshot;
  const showCode = r.status === "issued" || r.status === "used";
  return {
    id: r.id,
    status: r.status,
    code: showCode ? r.code : null,
    title: snapshot.title,
    pointsCost: r.pointsCost,
    deductPoints: r.deductPoints,
    endsAt: r.endsAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    usedAt: r.usedAt?.toISOString() ?? null,
  };
}

/** Locks the customer row and fails unless the balance covers `cost`. */
async function takePoints(tx: Tx, shop: ShopRecord, r: { id: string; customerId: string; pointsCost: number; title: string }, attempt: number, actor: string | null) {
  const { balance } = await tx.customer.update({
    where: { id: r.customerId },
    data: { balance: { increment: 0 } },
    select: { balance: true },
  });
  if (balance < r.pointsCost) {
    throw new RedemptionError("insufficient_points", `This reward costs ${r.pointsCost} points; the balance is ${balance}.`);
  }
  await appendEntry(tx, {
    shopId: shop.id,
    customerId: r.customerId,
    type: "redeem",
    points: -r.pointsCost,
    sourceType: "redemption",
    sourceId: r.id,
    idempotencyKey: `redeem:${r.id}:${attempt}`,
    reason: `Redeemed: ${r.title}`,
    actor,
    allowNegative: false,
  });
}

function givePointsBack(tx: Tx, shop: ShopRecord, r: RedemptionRecord, attempt: number, why: string) {
  return appendEntry(tx, {
    shopId: shop.id,
    customerId: r.customerId,
    type: "reverse",
    points: r.pointsCost,
    sourceType: "redemption",
    sourceId: r.id,
    idempotencyKey: `refund:${r.id}:${attempt}`,
    reason: `Points returned: ${why}`,
    actor: r.actor,
    allowNegative: true,
  });
}

/** Ends the pending attempt `attempt` as failed/unknown, returning its points, once. */
async function settleFailure(db: Db, shop: ShopRecord, r: RedemptionRecord, attempt: number, status: "failed" | "unknown", message: string) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.redemption.updateMany({
      where: { id: r.id, status: "pending", attempt },
      data: { status, error: message.slice(0, 1000) },
    });
    if (count === 1 && r.deductPoints) await givePointsBack(tx, shop, r, attempt, message.slice(0, 200));
  });
}

async function createRow(db: Db, input: RedeemInput, requestKey: string, code: string) {
  const { shop } = input;
  const [reward, customer] = await Promise.all([
    getReward(db, shop.id, input.rewardId),
    db.customer.findFirst({ where: { id: input.customerId, shopId: shop.id } }),
  ]);
  if (!reward || !customer || customer.redactedAt) throw new RedemptionError("not_found", "That reward is not available.");
  if (!reward.active) throw new RedemptionError("inactive", "That reward is no longer offered.");
  const snapshot = snapshotOf(reward);
  return db.$transaction(async (tx) => {
    const row = await tx.redemption.create({
      data: {
        shopId: shop.id,
        customerId: customer.id,
        rewardId: reward.id,
        requestId: requestKey,
        status: "pending",
        pointsCost: input.deductPoints ? reward.pointsCost : 0,
        deductPoints: input.deductPoints,
        source: input.source,
        actor: input.actor ?? null,
        code,
        snapshot: JSON.stringify(snapshot),
      },
    });
    if (input.deductPoints) {
      await takePoints(tx, shop, { id: row.id, customerId: customer.id, pointsCost: reward.pointsCost, title: reward.title }, 1, input.actor ?? null);
    }
    return row;
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Redeems a reward for a customer; see the module comment for the guarantees. */
export async function redeemReward(db: Db, graphql: AdminGraphql, input: RedeemInput): Promise<RedemptionView> {
  const { shop } = input;
  if (!REQUEST_ID.test(input.requestId)) throw new RedemptionError("invalid_request", "A request id (8–100 letters, digits, - or _) is required.");
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Request ids are the client's: namespaced per customer so that two
  // customers can never meet on one.
  const requestKey = `${input.customerId}:${input.requestId}`;
  const code = deterministicCode("ENC", shop.id, requestKey);

  let row: RedemptionRecord | null = await findRedemption(db, shop.id, requestKey);
  if (!row) {
    try {
      row = await createRow(db, input, requestKey, code);
      return await attempt(db, graphql, shop, row, 1, false, timeoutMs, input.now ?? new Date());
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A twin request created it first.
      row = await findRedemption(db, shop.id, requestKey);
      if (!row) throw error;
    }
  }
  return resume(db, graphql, input, row, timeoutMs);
}

/** The same request again: return, wait for, or retry the earlier attempt. */
async function resume(db: Db, graphql: AdminGraphql, input: RedeemInput, first: RedemptionRecord, timeoutMs: number): Promise<RedemptionView> {
  const { shop } = input;
  const deadline = Date.now() + (input.waitMs ?? timeoutMs + 2_000);
  let row = first;
  for (;;) {
    if (row.status === "issued" || row.status === "used") return viewOf(row);
    const stale = row.status === "pending" && Date.now() - row.updatedAt.getTime() > STALE_MS;
    if (row.status === "pending" && !stale) {
      if (Date.now() >= deadline) throw new RedemptionError("in_progress", "This reward is still being issued. Try again in a moment.");
      await sleep(50);
      row = (await db.redemption.findUnique({ where: { id: row.id } }))!;
      continue;
    }
    // failed, unknown, or a pending attempt whose process died: try again,
    // claiming the next attempt so that concurrent retries run it once.
    const previous = row;
    const next = previous.attempt + 1;
    const claimed = await db.$transaction(async (tx) => {
      if (!(await claimAttempt(tx, previous.id, previous))) return false;
      if (previous.deductPoints) {
        if (stale) await givePointsBack(tx, shop, previous, previous.attempt, "the earlier attempt did not finish");
        const snapshot = JSON.parse(previous.snapshot) as RewardSnapshot;
        await takePoints(tx, shop, { ...previous, title: snapshot.title }, next, previous.actor);
      }
      return true;
    });
    if (!claimed) {
      row = (await db.redemption.findUnique({ where: { id: row.id } }))!;
      continue;
    }
    const current = (await db.redemption.findUnique({ where: { id: row.id } }))!;
    // Unless Shopify certainly refused, the earlier attempt may have created the code.
    return attempt(db, graphql, shop, current, next, previous.status !== "failed", timeoutMs, input.now ?? new Date());
  }
}

async function attempt(
  db: Db,
  graphql: AdminGraphql,
  shop: ShopRecord,
  row: RedemptionRecord,
  n: number,
  lookUpFirst: boolean,
  timeoutMs: number,
  now: Date,
): Promise<RedemptionView> {
  const snapshot = JSON.parse(row.snapshot) as RewardSnapshot;
  const customer = await db.customer.findUnique({ where: { id: row.customerId }, select: { shopifyId: true } });
  if (!customer) throw new RedemptionError("not_found", "That customer no longer exists.");
  let discountId: string | null = null;
  if (lookUpFirst) {
    try {
      discountId = await findDiscountByCode(graphql, row.code, timeoutMs);
    } catch (error) {
      const message = `Shopify could not be reached (${(error as Error).message}).`;
      await settleFailure(db, shop, row, n, "unknown", message);
      throw new RedemptionError("shopify_unavailable", "We couldn't reach the store to issue your code. Your points were returned; please try again.");
    }
  }
  const endsAt = snapshot.expiryDays ? new Date(now.getTime() + snapshot.expiryDays * DAY_MS) : null;
  if (!discountId) {
    const outcome = await createDiscountCode(
      graphql,
      {
        title: `Encore reward: ${snapshot.title}`,
        code: row.code,
        kind: snapshot.kind,
        value: snapshot.value,
        productId: snapshot.productId,
        minimumSubtotal: snapshot.minimumSubtotal,
        startsAt: now,
        endsAt,
        customerGid: customer.shopifyId,
      },
      timeoutMs,
    );
    if (outcome.status === "rejected") {
      await settleFailure(db, shop, row, n, "failed", outcome.message);
      throw new RedemptionError("shopify_rejected", `The store could not create this reward (${outcome.message}). Your points were returned.`);
    }
    if (outcome.status === "unknown") {
      await settleFailure(db, shop, row, n, "unknown", outcome.message);
      throw new RedemptionError("shopify_unavailable", "We couldn't reach the store to issue your code. Your points were returned; please try again.");
    }
    discountId = outcome.discountId;
  }
  const { count } = await db.redemption.updateMany({
    where: { id: row.id, status: "pending", attempt: n },
    data: { status: "issued", discountId, endsAt, error: null },
  });
  const saved = (await db.redemption.findUnique({ where: { id: row.id } }))!;
  if (count !== 1 && saved.status !== "issued" && saved.status !== "used") {
    throw new RedemptionError("in_progress", "This reward is still being issued. Try again in a moment.");
  }
  return viewOf(saved);
}

/**
 * orders/paid: a code Encore issued was used. Marks the redemption used (with
 * the order). A code whose issue timed out (points returned) but which Shopify
 * did create is charged now, so nobody gets a reward for free.
 */
export async function markCodesUsed(db: Db, shop: ShopRecord, order: OrderPayload, codes = discountCodesOf(order)) {
  if (!codes.length) return { used: 0 };
  const orderId = gid("Order", order.id);
  const rows = await db.redemption.findMany({ where: { shopId: shop.id, code: { in: codes }, status: { not: "used" } } });
  let used = 0;
  for (const r of rows) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.redemption.updateMany({
        where: { id: r.id, status: r.status, attempt: r.attempt },
        data: { status: "used", orderId, usedAt: new Date() },
      });
      if (count !== 1) return;
      used++;
      if (r.deductPoints && (r.status === "unknown" || r.status === "failed")) {
        const snapshot = JSON.parse(r.snapshot) as RewardSnapshot;
        await appendEntry(tx, {
          shopId: shop.id,
          customerId: r.customerId,
          type: "redeem",
          points: -r.pointsCost,
          sourceType: "redemption",
          sourceId: r.id,
          idempotencyKey: `redeem:${r.id}:used`,
          reason: `Redeemed: ${snapshot.title} (code used on order ${order.name ?? order.id})`,
          allowNegative: shop.allowNegativeBalance,
        });
      }
    });
  }
  return { used };
}
