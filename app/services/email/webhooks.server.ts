// The emails feature's part of each webhook topic: it only schedules jobs
// (the job decides at send time, with the latest data).
import { enqueue, enqueueMany } from "../../jobs/runtime.server";
import { gid } from "../shopify-json";
import type { FeatureHooks } from "../webhooks/features";
import { queueReviewRequest, queueThankYous } from "./flows.server";

export const emailHooks: FeatureHooks = {
  // The batch's thank-you emails enqueued together (a cancelled order gets none).
  ordersPaidBatch: async (db, shop, orders) => {
    const live = orders.filter((order) => !order.cancelled_at);
    const payloads = live.map((order) => ({
      shopId: shop.id,
      orderId: gid("Order", order.id),
      orderName: order.name ?? "",
      email: order.email ?? order.customer?.email ?? "",
      customerShopifyId: order.customer ? gid("Customer", order.customer.id) : "",
      productIds: [...new Set(order.line_items.flatMap((l) => (l.product_id ? [gid("Product", l.product_id)] : [])))].join(","),
      locale: (typeof order.customer_locale === "string" ? order.customer_locale : null) ?? order.customer?.locale ?? "",
    }));
    const queued = await queueThankYous(db, enqueueMany, new Date(), shop.id, payloads);
    return orders.map((order) => ({ thankYou: order.cancelled_at ? false : queued[live.indexOf(order)] }));
  },
  fulfillmentsCreate: async (db, shop, fulfillment) => {
    const queued = await queueReviewRequest(db, enqueue, new Date(), { shopId: shop.id, orderId: gid("Order", fulfillment.order_id) });
    return { reviewRequest: queued };
  },
};
