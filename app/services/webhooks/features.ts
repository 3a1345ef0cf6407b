// What a feature (loyalty, offers, emails, …) does when a webhook topic
// arrives. Each feature exports one `FeatureHooks` object from its own
// webhooks module, and ./handlers.server.ts calls every feature's hook for the
// topic in turn, so adding a feature never means editing another one.
//
// Hooks must be idempotent: a delivery that failed part-way is retried by
// Shopify and runs every hook again.
import type { Db } from "../../db.server";
import type { ShopRecord } from "../../models/shop.server";
import type { CustomerPayload, FulfillmentPayload, OrderPayload, RefundPayload } from "./payloads";

export type Hook<P> = (db: Db, shop: ShopRecord, payload: P) => Promise<unknown>;
/** A hook given several payloads at once: one result per payload, in order. */
export type BatchHook<P> = (db: Db, shop: ShopRecord, payloads: P[]) => Promise<unknown[]>;

export interface FeatureHooks {
  /**
   * orders/paid, the busiest topic, comes one way or the other: concurrent
   * deliveries are handled together (see ../webhooks/batch.server.ts), and a
   * feature whose work shares statements across orders takes the batch
   * (ordersPaidBatch); otherwise its ordersPaid runs for each order in turn.
   */
  ordersPaid?: Hook<OrderPayload>;
  ordersPaidBatch?: BatchHook<OrderPayload>;
  ordersCancelled?: Hook<OrderPayload>;
  refundsCreate?: Hook<RefundPayload>;
  customersCreate?: Hook<CustomerPayload>;
  customersUpdate?: Hook<CustomerPayload>;
  fulfillmentsCreate?: Hook<FulfillmentPayload>;
}

/**
 * orders/paid for a batch of orders: the lanes at the same time, the features
 * of a lane one after another (a batch's statements are a chain of round
 * trips, and a feature waits only for those it needs: rewards for loyalty's
 * award, not the emails for either). Each order's summary is the first
 * lane's first feature's result for it. A lane stops at its first failure;
 * the batch fails once every lane has stopped (no feature is left writing).
 */
export async function runOrdersPaid(lanes: readonly (readonly FeatureHooks[])[], db: Db, shop: ShopRecord, orders: OrderPayload[]): Promise<unknown[]> {
  const run = async (feature: FeatureHooks): Promise<unknown[] | undefined> => {
    if (feature.ordersPaidBatch) return feature.ordersPaidBatch(db, shop, orders);
    if (!feature.ordersPaid) return undefined;
    const results = [];
    for (const order of orders) results.push(await feature.ordersPaid(db, shop, order));
    return results;
  };
  const runLane = async (lane: readonly FeatureHooks[]) => {
    const results = [];
    for (const feature of lane) results.push(await run(feature));
    return results;
  };
  const settled = await Promise.allSettled(lanes.map(runLane));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  const first = settled.flatMap((s) => (s as PromiseFulfilledResult<(unknown[] | undefined)[]>).value).find(Boolean);
  return first ?? orders.map(() => undefined);
}

/** Runs `hook` of every feature in order; the first feature's result is the delivery's summary. */
export async function runHooks<K extends Exclude<keyof FeatureHooks, "ordersPaid" | "ordersPaidBatch">>(
  features: readonly FeatureHooks[],
  key: K,
  db: Db,
  shop: ShopRecord,
  payload: Parameters<NonNullable<FeatureHooks[K]>>[2],
): Promise<unknown> {
  let first: unknown;
  let seen = false;
  for (const feature of features) {
    const hook = feature[key] as Hook<typeof payload> | undefined;
    if (!hook) continue;
    const result = await hook(db, shop, payload);
    if (!seen) {
      first = result;
      seen = true;
    }
  }
  return first;
}
