// What each subscribed topic does. The intake (./intake.server.ts) has already
// verified the HMAC, parsed the body and validated it against `schema`.
import type { z } from "zod/v4";
import type { Db } from "../../db.server";
import { upsertCustomer } from "../../models/customer.server";
import { markUninstalled, updateScopes, type ShopRecord } from "../../models/shop.server";
import { customerData } from "../loyalty/orders.server";
import { emailHooks } from "../email/webhooks.server";
import { loyaltyHooks } from "../loyalty/webhooks.server";
import { rewardsHooks } from "../rewards/webhooks.server";
import { offersHooks, offersProductHandlers } from "../offers/webhooks.server";
import { handleCustomerRedact, handleDataRequest, handleShopRedact } from "../privacy.server";
import {
  anyObject,
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  fulfillmentPayload,
  orderPayload,
  refundPayload,
  scopesUpdatePayload,
  shopRedactPayload,
  type OrderPayload,
} from "./payloads";
import { runHooks, runOrdersPaid, type FeatureHooks } from "./features";

// Customers are Encore's own record of the shop's customers, kept before any
// feature looks at them.
const customerRecords: FeatureHooks = {
  customersCreate: (db, shop, p) => upsertCustomer(db, shop.id, customerData(p)),
  customersUpdate: (db, shop, p) => upsertCustomer(db, shop.id, customerData(p)),
};

// Every feature's webhook hooks, run in this order for each topic.
const features: readonly FeatureHooks[] = [customerRecords, loyaltyHooks, rewardsHooks, offersHooks, emailHooks];
// orders/paid runs them in lanes, at the same time (see runOrdersPaid):
// loyalty's award is in place before rewards tells a new customer by it; the
// purchase history and the emails need neither. (customerRecords has no
// orders/paid hook: loyalty keeps the batch's customers.)
const ordersPaidLanes: readonly (readonly FeatureHooks[])[] = [[loyaltyHooks, rewardsHooks], [offersHooks], [emailHooks]];

interface Handler<S extends z.ZodTypeAny> {
  schema: S;
  /** Handlers that need the shop's program get it; without a shop they are skipped. */
  needsShop: boolean;
  run: (db: Db, shopId: string, payload: z.infer<S>, shop: ShopRecord | null) => Promise<unknown>;
}

/** A handler whose payload type has been checked at its definition. */
export type AnyHandler = Omit<Handler<z.ZodTypeAny>, "run"> & {
  run: (db: Db, shopId: string, payload: unknown, shop: ShopRecord | null) => Promise<unknown>;
};

/** orders/paid for several orders of one shop at once (see ./batch.server.ts): one result per order. */
export const handleOrdersPaid = (db: Db, shop: ShopRecord, orders: OrderPayload[]) => runOrdersPaid(ordersPaidLanes, db, shop, orders);

const handler = <S extends z.ZodTypeAny>(h: Handler<S>) => h as unknown as AnyHandler;

export const handlers: Record<string, AnyHandler> = {
  ORDERS_PAID: handler({
    schema: orderPayload,
    needsShop: true,
    run: async (db, _s, p, shop) => (await handleOrdersPaid(db, shop!, [p]))[0],
  }),
  ORDERS_CANCELLED: handler({
    schema: orderPayload,
    needsShop: true,
    run: (db, _s, p, shop) => runHooks(features, "ordersCancelled", db, shop!, p),
  }),
  REFUNDS_CREATE: handler({
    schema: refundPayload,
    needsShop: true,
    run: (db, _s, p, shop) => runHooks(features, "refundsCreate", db, shop!, p),
  }),
  CUSTOMERS_CREATE: handler({
    schema: customerPayload,
    needsShop: true,
    run: (db, _s, p, shop) => runHooks(features, "customersCreate", db, shop!, p),
  }),
  CUSTOMERS_UPDATE: handler({
    schema: customerPayload,
    needsShop: true,
    run: (db, _s, p, shop) => runHooks(features, "customersUpdate", db, shop!, p),
  }),
  PRODUCTS_UPDATE: handler({ ...offersProductHandlers.PRODUCTS_UPDATE, needsShop: true, run: (db, _s, p, shop) => offersProductHandlers.PRODUCTS_UPDATE.run(db, shop!, p) }),
  PRODUCTS_DELETE: handler({ ...offersProductHandlers.PRODUCTS_DELETE, needsShop: true, run: (db, _s, p, shop) => offersProductHandlers.PRODUCTS_DELETE.run(db, shop!, p) }),
  FULFILLMENTS_CREATE: handler({
    schema: fulfillmentPayload,
    needsShop: true,
    run: (db, _s, p, shop) => runHooks(features, "fulfillmentsCreate", db, shop!, p),
  }),
  APP_UNINSTALLED: handler({ schema: anyObject, needsShop: false, run: (db, shopId) => markUninstalled(db, shopId) }),
  APP_SCOPES_UPDATE: handler({
    schema: scopesUpdatePayload,
    needsShop: false,
    run: (db, shopId, p) => updateScopes(db, shopId, p.current),
  }),
  CUSTOMERS_DATA_REQUEST: handler({ schema: customersDataRequestPayload, needsShop: false, run: handleDataRequest }),
  CUSTOMERS_REDACT: handler({
    schema: customersRedactPayload,
    needsShop: false,
    run: handleCustomerRedact,
  }),
  SHOP_REDACT: handler({
    schema: shopRedactPayload,
    needsShop: false,
    run: (db, shopId) => handleShopRedact(db, shopId),
  }),
};

