// What to offer after an order, for every surface (thank-you page, order
// status page, post-purchase emails). Reads the catalog cache, the merchant's
// offers and the precomputed co-purchase rows; the choice itself is the pure
// engine's (./engine.ts).
import type { Db } from "../../db.server";
import { cachedBestSellers, cachedCatalog, cachedOfferRules, cachedOfferSettings, recommendationsFor } from "../../models/offers.server";
import { recommend, reasonText, type CoPurchaseRow, type OfferRule } from "./engine";
import { armResolver, runningTests, type ArmAssignment } from "./experiments.server";

export interface RecommendedProduct {
  productId: string;
  variantId: string | null;
  title: string;
  handle: string;
  imageUrl: string | null;
  price: string;
  currencyCode: string;
  discount: { kind: "percent" | "amount"; value: string } | null;
  offerId: string | null;
  reason: string;
  url: string;
}

export interface RecommendInput {
  orderId?: string;
  productIds: string[];
  customerId?: string | null;
  limit: number;
  surface: "thank_you" | "order_status" | "email";
  /** Merchandise subtotal, for order value triggers (optional). */
  subtotal?: string | null;
  /** The precomputed recommendations of productIds, when the caller read them already. */
  coPurchase?: CoPurchaseRow[];
  /** The admin preview: an unsaved offer, in place of its saved version. */
  draft?: OfferRule;
}

export interface DetailedRecommendation extends RecommendedProduct {
  testId: string | null;
  arm: string | null;
}

const numericId = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/** A cart permalink: adds the variant to a new cart and applies the code. */
export function cartPermalink(shopDomain: string, variantId: string, code: string | null): string {
  const url = `https://${shopDomain}/cart/${numericId(variantId)}:1`;
  return code ? `${url}?discount=${encodeURIComponent(code)}` : url;
}

export const MAX_LIMIT = 10;

export async function recommendDetailed(
  db: Db,
  shopId: string,
  input: RecommendInput,
  now = new Date(),
): Promise<{ items: DetailedRecommendation[]; assignments: ArmAssignment[] }> {
  const limit = Math.max(0, Math.min(MAX_LIMIT, Math.floor(input.limit)));
  if (limit === 0) return { items: [], assignments: [] };
  const productIds = [...new Set(input.productIds)];
  // Rules, settings, running tests and best-sellers change rarely: they come
  // from the per-shop cache (invalidated in this process on every admin save).
  const [saved, settings, coPurchase, sellers, tests] = await Promise.all([
    cachedOfferRules(db, shopId),
    cachedOfferSettings(db, shopId),
    input.coPurchase ?? recommendationsFor(db, shopId, productIds),
    cachedBestSellers(db, shopId, limit + productIds.length + 20),
    runningTests(db, shopId),
  ]);
  const rules = input.draft ? [...saved.filter((r) => r.id !== input.draft!.id), input.draft] : saved;
  const candidates = new Set<string>([
    ...productIds,
    ...rules.flatMap((r) => r.offeredProductIds),
    ...coPurchase.map((r) => r.recommendedId),
    ...settings.fallbackProductIds,
    ...sellers.map((s) => s.productId),
  ]);
  const catalog = await cachedCatalog(db, shopId, [...candidates]);
  const assignments: ArmAssignment[] = [];
  const unitId = input.orderId ?? input.customerId ?? [...productIds].sort().join(",");
  const picks = recommend({
    basket: { productIds, subtotal: input.subtotal ?? null },
    catalog,
    rules,
    coPurchase,
    fallbackProductIds: settings.fallbackProductIds,
    bestSellers: sellers.map((s) => ({ productId: s.productId, buyers: s.buyers })),
    limit,
    now,
    resolveRule: armResolver(tests, rules, unitId, assignments),
  });
  const items = picks.map((pick): DetailedRecommendation => {
    const item = catalog.get(pick.productId)!;
    const assignment = pick.offerId ? assignments.find((a) => a.offerId === pick.offerId) : undefined;
    return {
      productId: item.productId,
      variantId: item.variantId,
      title: item.title,
      handle: item.handle,
      imageUrl: item.imageUrl,
      price: item.price,
      currencyCode: item.currencyCode,
      discount: pick.discount,
      offerId: pick.offerId,
      reason: reasonText(pick.reason),
      url: item.variantId ? cartPermalink(shopId, item.variantId, pick.discountCode) : `https://${shopId}/products/${item.handle}`,
      testId: assignment?.testId ?? null,
      arm: assignment?.arm ?? null,
    };
  });
  return { items, assignments };
}

export async function recommendForOrder(
  db: Db,
  shopId: string,
  input: { orderId?: string; productIds: string[]; customerId?: string | null; limit: number; surface: "thank_you" | "order_status" | "email" },
): Promise<RecommendedProduct[]> {
  const { items } = await recommendDetailed(db, shopId, input);
  return items.map(({ testId: _t, arm: _a, ...product }) => product);
}
