// The admin's rule preview: what a sample cart, or a recent order, would earn
// under the shop's current rules, step by step. It runs the same engine as
// orders/paid, with product facts from the same Admin API lookup.
import { z } from "zod";
import type { Db } from "../../db.server";
import { listRules } from "../../models/earning-rule.server";
import type { ShopRecord } from "../../models/shop.server";
import { ORDER_FOR_PREVIEW } from "../../graphql/products";
import { toMilli } from "../money";
import type { AdminGraphql } from "../shop-details.server";
import { fetchProductFacts } from "./catalog.server";
import { engineProgram } from "./program";
import { evaluate, needsCatalog, parseTags, productGid, ruleRunsAt, type CartLine, type Evaluation } from "./rules";

export class PreviewError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const sampleLine = z.object({
  title: z.string().trim().max(200).default(""),
  price: z.string().trim().regex(/^\d+(\.\d{1,3})?$/, "Enter a price such as 19.99."),
  quantity: z.coerce.number().int("Enter a whole quantity.").min(1, "Quantity must be at least 1.").max(10_000),
  productId: z
    .string()
    .trim()
    .regex(/^((gid:\/\/shopify\/Product\/)?\d+)?$/, "Enter a product ID (a number) or leave it empty.")
    .default(""),
  vendor: z.string().trim().max(200).default(""),
  tags: z.string().max(1000).default(""),
  collections: z.string().max(1000).default(""),
});

export const sampleCartInput = z.object({
  lines: z.array(sampleLine).min(1, "Add at least one line.").max(50, "At most 50 lines."),
  customerTags: z.string().max(1000).default(""),
  date: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD.")
    .refine((v) => !Number.isNaN(Date.parse(`${v}T12:00:00Z`)), "Enter a real date."),
  firstOrder: z.boolean().default(false),
  tierId: z.string().default(""),
});

export type SampleCart = z.input<typeof sampleCartInput>;

export interface PreviewResult {
  evaluation: Evaluation;
  source: string;
}

/** Parses the sample cart; errors name the field (lines.0.price, date, …). */
export function parseSampleCart(raw: unknown): z.infer<typeof sampleCartInput> {
  const parsed = sampleCartInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PreviewError(issue.message, issue.path.join("."));
  }
  return parsed.data;
}

async function withFacts(db: Db, shop: ShopRecord, graphql: AdminGraphql, lines: CartLine[], at: Date) {
  const rules = await listRules(db, shop.id);
  const ids = [...new Set(lines.map((l) => l.productId).filter((id): id is string => Boolean(id)))];
  if (needsCatalog(rules.filter((r) => ruleRunsAt(r, at))) && ids.length) {
    const facts = await fetchProductFacts(graphql, ids);
    for (const line of lines) {
      const known = line.productId ? facts.get(line.productId) : undefined;
      if (!known) continue;
      line.tags = [...new Set([...(line.tags ?? []), ...known.tags])];
      line.collections = [...(line.collections ?? []), ...known.collections];
    }
  }
  return rules;
}

async function tierOf(db: Db, shopId: string, tierId: string | null | undefined) {
  if (!tierId) return null;
  const tier = await db.earningTier.findFirst({ where: { id: tierId, shopId } });
  return tier ? { name: tier.name, multiplier: tier.multiplier } : null;
}

export async function previewSampleCart(db: Db, shop: ShopRecord, graphql: AdminGraphql, raw: unknown): Promise<PreviewResult> {
  const input = parseSampleCart(raw);
  const at = new Date(`${input.date}T12:00:00Z`);
  const lines: CartLine[] = input.lines.map((l, i) => ({
    id: `sample-${i + 1}`,
    title: l.title || `Line ${i + 1}`,
    quantity: l.quantity,
    net: toMilli(l.price) * BigInt(l.quantity),
    productId: l.productId ? productGid(l.productId) : null,
    vendor: l.vendor || null,
    tags: parseTags(l.tags),
    collections: parseTags(l.collections).map((c) => ({ id: c, handle: c, title: c })),
  }));
  const rules = await withFacts(db, shop, graphql, lines, at);
  const tier = await tierOf(db, shop.id, input.tierId);
  const evaluation = evaluate({ lines, customerTags: parseTags(input.customerTags), at, firstOrder: input.firstOrder, tier }, engineProgram(shop, rules));
  return { evaluation, source: "Sample cart" };
}

interface PreviewOrder {
  id: string;
  name: string;
  createdAt: string;
  customer: { id: string; tags: string[] } | null;
  lineItems: {
    nodes: { id: string; title: string; quantity: number; vendor: string | null; product: { id: string } | null; discountedTotalSet: { shopMoney: { amount: string } } }[];
  };
}

/** What one of the shop's orders would earn under today's rules (fetched from the Admin API). */
export async function previewOrder(db: Db, shop: ShopRecord, graphql: AdminGraphql, orderId: string): Promise<PreviewResult> {
  if (!/^gid:\/\/shopify\/Order\/\d+$/.test(orderId)) throw new PreviewError("Choose an order.", "orderId");
  const response = await graphql(ORDER_FOR_PREVIEW, { variables: { id: orderId } });
  const body = (await response.json()) as { data?: { order: PreviewOrder | null } };
  const order = body.data?.order;
  if (!order) throw new PreviewError("That order could not be found in Shopify.", "orderId");
  const at = new Date(order.createdAt);
  const lines: CartLine[] = order.lineItems.nodes.map((l) => ({
    id: l.id,
    title: l.title,
    quantity: l.quantity,
    // The line's total after discounts, in shop money.
    net: toMilli(l.discountedTotalSet.shopMoney.amount),
    productId: l.product?.id ?? null,
    vendor: l.vendor,
    tags: [],
    collections: [],
  }));
  const rules = await withFacts(db, shop, graphql, lines, at);
  const member = order.customer
    ? await db.customer.findUnique({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: order.customer.id } } })
    : null;
  const earlier = member
    ? await db.orderAward.findFirst({ where: { shopId: shop.id, customerId: member.id, orderId: { not: orderId }, createdAt: { lt: at } } })
    : null;
  const evaluation = evaluate(
    { lines, customerTags: order.customer?.tags ?? [], at, firstOrder: Boolean(order.customer) && !earlier, tier: await tierOf(db, shop.id, member?.tierId) },
    engineProgram(shop, rules),
  );
  return { evaluation, source: `Order ${order.name}` };
}

/** Recent orders Encore has seen, to pick one for the preview. */
export function recentOrders(db: Db, shopId: string, take = 20) {
  return db.orderAward.findMany({
    where: { shopId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: { orderId: true, orderName: true, merchandiseTotal: true, currencyCode: true, pointsAwarded: true, createdAt: true },
  });
}
