// The backend of the thank-you / order status block: one answer with the
// points of the order and the offers to show, for the shop and customer in
// the session token only.
//
// The order may be ahead of its webhook (the thank-you page renders seconds
// after checkout). Then the order is read through the Admin API with the
// shop's offline session, or, failing that, from the lines the extension
// sent — for display only: crediting stays with orders/paid.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "../../db.server";
import { ORDER_FOR_DISPLAY } from "../../graphql/offers";
import { orderViewFacts } from "../../models/offers.server";
import { cachedShopForExtension } from "../../models/shop.server";
import { formatMilli, toMilli } from "../money";
import type { AdminGraphql } from "../shop-details.server";
import { adminQuery } from "./catalog.server";
import type { CoPurchaseRow } from "./engine";
import { HOLDOUT_PRODUCT } from "./experiments.server";
import { pointsSummary, type PointsFacts, type PointsSummary } from "./points.server";
import { recommendDetailed, type RecommendedProduct } from "./recommend.server";
import { recordEvents, type Surface } from "./tracking.server";

export interface ExtensionRequest {
  shopId: string;
  /** The token's customer (sub), when logged in. */
  customerId: string | null;
  orderId: string;
  surface: Exclude<Surface, "email">;
  limit: number;
  /** What the extension knows of the order, used when nothing better is at hand. */
  lines: { productId: string; quantity: number; amount: string | null }[];
}

export interface ExtensionOffer extends Omit<RecommendedProduct, "offerId"> {
  offerId: string | null;
  discountedPrice: string | null;
  clickUrl: string;
}

export interface ExtensionResponse {
  orderId: string;
  source: "webhook" | "admin" | "extension";
  points: PointsSummary | null;
  offers: ExtensionOffer[];
}

export type ApiResult = { status: 200; body: ExtensionResponse } | { status: 400 | 403 | 404; body: { error: string } };

export interface ExtensionDeps {
  db: Db;
  /** The Admin API with the shop's offline session, or null when there is none. */
  adminFor: (shopId: string) => Promise<AdminGraphql | null>;
  appUrl: string;
  secret: string;
  now?: Date;
}

const ORDER_GID = /^gid:\/\/shopify\/(?:Order|OrderIdentity)\/(\d+)$/;

/** Checkout gives gid://shopify/OrderIdentity/N, customer accounts gid://shopify/Order/N: one order. */
export function normalizeOrderId(id: string): string | null {
  const match = ORDER_GID.exec(id.trim()) ?? /^(\d+)$/.exec(id.trim());
  return match ? `gid://shopify/Order/${match[1]}` : null;
}

interface OrderFacts extends PointsFacts {
  source: ExtensionResponse["source"];
  productIds: string[];
  /**
   * The order's customer: undefined = not known. Resolved only when the
   * token has a customer (it is only ever compared with the token's).
   */
  customerId: string | null | undefined;
  merchandiseTotal: string | null;
  /** The recommendations of productIds, when read with the facts. */
  coPurchase?: CoPurchaseRow[];
}

const sameProducts = (a: string[], b: string[]) => {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((id) => set.has(id));
};

/**
 * What Encore knows of the order, and the token customer's points facts: the
 * history row, the award, the token's customer and the recommendations of
 * the extension's products in one read (orderViewFacts; the award's
 * customer is the token's in all but the refused case).
 */
async function orderFacts(deps: ExtensionDeps, req: ExtensionRequest, orderId: string): Promise<OrderFacts> {
  const { db } = deps;
  const linesProducts = req.lines.map((l) => l.productId);
  const { history, award, customer, coPurchase } = await orderViewFacts(db, req.shopId, { orderId, customerShopifyId: req.customerId, productIds: linesProducts });
  const points: PointsFacts = { award, customer };
  if (history || award) {
    let awardCustomer: string | null = null;
    if (award?.customerId && req.customerId) {
      awardCustomer =
        customer?.id === award.customerId
          ? req.customerId
          : ((await db.customer.findUnique({ where: { id: award.customerId }, select: { shopifyId: true } }))?.shopifyId ?? null);
    }
    const historyCustomer = history && history.buyerKey.startsWith("gid://shopify/Customer/") ? history.buyerKey : null;
    const productIds = history ? history.productIds : linesProducts;
    return {
      ...points,
      source: "webhook",
      productIds,
      customerId: awardCustomer ?? historyCustomer ?? (award?.status === "guest" || history ? null : undefined),
      merchandiseTotal: award?.merchandiseTotal ?? null,
      // (Read for the lines' products: reused when the history agrees.)
      coPurchase: sameProducts(productIds, linesProducts) ? coPurchase : undefined,
    };
  }
  try {
    const graphql = await deps.adminFor(req.shopId);
    if (graphql) {
      const data = await adminQuery<{
        order: {
          customer: { id: string } | null;
          lineItems: { nodes: { product: { id: string } | null; discountedTotalSet: { shopMoney: { amount: string } } }[] };
        } | null;
      }>(graphql, ORDER_FOR_DISPLAY, { id: orderId });
      if (data.order) {
        const lines = data.order.lineItems.nodes;
        const productIds = lines.flatMap((l) => (l.product ? [l.product.id] : []));
        return {
          ...points,
          source: "admin",
          productIds,
          coPurchase: sameProducts(productIds, linesProducts) ? coPurchase : undefined,
          customerId: data.order.customer?.id ?? null,
          merchandiseTotal: formatMilli(lines.reduce((s, l) => s + toMilli(l.discountedTotalSet.shopMoney.amount), 0n)),
        };
      }
    }
  } catch (error) {
    console.warn(`[offers] order ${orderId} not readable through the Admin API: ${String(error)}`);
  }
  const amounts = req.lines.map((l) => l.amount);
  return {
    ...points,
    source: "extension",
    productIds: linesProducts,
    coPurchase,
    customerId: undefined,
    merchandiseTotal: amounts.length && amounts.every((a) => a !== null) ? formatMilli(amounts.reduce((s, a) => s + toMilli(a), 0n)) : null,
  };
}

