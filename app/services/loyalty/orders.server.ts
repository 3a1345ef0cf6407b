// Orders → points. Every function is idempotent: the award (one per order),
// each refund and each ledger entry carry natural keys under unique
// constraints, so a duplicated or replayed webhook changes nothing, and
// deliveries may arrive in any order.
import type { Db, Tx } from "../../db.server";
import { customersUpsert, upsertCustomer, type CustomerData } from "../../models/customer.server";
import { cachedRules } from "../../models/earning-rule.server";
import { cachedTiers, factsOf, moveTiersQuery, tierFactsByShopifyIdQuery, type TierFacts } from "../../models/tier.server";
import { retryOnUniqueViolation } from "../../models/errors";
import { appendCredits, appendEntry, type NewEntry } from "../../models/ledger.server";
import {
  awardLines,
  awardsInsert,
  createWaitingRefund,
  customersWithAwards,
  findAward,
  findRefund,
  hasWaitingRefund,
  lockAward,
  lockOrder,
  lockOrdersStatement,
  orderStatesQuery,
  statesOf,
  refundsOfOrder,
  type NewAward,
  type RefundLine,
} from "../../models/order-award.server";
import type { ProgramSettings, ShopRecord } from "../../models/shop.server";
import { settingsOf } from "../../models/shop.server";
import { formatMilli } from "../money";
import type { AdminGraphql } from "../shop-details.server";
import { gid } from "../shopify-json";
import type { CustomerPayload, OrderPayload, RefundPayload } from "../webhooks/payloads";
import { fetchProductFacts } from "./catalog.server";
import { computeEarning, refundedMerchandise, reversalTarget } from "./earning";
import { addDays, engineProgram } from "./program";
import { cartLinesFromOrder, evaluate, needsCatalog, orderProductIds, parseTags, ruleRunsAt, type Evaluation } from "./rules";
import { recomputeTier, recomputeTiers, tierPlacement, tierWindow } from "./tiers.server";
import { directTransaction, goesDirect, withValues, type Rows, type SqlClient } from "../../db/direct";
import { isPostgres } from "../../models/sql";

/** What crediting an order needs from outside: the Admin API (product tags and collections) and a clock. */
export interface EarningDeps {
  graphql?: AdminGraphql;
  now?: () => Date;
}

/** When the order was placed: decides which campaigns and dated rules apply. */
export function orderDate(order: OrderPayload, fallback: Date): Date {
  const raw = order.processed_at ?? order.created_at;
  const date = typeof raw === "string" ? new Date(raw) : null;
  return date && !Number.isNaN(date.getTime()) ? date : fallback;
}

export type Outcome =
  | { status: "awarded"; points: number }
  | { status: "guest" | "cancelled" | "duplicate" | "waiting" | "applied"; points?: number };

export const orderGid = (order: { id: string }) => gid("Order", order.id);
const refundGid = (id: string) => gid("Refund", id);

export function customerData(c: CustomerPayload): CustomerData {
  return {
    shopifyId: gid("Customer", c.id),
    email: c.email ?? undefined,
    firstName: c.first_name ?? undefined,
    lastName: c.last_name ?? undefined,
    phone: c.phone ?? undefined,
    tags: c.tags ?? undefined,
    locale: c.locale ?? undefined,
    emailMarketingConsent:
      c.email_marketing_consent?.state ?? (c.accepts_marketing === undefined || c.accepts_marketing === null
        ? undefined
        : c.accepts_marketing
          ? "subscribed"
          : "not_subscribed"),
  };
}

const refundLines = (r: Pick<RefundPayload, "refund_line_items">): RefundLine[] =>
  r.refund_line_items.map((l) => ({ lineItemId: l.line_item_id, quantity: l.quantity }));

/**
 * Runs fn in a transaction. A unique violation means a concurrent delivery
 * wrote the same natural key first; the transaction is rolled back and run
 * again, when fn's own checks see the twin's work and report a duplicate.
 */
const once = <T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> => retryOnUniqueViolation(() => db.$transaction(fn));

/** Thrown in creditOrders' direct transaction when the batch needs Prisma's models after all (a refund waits). */
class NeedsModels extends Error {}

