// What shoppers saw and did with offers: impressions (one per order, product
// and surface), clicks, and orders that used an offer — matched on the
// offer's discount code in the next orders/paid, with the revenue of the
// offered products in that order (exact decimal money).
import type { Db } from "../../db.server";
import { isUniqueViolation } from "../../models/errors";
import { insertOfferEvents, parseList } from "../../models/offers.server";
import { lineNetMilli } from "../loyalty/earning";
import { formatMilli, toMilli } from "../money";
import { discountCodesOf, type OrderPayload } from "../webhooks/payloads";
import { HOLDOUT_PRODUCT, runningTests } from "./experiments.server";

export type Surface = "thank_you" | "order_status" | "email";

export interface ShownItem {
  productId: string;
  offerId: string | null;
  testId: string | null;
  arm: string | null;
}

async function ignoreDuplicate<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export async function recordEvents(
  db: Db,
  shopId: string,
  type: "impression" | "click",
  context: { orderId: string; customerId: string | null; surface: Surface },
  items: ShownItem[],
) {
  await insertOfferEvents(
    db,
    items.map((item) => ({ shopId, type, orderId: context.orderId, customerId: context.customerId, surface: context.surface, ...item })),
  );
}

const gid = (type: string, id: string) => (id.startsWith("gid://") ? id : `gid://shopify/${type}/${id}`);

/** The order's merchandise (after discounts) on the given products, in milli. */
function revenueOn(order: OrderPayload, productIds: Set<string>): bigint {
  return order.line_items
    .filter((l) => l.product_id && productIds.has(gid("Product", l.product_id)))
    .reduce((sum, l) => sum + lineNetMilli(l, Boolean(order.taxes_included)), 0n);
}

async function testOf(db: Db, shopId: string, offerId: string, at: Date) {
  return db.offerTest.findFirst({
    where: { shopId, startedAt: { lte: at }, OR: [{ offerAId: offerId }, { offerBId: offerId }] },
    orderBy: { startedAt: "desc" },
  });
}

/** orders/paid: credit offers whose code the order used, and holdout arms. */
export async function attributeOrder(db: Db, shop: { id: string; currencyCode: string }, order: OrderPayload, codes = discountCodesOf(order)) {
  if (order.cancelled_at) return { status: "attribution-skipped" };
  const orderId = gid("Order", order.id);
  const now = new Date();
  let credited = 0;
  if (codes.length) {
    const offers = await db.offer.findMany({ where: { shopId: shop.id, discountCode: { in: codes } } });
    for (const offer of offers) {
      const test = await testOf(db, shop.id, offer.id, now);
      const arm = test ? (test.offerAId === offer.id ? "a" : "b") : null;
      const revenue = revenueOn(order, new Set(parseList(offer.offeredProductIds)));
      const row = await ignoreDuplicate(() =>
        db.offerConversion.create({
          data: {
            shopId: shop.id,
            offerId: offer.id,
            testId: test?.id ?? null,
            arm,
            orderId,
            attributionKey: `offer:${offer.id}`,
            revenue: formatMilli(revenue),
            currencyCode: order.currency,
          },
        }),
      );
      if (row) credited++;
    }
  }

  // A holdout saw no offer, so there is no code to match: its conversion is
  // the same customer later buying one of the tested offer's products.
  // Only a running holdout test can credit one (ending a test sets endedAt),
  // and the cached list of running tests says whether there is any: most
  // orders skip the exposure query.
  const customerId = order.customer?.id ? gid("Customer", order.customer.id) : null;
  const holdoutRunning = customerId ? (await runningTests(db, shop.id)).some((t) => t.offerBId === null) : false;
  if (customerId && holdoutRunning) {
    const exposures = await db.offerEvent.findMany({
      where: { shopId: shop.id, customerId, productId: HOLDOUT_PRODUCT, type: "impression", orderId: { not: orderId } },
      select: { testId: true },
      distinct: ["testId"],
    });
    for (const { testId } of exposures) {
      if (!testId) continue;
      const test = await db.offerTest.findFirst({ where: { id: testId, shopId: shop.id, offerBId: null } });
      const offerA = test ? await db.offer.findFirst({ where: { id: test.offerAId } }) : null;
      if (!test || !offerA) continue;
      if (test.endedAt && test.endedAt < now) continue;
      const revenue = revenueOn(order, new Set(parseList(offerA.offeredProductIds)));
      if (revenue === 0n) continue;
      const row = await ignoreDuplicate(() =>
        db.offerConversion.create({
          data: { shopId: shop.id, offerId: null, testId: test.id, arm: "b", orderId, attributionKey: `test:${test.id}:b`, revenue: formatMilli(revenue), currencyCode: order.currency },
        }),
      );
      if (row) credited++;
    }
  }
  return { status: credited ? "offer-attributed" : "no-offer" };
}

export interface OfferPerformance {
  views: number;
  clicks: number;
  conversions: number;
  revenue: string;
  conversionRate: number;
}

/** Views = orders that saw the offer; clicks = orders that clicked it. */
export async function offerPerformance(db: Db, shopId: string): Promise<Map<string, OfferPerformance>> {
  const [events, conversions] = await Promise.all([
    db.offerEvent.groupBy({ by: ["offerId", "type", "orderId"], where: { shopId, offerId: { not: null } } }),
    db.offerConversion.findMany({ where: { shopId, offerId: { not: null } }, select: { offerId: true, revenue: true } }),
  ]);
  const out = new Map<string, { views: number; clicks: number; conversions: number; revenue: bigint }>();
  const get = (id: string) => out.get(id) ?? out.set(id, { views: 0, clicks: 0, conversions: 0, revenue: 0n }).get(id)!;
  for (const e of events) {
    const p = get(e.offerId!);
    if (e.type === "impression") p.views++;
    else p.clicks++;
  }
  for (const c of conversions) {
    const p = get(c.offerId!);
    p.conversions++;
    p.revenue += toMilli(c.revenue);
  }
  return new Map(
    [...out].map(([id, p]) => [
      id,
      { views: p.views, clicks: p.clicks, conversions: p.conversions, revenue: formatMilli(p.revenue), conversionRate: p.views ? p.conversions / p.views : 0 },
    ]),
  );
}
