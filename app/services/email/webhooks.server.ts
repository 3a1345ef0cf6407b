// The emails feature's part of each webhook topic: it only schedules jobs
// (the job decides at send time, with the latest data).
import { enqueue } from "../../jobs/runtime.server";
import { gid } from "../shopify-json";
import type { FeatureHooks } from "../webhooks/features";
import { queueReviewRequest, queueThankYou } from "./flows.server";

export const emailHooks: FeatureHooks = {
  ordersPaid: async (db, shop, order) => {
    if (order.cancelled_at) return { thankYou: false };
    const productIds = [
      ...new Set(order.line_items.map((l) => (l.product_id ? gid("Product", l.product_id) : null)).filter((x): x is string => Boolean(x))),
    ];
    const queued = await queueThankYou(db, enqueue, new Date(), {
      shopId: shop.id,
      orderId: gid("Order", order.id),
      orderName: order.name ?? "",
      email: order.email ?? order.customer?.email ?? "",
      customerShopifyId: order.customer ? gid("Customer", order.customer.id) : "",
      productIds: productIds.join(","),
      locale: (order as { customer_locale?: string | null }).customer_locale ?? order.customer?.locale ?? "",
    });
    return { thankYou: queued };
  },
  fulfillmentsCreate: async (db, shop, fulfillment) => {
    const queued = await queueReviewRequest(db, enqueue, new Date(), { shopId: shop.id, orderId: gid("Order", fulfillment.order_id) });
    return { reviewRequest: queued };
  },
};