/**
 * once, for a transaction whose common case is raw statements only: on
 * PostgreSQL it goes directly (../../db/direct.ts), with `models` null; where
 * it finds it needs Prisma's models it throws NeedsModels, is rolled back and
 * runs again in Prisma's transaction (`models` is then that transaction). On
 * SQLite, Prisma's transaction from the start. The transaction opens with
 * `lock` (PostgreSQL: a statement without parameters) and `reads`, whose rows
 * fn gets as `opened`, one list per read, and ends with `closing`, reads made
 * from fn's result, whose rows come back with it: directly, BEGIN, the lock
 * and the opening reads go in one round trip, the closing reads and COMMIT
 * in another (see directTransaction).
 */
const onceMostlyRaw = <T>(
  db: Db,
  { lock, reads, closing }: { lock: string | null; reads: readonly Query[]; closing: (result: T) => readonly Query[] },
  fn: (tx: SqlClient, models: Tx | null, opened: Rows[]) => Promise<T>,
  needsModels: boolean,
): Promise<{ result: T; closed: Rows[] }> =>
  retryOnUniqueViolation(async () => {
    if (!needsModels && goesDirect(db)) {
      const opening = [...(lock ? [lock] : []), ...reads.map((q) => withValues(q.sql, q.params))];
      const closingStatements = (result: T) => closing(result).map((q) => withValues(q.sql, q.params));
      try {
        return await directTransaction(db, (tx, opened) => fn(tx, null, opened.slice(lock ? 1 : 0)), { opening, closing: closingStatements });
      } catch (error) {
        if (!(error instanceof NeedsModels)) throw error;
      }
    }
    return db.$transaction(async (tx) => {
      const all = async (queries: readonly Query[]) => {
        const rows: Rows[] = [];
        for (const q of queries) rows.push(await tx.$queryRawUnsafe<Rows>(q.sql, ...q.params));
        return rows;
      };
      if (lock) await tx.$executeRawUnsafe(lock);
      const result = await fn(tx, tx, await all(reads));
      return { result, closed: await all(closing(result)) };
    });
  });

type Query = { sql: string; params: readonly unknown[] };

/**
 * orders/paid: credits each order's points once, under the rules of the day
 * (see ./rules.ts). With a pending window the points are pending until
 * availableAt (see ./pending.server.ts). The award keeps the evaluation, so
 * refunds and cancellations reverse from it and never from today's rules.
 *
 * Takes a batch — concurrent deliveries handled together (see
 * ../webhooks/batch.server.ts) — and writes it with a few statements in one
 * transaction: the orders' locks, the duplicate check, the awards, the
 * ledger entries and balance moves, the waiting-refund check. What is rare
 * (refunds in the payload or waiting, tiers) goes order by order inside it.
 * One outcome per order, in order; a twin of an order in the batch is a duplicate.
 */
