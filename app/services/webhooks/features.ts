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

export interface FeatureHooks {
  ordersPaid?: Hook<OrderPayload>;
  ordersCancelled?: Hook<OrderPayload>;
  refundsCreate?: Hook<RefundPayload>;
  customersCreate?: Hook<CustomerPayload>;
  customersUpdate?: Hook<CustomerPayload>;
  fulfillmentsCreate?: Hook<FulfillmentPayload>;
}

/** Runs `hook` of every feature in order; the first feature's result is the delivery's summary. */
export async function runHooks<K extends keyof FeatureHooks>(
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
