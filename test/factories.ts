// Test data built on real Shopify webhook bodies (test/fixtures), changed only
// where a test needs it.
import type { Prisma } from ".prisma/client";
import type { Db } from "../app/db.server";
import type { JobContext, JobPayload } from "../app/jobs/types";
import { invalidateShopData } from "../app/services/cache.server";
import { fixture } from "./webhooks";

let counter = 0;
export const nextId = () => String(7_000_000_000 + ++counter * 1000 + Math.floor(Math.random() * 1000));

export async function createShop(
  db: Db,
  overrides: Partial<{ id: string; earnRate: string; earnRounding: string; allowNegativeBalance: boolean; currencyCode: string; uninstalledAt: Date }> = {},
) {
  const shop = await db.shop.create({ data: { id: overrides.id ?? `shop-${nextId()}.myshopify.com`, ...overrides } });
  invalidateShopData(db, shop.id);
  return shop;
}

/**
 * Writes shop fields directly, as a test's setup does; forgets what the
 * process caches of the shop, as the app's own writes (models/shop.server.ts) do.
 */
export async function updateShop(db: Db, id: string, data: Prisma.ShopUpdateInput) {
  const shop = await db.shop.update({ where: { id }, data });
  invalidateShopData(db, id);
  return shop;
}

export interface LineSpec {
  price: string;
  quantity?: number;
  discount?: string;
  tax?: string;
  giftCard?: boolean;
  presentmentPrice?: string;
  id?: string;
}

const money = (amount: string, currency: string, presentment?: { amount: string; currency: string }) => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: presentment
    ? { amount: presentment.amount, currency_code: presentment.currency }
    : { amount, currency_code: currency },
});

/**
 * A paid order: Shopify's bagserver orders/create body (a real paid order from
 * an AUD store), with its lines, customer and ids replaced as asked.
 */
export function orderBody(
  spec: {
    id?: string;
    name?: string;
    customerId?: string | null;
    email?: string;
    lines: LineSpec[];
    currency?: string;
    presentmentCurrency?: string;
    taxesIncluded?: boolean;
    cancelledAt?: string | null;
    refunds?: object[];
  },
) {
  const base = fixture("orders-create", "bagserver-aud-1");
  const id = spec.id ?? nextId();
  const currency = spec.currency ?? "USD";
  const presentment = spec.presentmentCurrency ?? currency;
  const template = base.line_items[0];
  const line_items = spec.lines.map((l, i) => {
    const qty = l.quantity ?? 1;
    return {
      ...template,
      id: Number(l.id ?? `${id}${i + 1}`),
      admin_graphql_api_id: `gid://shopify/LineItem/${l.id ?? `${id}${i + 1}`}`,
      quantity: qty,
      gift_card: Boolean(l.giftCard),
      price: l.price,
      price_set: money(l.price, currency, l.presentmentPrice ? { amount: l.presentmentPrice, currency: presentment } : undefined),
      discount_allocations: l.discount
        ? [{ amount: l.discount, amount_set: money(l.discount, currency), discount_application_index: 0 }]
        : [],
      tax_lines: l.tax ? [{ title: "Tax", price: l.tax, rate: 0.1, price_set: money(l.tax, currency) }] : [],
    };
  });
  const customerId = spec.customerId ?? nextId();
  const customer =
    spec.customerId === null
      ? undefined
      : {
          ...base.customer,
          id: Number(customerId),
          admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
          email: spec.email ?? `customer${customerId}@example.com`,
        };
  const body: Record<string, unknown> = {
    ...base,
    id: Number(id),
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: spec.name ?? `#${id.slice(-4)}`,
    currency,
    presentment_currency: presentment,
    taxes_included: Boolean(spec.taxesIncluded),
    financial_status: "paid",
    cancelled_at: spec.cancelledAt ?? null,
    line_items,
    refunds: spec.refunds ?? [],
  };
  if (customer) body.customer = customer;
  else delete body.customer;
  return body;
}

/** A refund: Shopify's documented refunds/create body with our order and lines. */
export function refundBody(spec: { id?: string; orderId: string; lines: { lineItemId: string; quantity: number }[] }) {
  const base = fixture("refunds-create", "shopify-docs-2026-04-1");
  const template = base.refund_line_items[0];
  const id = spec.id ?? nextId();
  return {
    ...base,
    id: Number(id),
    admin_graphql_api_id: `gid://shopify/Refund/${id}`,
    order_id: Number(spec.orderId),
    refund_line_items: spec.lines.map((l, i) => ({
      ...template,
      id: Number(`${id}${i}`),
      line_item_id: Number(l.lineItemId),
      quantity: l.quantity,
      line_item: { ...template.line_item, id: Number(l.lineItemId) },
    })),
  };
}

/** Appends a ledger entry directly (e.g. a redemption the test needs in place). */
export async function ledgerEntry(
  db: Db,
  e: { shopId: string; customerId: string; points: number; type?: "earn" | "redeem"; allowNegative?: boolean },
) {
  const { appendEntry } = await import("../app/models/ledger.server");
  return db.$transaction((tx) =>
    appendEntry(tx, {
      shopId: e.shopId,
      customerId: e.customerId,
      type: e.type ?? (e.points < 0 ? "redeem" : "earn"),
      points: e.points,
      sourceType: "admin",
      idempotencyKey: `test:${nextId()}`,
      allowNegative: e.allowNegative ?? false,
    }),
  );
}

/** An order's award row as the results queries read it (placed at `at`, merchandise `total`). */
export function awardRow(db: Db, spec: { shopId: string; at: string; customerId: string | null; total?: string; status?: string }) {
  return db.orderAward.create({
    data: {
      shopId: spec.shopId,
      orderId: `gid://shopify/Order/${nextId()}`,
      customerId: spec.customerId,
      status: spec.status ?? (spec.customerId ? "awarded" : "guest"),
      currencyCode: "USD",
      merchandiseTotal: spec.total ?? "10.00",
      rate: "1",
      rounding: "floor",
      lines: "[]",
      createdAt: new Date(spec.at),
    },
  });
}

/** A job's enqueue as a call records it: one kind for enqueue and enqueueMany alike. */
export interface RecordedJob {
  name: string;
  payload: JobPayload;
  key?: string;
}

/**
 * A JobContext for running a job's body directly: its enqueues are recorded
 * in `enqueued`, and, as the queue does, a second job of a name and key is
 * ignored.
 */
export function jobContext(db: Db, at: () => Date = () => new Date()): JobContext & { enqueued: RecordedJob[] } {
  const enqueued: RecordedJob[] = [];
  const record = (name: string, payload: JobPayload, key?: string) => {
    if (key === undefined || !enqueued.some((e) => e.name === name && e.key === key)) enqueued.push({ name, payload, ...(key !== undefined && { key }) });
  };
  return {
    db,
    now: at,
    enqueued,
    enqueue: async (name, payload, options) => record(name, payload, options?.key),
    enqueueMany: async (name, payloads, options) => payloads.forEach((p, i) => record(name, p, options?.keys?.[i])),
    log: () => undefined,
  };
}