export async function creditOrders(db: Db, shop: ShopRecord, orders: OrderPayload[], deps: EarningDeps = {}): Promise<Outcome[]> {
  const settings = settingsOf(shop);
  const now = deps.now?.() ?? new Date();
  const [rules, tiers] = await Promise.all([cachedRules(db, shop.id), cachedTiers(db, shop.id)]);
  // Tags and collections come from the Admin API, only when a running rule needs them.
  const facts = await Promise.all(
    orders.map((order) =>
      order.customer && !order.cancelled_at && needsCatalog(rules.filter((r) => ruleRunsAt(r, orderDate(order, now))))
        ? fetchProductFacts(deps.graphql, orderProductIds(order))
        : undefined,
    ),
  );
  const orderIds = orders.map(orderGid);
  // The transaction opens with the orders' locks (see lockOrders), then the
  // batch's customers written (after the locks, as refunds/create and
  // orders/cancelled take them: order, then customer) and the duplicate
  // check — on PostgreSQL in one round trip. (A repeated delivery is rare,
  // the webhook event's own key catches most: it is told apart here.)
  // Refunds, in the payloads or waiting for the orders, are applied with
  // Prisma's models; a batch with none (nearly every one) is raw statements.
  const buyers = orders.flatMap((o) => (o.customer ? [customerData(o.customer)] : []));
  const upsert = await customersUpsert(db, shop.id, buyers);
  // Tiers. Directly, the customers' facts (their tier, their earlier awards)
  // are read in the round trip that upserts them, and so locks their rows
  // until COMMIT: every earlier transaction of theirs has committed, and no
  // other can move them meanwhile. The batch's awards are added here and the
  // moves of the members whose tier changes go with COMMIT, in its round
  // trip (they followed it in one of their own, 2 ms of a batch's 22 on 2
  // cores). With Prisma's models (refunds applied here, or SQLite) the
  // members' facts are read after the batch's writes instead.
  const window = tierWindow(shop, now);
  const tierFacts = goesDirect(db) && buyers.length
    ? tierFactsByShopifyIdQuery(shop.id, [...new Set(buyers.map((b) => b.shopifyId))], { window, heldOnly: tiers.length === 0 })
    : null;
  const statements = {
    lock: isPostgres(db) ? lockOrdersStatement(shop.id, orderIds) : null,
    reads: [...upsert.queries, orderStatesQuery(shop.id, orderIds), ...(tierFacts ? [tierFacts] : [])],
    closing: ({ moves }: { moves: readonly Query[] }) => moves,
  };
  const {
    result: { outcomes },
  } = await onceMostlyRaw(db, statements, async (tx, models, opened) => {
    const customers = upsert.saved(opened.slice(0, upsert.queries.length));
    const customerOf = (order: OrderPayload) => (order.customer ? customers.get(gid("Customer", order.customer.id))! : null);
    const { awarded: done, waiting } = statesOf(opened[upsert.queries.length]);
    if (!models && waiting.size) throw new NeedsModels();
    // Whether it is the customer's first order matters only to a first-order bonus.
    const ordered =
      shop.firstOrderBonus > 0
        ? await customersWithAwards(tx, shop.id, [...new Set(orders.map((o) => customerOf(o)?.id).filter((id): id is string => Boolean(id)))])
        : new Set<string>();
    const outcomes: Outcome[] = [];
    const awards: NewAward[] = [];
    const credits: NewEntry[] = [];
    const credited: OrderPayload[] = [];
    for (const [i, order] of orders.entries()) {
      const orderId = orderIds[i];
      if (done.has(orderId)) {
        outcomes.push({ status: "duplicate" });
        continue;
      }
      done.add(orderId);
      const customer = customerOf(order);
      const status = !customer ? "guest" : order.cancelled_at ? "cancelled" : "awarded";
      let evaluation: Evaluation | null = null;
      if (status === "awarded" && customer) {
        const tier = customer.tierId ? (tiers.find((t) => t.id === customer.tierId) ?? null) : null;
        evaluation = evaluate(
          {
            lines: cartLinesFromOrder(order, facts[i]),
            customerTags: parseTags(customer.tags),
            at: orderDate(order, now),
            firstOrder: !ordered.has(customer.id),
            tier: tier ? { name: tier.name, multiplier: tier.multiplier } : null,
          },
          engineProgram(shop, rules),
        );
      }
      if (customer) ordered.add(customer.id);
      const snapshot = evaluation ?? computeEarning(order, settings);
      const points = evaluation?.points ?? 0;
      const pending = points > 0 && shop.pendingDays > 0 ? points : 0;
      const availableAt = pending ? addDays(now, shop.pendingDays) : null;
      awards.push({
        shopId: shop.id,
        orderId,
        orderName: order.name ?? null,
        customerId: customer?.id ?? null,
        status,
        currencyCode: order.currency,
        merchandiseTotal: snapshot.merchandiseTotal,
        rate: settings.earnRate,
        rounding: settings.earnRounding,
        pointsAwarded: points,
        pointsPending: pending,
        availableAt,
        lines: JSON.stringify(snapshot.lines),
        explanation: evaluation ? JSON.stringify(evaluation.steps) : null,
        cancelledAt: order.cancelled_at ? new Date(order.cancelled_at) : null,
        createdAt: now,
      });
      if (points > 0 && customer) {
        credits.push({
          shopId: shop.id,
          customerId: customer.id,
          type: "earn",
          points: points - pending,
          pendingPoints: pending,
          availableAt,
          sourceType: "order",
          sourceId: orderId,
          idempotencyKey: `earn:${orderId}`,
          reason: order.name ? `Order ${order.name}` : null,
          allowNegative: settings.allowNegativeBalance,
          at: now,
        });
      }
      credited.push(order);
      outcomes.push(status === "awarded" ? { status, points } : { status });
    }
    // (The awards and the entries, one statement on PostgreSQL.)
    const newAwards = awardsInsert(awards);
    await appendCredits(tx, credits, newAwards);
    // Refunds delivered before these orders (waiting, read under the orders'
    // locks), or in their payloads.
    for (const order of credited) {
      if (!order.refunds?.length) continue;
      await recordRefunds(models!, shop.id, orderGid(order), order.refunds);
      waiting.add(orderGid(order));
    }
    for (const award of newAwards.rows) if (waiting.has(award.orderId)) await settleRefunds(models!, settings, award);
    const members = new Set(awards.filter((a) => a.status === "awarded" && a.customerId).map((a) => a.customerId!));
    if (models) {
      await recomputeTiers(models, shop, [...customers.values()].filter((c) => members.has(c.id)), "order", now, tiers);
      return { outcomes, moves: [] };
    }
    const { moves } = tierPlacement(shop, tiers, withAwards(factsOf(opened[upsert.queries.length + 1] ?? []), members, awards), "order", now);
    return { outcomes, moves: moves.length ? [moveTiersQuery(db, moves)] : [] };
  }, orders.some((o) => o.refunds?.length));
  return outcomes;
}