export function discountedPrice(price: string, discount: RecommendedProduct["discount"]): string | null {
  if (!discount) return null;
  const p = toMilli(price);
  const v = toMilli(discount.value);
  const milli = discount.kind === "percent" ? (p * (100_000n - v)) / 100_000n : p - v;
  // Whole cents, rounded half up.
  const cents = (milli > 0n ? milli + 5n : 0n) / 10n;
  return formatMilli(cents * 10n);
}

// ---------------------------------------------------------------------------
// Click links: signed, so no session token is needed when the shopper leaves
// the page, and nobody can make Encore redirect elsewhere or count clicks.

interface ClickData {
  s: string; // shop
  o: string; // order
  p: string; // product
  f: string | null; // offer
  t: string | null; // test
  a: string | null; // arm
  c: string | null; // customer
  v: string; // surface
  u: string; // destination
}

const sign = (payload: string, secret: string) => createHmac("sha256", secret).update(`offer-click:${payload}`).digest("base64url");

export function clickUrl(appUrl: string, secret: string, data: ClickData): string {
  const d = Buffer.from(JSON.stringify(data)).toString("base64url");
  return `${appUrl.replace(/\/$/, "")}/api/offers/click?d=${d}&sig=${sign(d, secret)}`;
}

export function verifyClick(d: string | null, sig: string | null, secret: string): ClickData | null {
  if (!d || !sig) return null;
  const expected = Buffer.from(sign(d, secret));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    return JSON.parse(Buffer.from(d, "base64url").toString("utf8")) as ClickData;
  } catch {
    return null;
  }
}

export async function recordClick(db: Db, data: ClickData) {
  await recordEvents(db, data.s, "click", { orderId: data.o, customerId: data.c, surface: data.v as Surface }, [
    { productId: data.p, offerId: data.f, testId: data.t, arm: data.a },
  ]);
}

export async function answerExtension(deps: ExtensionDeps, req: ExtensionRequest): Promise<ApiResult> {
  const { db } = deps;
  const orderId = normalizeOrderId(req.orderId);
  if (!orderId) return { status: 400, body: { error: "orderId must be an order gid" } };
  const shop = await cachedShopForExtension(db, req.shopId);
  if (!shop || shop.uninstalledAt) return { status: 404, body: { error: "Encore is not installed on this shop" } };

  const facts = await orderFacts(deps, req, orderId);
  // Only the order's own customer sees it on the order status page; on the
  // thank-you page the token carries the buyer when logged in.
  if (facts.customerId && req.customerId && facts.customerId !== req.customerId) {
    return { status: 403, body: { error: "This order belongs to another customer" } };
  }
  if (req.surface === "order_status" && (!req.customerId || (facts.customerId !== undefined && facts.customerId !== req.customerId))) {
    return { status: 403, body: { error: "This order belongs to another customer" } };
  }
  const customerId = req.customerId;
  const points = pointsSummary(shop, { customerShopifyId: customerId, merchandiseTotal: facts.merchandiseTotal, award: facts.award, customer: facts.customer });

  const { items, assignments } = await recommendDetailed(
    db,
    shop.id,
    { orderId, productIds: facts.productIds, customerId, limit: req.limit, surface: req.surface, subtotal: facts.merchandiseTotal, coPurchase: facts.coPurchase },
    deps.now,
  );
  const context = { orderId, customerId, surface: req.surface };
  await recordEvents(db, shop.id, "impression", context, [
    ...items.map((i) => ({ productId: i.productId, offerId: i.offerId, testId: i.testId, arm: i.arm })),
    ...assignments.filter((a) => a.offerId === null).map((a) => ({ productId: HOLDOUT_PRODUCT, offerId: null, testId: a.testId, arm: a.arm })),
  ]);
  return {
    status: 200,
    body: {
      orderId,
      source: facts.source,
      points,
      offers: items.map(({ testId, arm, ...item }) => ({
        ...item,
        discountedPrice: discountedPrice(item.price, item.discount),
        clickUrl: clickUrl(deps.appUrl, deps.secret, {
          s: shop.id,
          o: orderId,
          p: item.productId,
          f: item.offerId,
          t: testId,
          a: arm,
          c: customerId,
          v: req.surface,
          u: item.url,
        }),
      })),
    },
  };
}
