// The webhook payload fields Encore relies on, validated before anything is
// written. Shopify sends far more; only the fields named here are kept.
// Ids arrive as exact strings (see ../shopify-json.ts). Zod's v4 API (shipped
// inside zod 3.25): it validates an order several times faster than v3, and
// every orders/paid goes through it.
//
// Why not pass the rest through: zod copies each field it keeps, and an
// orders/paid's validated order stays in memory until its batch is written.
// Passed through, an order's copy took some 40 KB of the 200 KB each
// delivery allocated, and at 32 senders the 64 orders in flight were what
// every minor garbage collection copied (8–10 ms pauses, one per 70 ms).
// Fields read defensively, whatever their type, are `z.unknown()`: kept by
// reference, as sent.
import { z } from "zod/v4";

const id = z.union([z.string().min(1), z.number()]).transform(String);
const amount = z.union([z.string(), z.number()]).transform(String);
const moneySet = z.object({ shop_money: z.object({ amount, currency_code: z.string().optional() }) }).partial();

const customer = z
  .object({
    id,
    email: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    phone: z.string().nullish(),
    tags: z.string().nullish(),
    locale: z.string().nullish(),
    email_marketing_consent: z.object({ state: z.string().nullish() }).nullish(),
    accepts_marketing: z.boolean().nullish(),
  });

const lineItem = z
  .object({
    id,
    quantity: z.number().int().nonnegative(),
    price: amount.optional(),
    price_set: moneySet.nullish(),
    gift_card: z.boolean().nullish(),
    taxable: z.boolean().nullish(),
    product_id: id.nullish(),
    variant_id: id.nullish(),
    title: z.string().nullish(),
    vendor: z.string().nullish(),
    discount_allocations: z.array(z.object({ amount: amount.optional(), amount_set: moneySet.nullish() })).nullish(),
    tax_lines: z.array(z.object({ price: amount.optional(), price_set: moneySet.nullish() })).nullish(),
  })
  .refine((l) => l.price !== undefined || l.price_set?.shop_money?.amount !== undefined, {
    message: "line item needs price or price_set.shop_money.amount",
  });

export const refundPayload = z.object({
  id,
  order_id: id,
  refund_line_items: z.array(z.object({ line_item_id: id, quantity: z.number().int().nonnegative() }).passthrough()),
});

export const orderPayload = z.object({
  id,
  name: z.string().nullish(),
  email: z.string().nullish(),
  currency: z.string().min(3),
  taxes_included: z.boolean().nullish(),
  financial_status: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  test: z.boolean().nullish(),
  customer: customer.nullish(),
  line_items: z.array(lineItem),
  refunds: z.array(refundPayload.omit({ order_id: true }).passthrough()).nullish(),
  // When it was placed (../loyalty/orders.server.ts), the shopper's language
  // (the emails), the codes used (rewards, referrals, offers) and where it
  // ships (referrals' self-referral check).
  processed_at: z.unknown(),
  created_at: z.unknown(),
  customer_locale: z.unknown(),
  discount_codes: z.unknown(),
  shipping_address: z.unknown(),
});

export const customerPayload = customer;

export const fulfillmentPayload = z.object({ id, order_id: id, status: z.string().nullish() }).passthrough();

const redactCustomer = z.object({ id, email: z.string().nullish(), phone: z.string().nullish() });

export const customersRedactPayload = z.object({
  shop_domain: z.string().nullish(),
  customer: redactCustomer,
  orders_to_redact: z.array(id).nullish(),
});

export const customersDataRequestPayload = z.object({
  shop_domain: z.string().nullish(),
  customer: redactCustomer,
  orders_requested: z.array(id).nullish(),
  data_request: z.object({ id }).nullish(),
});

export const shopRedactPayload = z.object({ shop_domain: z.string().nullish() }).passthrough();

export const scopesUpdatePayload = z.object({
  current: z.array(z.string()),
  previous: z.array(z.string()).nullish(),
});

export const anyObject = z.object({}).passthrough();

export type OrderPayload = z.infer<typeof orderPayload>;
export type RefundPayload = z.infer<typeof refundPayload>;
export type CustomerPayload = z.infer<typeof customerPayload>;
export type FulfillmentPayload = z.infer<typeof fulfillmentPayload>;
export type CustomersRedactPayload = z.infer<typeof customersRedactPayload>;
export type CustomersDataRequestPayload = z.infer<typeof customersDataRequestPayload>;

/** The codes an order used, upper-cased (Shopify codes are case-insensitive). */
export function discountCodesOf(order: OrderPayload): string[] {
  const list = order.discount_codes;
  if (!Array.isArray(list)) return [];
  return list
    .map((d) => (d && typeof d === "object" ? String((d as { code?: unknown }).code ?? "") : ""))
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
}

/** "line_items.0.quantity: Invalid input: expected number, received string; …" */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
    .join("; ");
}