/** The members' facts as read before the batch, with the batch's awards: what reading them after its writes would give. */
function withAwards(read: TierFacts, members: Set<string>, awards: NewAward[]): TierFacts {
  const facts: TierFacts = new Map();
  for (const [id, fact] of read) if (members.has(id)) facts.set(id, fact);
  for (const a of awards) {
    if (a.status !== "awarded" || !a.customerId) continue;
    facts.get(a.customerId)?.awards.push({ pointsAwarded: a.pointsAwarded, pointsReversed: 0, merchandiseTotal: a.merchandiseTotal, merchandiseRefunded: "0" });
  }
  return facts;
}

async function recordRefunds(tx: Tx, shopId: string, orderId: string, refunds: Pick<RefundPayload, "id" | "refund_line_items">[]) {
  for (const refund of refunds) {
    const refundId = refundGid(refund.id);
    if (!(await findRefund(tx, shopId, refundId))) {
      await createWaitingRefund(tx, shopId, orderId, refundId, refundLines(refund));
    }
  }
}

/**
 * Applies the order's waiting refunds one by one, each reversing the growth of
 * the cumulative target (see reversalTarget) under its own ledger key.
 */
async function settleRefunds(tx: Tx, settings: ProgramSettings, { id: awardId, shopId, orderId }: { id: string; shopId: string; orderId: string }) {
  // Most orders have no refund: one small read tells.
  if (!(await hasWaitingRefund(tx, shopId, orderId))) return;
  let award = await lockAward(tx, awardId);
  const refunds = await refundsOfOrder(tx, shopId, orderId);
  const lines = awardLines(award);
  const refunded = new Map<string, number>();
  const addLines = (json: string) => {
    for (const l of JSON.parse(json) as RefundLine[]) refunded.set(l.lineItemId, (refunded.get(l.lineItemId) ?? 0) + l.quantity);
  };
  for (const refund of refunds) {
    addLines(refund.lines);
    if (refund.status !== "waiting") continue;
    let reversed = 0;
    if (award.status === "awarded" && award.customerId) {
      const target = reversalTarget(award.pointsAwarded, lines, refunded);
      reversed = Math.max(0, target - award.pointsReversed);
      // Points still in the return window are cancelled first.
      const fromPending = Math.min(reversed, award.pointsPending);
      if (reversed > 0) {
        await appendEntry(tx, {
          shopId: award.shopId,
          customerId: award.customerId,
          type: "reverse",
          points: -(reversed - fromPending),
          pendingPoints: -fromPending,
          sourceType: "refund",
          sourceId: refund.refundId,
          idempotencyKey: `reverse:${refund.refundId}`,
          reason: award.orderName ? `Refund on order ${award.orderName}` : "Refund",
          allowNegative: settings.allowNegativeBalance,
        });
        award = await tx.orderAward.update({
          where: { id: award.id },
          data: { pointsReversed: { increment: reversed }, pointsPending: { decrement: fromPending } },
        });
      }
    }
    award = await tx.orderAward.update({
      where: { id: award.id },
      data: { merchandiseRefunded: formatMilli(refundedMerchandise(lines, refunded)) },
    });
    await tx.orderRefund.update({
      where: { id: refund.id },
      data: { status: "applied", pointsReversed: reversed, appliedAt: new Date() },
    });
  }
}

/** refunds/create: reverses points in proportion to what the refunded lines earned. */
export async function reverseRefund(db: Db, shop: ShopRecord, refund: RefundPayload, deps: EarningDeps = {}): Promise<Outcome> {
  const orderId = gid("Order", refund.order_id);
  const refundId = refundGid(refund.id);
  return once(db, async (tx) => {
    await lockOrder(tx, shop.id, orderId);
    if (await findRefund(tx, shop.id, refundId)) return { status: "duplicate" } as const;
    await createWaitingRefund(tx, shop.id, orderId, refundId, refundLines(refund));
    const award = await findAward(tx, shop.id, orderId);
    // Arrived before its order: kept waiting, applied when the order comes.
    if (!award) return { status: "waiting" } as const;
    await settleRefunds(tx, settingsOf(shop), award);
    if (award.status === "awarded" && award.customerId) await recomputeTier(tx, shop, award.customerId, "refund", deps.now?.() ?? new Date());
    return { status: "applied" } as const;
  });
}

/** orders/cancelled: reverses whatever the order still holds, and bars it from earning later. */
export async function cancelOrder(db: Db, shop: ShopRecord, order: OrderPayload, deps: EarningDeps = {}): Promise<Outcome> {
  const settings = settingsOf(shop);
  const orderId = orderGid(order);
  const customer = order.customer ? await upsertCustomer(db, shop.id, customerData(order.customer)) : null;
  return once(db, async (tx) => {
    await lockOrder(tx, shop.id, orderId);
    const cancelledAt = order.cancelled_at ? new Date(order.cancelled_at) : new Date();
    await recordRefunds(tx, shop.id, orderId, order.refunds ?? []);
    let award = await findAward(tx, shop.id, orderId);
    if (!award) {
      // Cancelled before orders/paid reached us: remember it so a late paid
      // delivery earns nothing.
      const earning = computeEarning(order, settings);
      award = await tx.orderAward.create({
        data: {
          shopId: shop.id,
          orderId,
          orderName: order.name ?? null,
          customerId: customer?.id ?? null,
          status: "cancelled",
          currencyCode: order.currency,
          merchandiseTotal: earning.merchandiseTotal,
          rate: settings.earnRate,
          rounding: settings.earnRounding,
          lines: JSON.stringify(earning.lines),
          cancelledAt,
        },
      });
      await settleRefunds(tx, settings, award);
      return { status: "cancelled" } as const;
    }
    if (award.status === "cancelled") return { status: "duplicate" } as const;
    await settleRefunds(tx, settings, award);
    award = await lockAward(tx, award.id);
    const remaining = award.pointsAwarded - award.pointsReversed;
    const fromPending = Math.min(Math.max(remaining, 0), award.pointsPending);
    if (remaining > 0 && award.customerId) {
      await appendEntry(tx, {
        shopId: shop.id,
        customerId: award.customerId,
        type: "reverse",
        points: -(remaining - fromPending),
        pendingPoints: -fromPending,
        sourceType: "cancellation",
        sourceId: orderId,
        idempotencyKey: `cancel:${orderId}`,
        reason: award.orderName ? `Order ${award.orderName} cancelled` : "Order cancelled",
        allowNegative: settings.allowNegativeBalance,
      });
    }
    await tx.orderAward.update({
      where: { id: award.id },
      data: { status: "cancelled", cancelledAt, pointsReversed: award.pointsAwarded, pointsPending: 0 },
    });
    if (award.customerId) await recomputeTier(tx, shop, award.customerId, "cancellation", deps.now?.() ?? new Date());
    return { status: "cancelled", points: remaining } as const;
  });
}
