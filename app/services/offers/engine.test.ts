import { describe, expect, it } from "vitest";
import { armFor, verdict, wilson } from "./ab";
import {
  cosine,
  foldPurchases,
  isOfferable,
  matchingRules,
  reasonText,
  recommend,
  topK,
  type CatalogItem,
  type OfferRule,
  type PurchaseRecord,
} from "./engine";
import { validateOffer } from "./validation";

const P = (n: number) => `gid://shopify/Product/${n}`;
const C = (n: number) => `gid://shopify/Collection/${n}`;

function item(n: number, over: Partial<CatalogItem> = {}): CatalogItem {
  return {
    productId: P(n),
    title: `Product ${n}`,
    handle: `product-${n}`,
    imageUrl: null,
    price: "20.00",
    currencyCode: "USD",
    status: "ACTIVE",
    published: true,
    inventory: 5,
    tags: [],
    collectionIds: [],
    variantId: `gid://shopify/ProductVariant/${n}0`,
    ...over,
  };
}

const catalogOf = (...items: CatalogItem[]) => new Map(items.map((i) => [i.productId, i]));

function rule(over: Partial<OfferRule> = {}): OfferRule {
  return {
    id: "r1",
    name: "Socks with jeans",
    enabled: true,
    priority: 0,
    triggerType: "any",
    triggerValues: [],
    minOrderValue: null,
    maxOrderValue: null,
    offeredProductIds: [],
    discount: null,
    discountCode: null,
    startsAt: null,
    endsAt: null,
    ...over,
  };
}

const now = new Date("2026-11-23T12:00:00Z");

describe("rule matching", () => {
  const catalog = catalogOf(item(1, { collectionIds: [C(7)], tags: ["Denim"] }), item(2), item(3));

  it("matches on product, collection, tag and order value", () => {
    const basket = { productIds: [P(1)], subtotal: "80.00" };
    expect(matchingRules([rule({ triggerType: "product", triggerValues: [P(1)] })], basket, catalog, now)).toHaveLength(1);
    expect(matchingRules([rule({ triggerType: "product", triggerValues: [P(2)] })], basket, catalog, now)).toHaveLength(0);
    expect(matchingRules([rule({ triggerType: "collection", triggerValues: [C(7)] })], basket, catalog, now)).toHaveLength(1);
    expect(matchingRules([rule({ triggerType: "collection", triggerValues: [C(8)] })], basket, catalog, now)).toHaveLength(0);
    expect(matchingRules([rule({ triggerType: "tag", triggerValues: ["denim"] })], basket, catalog, now)).toHaveLength(1);
    expect(matchingRules([rule({ triggerType: "order_value", minOrderValue: "80.00" })], basket, catalog, now)).toHaveLength(1);
    expect(matchingRules([rule({ triggerType: "order_value", minOrderValue: "80.01" })], basket, catalog, now)).toHaveLength(0);
    expect(matchingRules([rule({ triggerType: "order_value", maxOrderValue: "79.99" })], basket, catalog, now)).toHaveLength(0);
    // Unknown subtotal never satisfies a value range.
    expect(matchingRules([rule({ minOrderValue: "1" })], { productIds: [P(1)], subtotal: null }, catalog, now)).toHaveLength(0);
  });

  it("respects on/off and the date window, and sorts by priority then age", () => {
    const basket = { productIds: [P(1)], subtotal: null };
    expect(matchingRules([rule({ enabled: false })], basket, catalog, now)).toHaveLength(0);
    expect(matchingRules([rule({ startsAt: new Date("2026-11-24") })], basket, catalog, now)).toHaveLength(0);
    expect(matchingRules([rule({ endsAt: now })], basket, catalog, now)).toHaveLength(0);
    const sorted = matchingRules(
      [
        rule({ id: "low", priority: 1 }),
        rule({ id: "newer", priority: 5, createdAt: new Date("2026-02-01") }),
        rule({ id: "older", priority: 5, createdAt: new Date("2026-01-01") }),
      ],
      basket,
      catalog,
      now,
    );
    expect(sorted.map((r) => r.id)).toEqual(["older", "newer", "low"]);
  });
});

describe("exclusions", () => {
  it("never offers what was just bought, unpublished, inactive, out-of-stock or deleted products", () => {
    expect(isOfferable(item(1))).toBe(true);
    expect(isOfferable(item(1, { published: false }))).toBe(false);
    expect(isOfferable(item(1, { status: "DRAFT" }))).toBe(false);
    expect(isOfferable(item(1, { inventory: 0 }))).toBe(false);
    expect(isOfferable(item(1, { inventory: null }))).toBe(true);
    expect(isOfferable(item(1, { variantId: null }))).toBe(false);
    expect(isOfferable(item(1, { deleted: true }))).toBe(false);

    const catalog = catalogOf(item(1), item(2, { inventory: 0 }), item(3, { published: false }), item(4), item(5));
    const picks = recommend({
      basket: { productIds: [P(1)], subtotal: null },
      catalog,
      rules: [rule({ offeredProductIds: [P(1), P(2), P(3), P(4)], discount: { kind: "percent", value: "10" }, discountCode: "ENCORE-X" })],
      coPurchase: [],
      fallbackProductIds: [P(4), P(5)],
      bestSellers: [],
      limit: 5,
      now,
    });
    expect(picks.map((p) => p.productId)).toEqual([P(4), P(5)]);
    expect(picks[0]).toMatchObject({ offerId: "r1", discountCode: "ENCORE-X", discount: { kind: "percent", value: "10" } });
    expect(picks[1]).toMatchObject({ offerId: null, reason: { kind: "merchant_pick" } });
  });
});

describe("sources in order: offers, bought together, merchant picks, best-sellers", () => {
  it("fills up to the limit without duplicates", () => {
    const catalog = catalogOf(item(1), item(2), item(3), item(4), item(5), item(6));
    const picks = recommend({
      basket: { productIds: [P(1)], subtotal: null },
      catalog,
      rules: [rule({ offeredProductIds: [P(2)] })],
      coPurchase: [
        { productId: P(1), recommendedId: P(3), score: 0.5, support: 38 },
        { productId: P(1), recommendedId: P(2), score: 0.9, support: 40 },
        { productId: P(9), recommendedId: P(6), score: 0.99, support: 40 }, // not for this basket
      ],
      fallbackProductIds: [P(3), P(4)],
      bestSellers: [{ productId: P(1), buyers: 100 }, { productId: P(5), buyers: 90 }, { productId: P(6), buyers: 10 }],
      limit: 4,
      now,
    });
    expect(picks.map((p) => [p.productId, p.reason.kind])).toEqual([
      [P(2), "offer"],
      [P(3), "bought_together"],
      [P(4), "merchant_pick"],
      [P(5), "best_seller"],
    ]);
    expect(reasonText(picks[1].reason)).toBe("Bought together by 38 customers");
  });
});

describe("co-purchase scoring", () => {
  it("uses cosine with a minimum support, so best-sellers do not drown everything", () => {
    expect(cosine(1, 10, 10, 2)).toBeNull();
    expect(cosine(4, 4, 16, 2)).toBeCloseTo(0.5);
    // A: 10 buyers. B (niche): 5 buyers, 4 with A. S (best-seller): 100 buyers, 6 with A.
    const buyers = new Map([[P(1), 10], [P(2), 5], [P(3), 100]]);
    const lists = topK([{ a: P(1), b: P(2), together: 4 }, { a: P(1), b: P(3), together: 6 }], buyers, 5, 2);
    expect(lists.get(P(1))!.map((r) => r.recommendedId)).toEqual([P(2), P(3)]);
  });

  it("breaks score ties by support, then product id", () => {
    const buyers = new Map([[P(1), 4], [P(2), 4], [P(3), 4], [P(4), 9]]);
    const lists = topK(
      [{ a: P(1), b: P(3), together: 2 }, { a: P(1), b: P(2), together: 2 }, { a: P(1), b: P(4), together: 3 }],
      buyers,
      5,
      2,
    );
    // 2/√16 = 0.5 for P2 and P3 (tie → id), 3/√36 = 0.5 for P4 (tie → more support first).
    expect(lists.get(P(1))!.map((r) => r.recommendedId)).toEqual([P(4), P(2), P(3)]);
    expect(topK([{ a: P(1), b: P(2), together: 2 }], buyers, 1, 2).get(P(2))).toHaveLength(1);
  });

  it("counts customers, not orders, and each order once", () => {
    const orders: PurchaseRecord[] = [
      { orderId: "o1", buyerKey: "c1", productIds: [P(1), P(2)] },
      { orderId: "o2", buyerKey: "c1", productIds: [P(1), P(2)] }, // same customer again
      { orderId: "o2", buyerKey: "c1", productIds: [P(1), P(2)] }, // same order twice
      { orderId: "o3", buyerKey: "c1", productIds: [P(3)] }, // later: pairs with 1 and 2
      { orderId: "o4", buyerKey: "c2", productIds: [P(2), P(2), P(3)] },
    ];
    const stats = foldPurchases(orders);
    expect(Object.fromEntries(stats.buyers)).toEqual({ [P(1)]: 1, [P(2)]: 2, [P(3)]: 2 });
    expect(Object.fromEntries(stats.pairs)).toEqual({ [`${P(1)}|${P(2)}`]: 1, [`${P(1)}|${P(3)}`]: 1, [`${P(2)}|${P(3)}`]: 2 });
  });
});

describe("A/B assignment and intervals", () => {
  it("assigns an order to the same arm every time, splitting about as asked", () => {
    expect(armFor("t1", "gid://shopify/Order/1", 50)).toBe(armFor("t1", "gid://shopify/Order/1", 50));
    const arms = Array.from({ length: 2000 }, (_, i) => armFor("t1", `gid://shopify/Order/${i}`, 30));
    const b = arms.filter((a) => a === "b").length / arms.length;
    expect(b).toBeGreaterThan(0.25);
    expect(b).toBeLessThan(0.35);
    expect(armFor("t1", "x", 0)).toBe("a");
  });

  it("computes Wilson intervals and only calls a winner when they separate", () => {
    const w = wilson(10, 100);
    expect(w.rate).toBeCloseTo(0.1);
    expect(w.low).toBeCloseTo(0.0552, 3);
    expect(w.high).toBeCloseTo(0.1744, 3);
    expect(wilson(0, 0)).toEqual({ rate: 0, low: 0, high: 0 });
    const arm = (n: number, k: number, name: "a" | "b") => ({ arm: name, exposures: n, conversions: k, revenue: "0.00", ...wilson(k, n) });
    expect(verdict(arm(100, 10, "a"), arm(100, 12, "b"))).toEqual({ leader: "b", significant: false });
    expect(verdict(arm(1000, 50, "a"), arm(1000, 150, "b"))).toEqual({ leader: "b", significant: true });
  });
});

describe("offer form validation", () => {
  const form = (fields: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.set(k, v);
    return f;
  };
  it("accepts a complete offer and names every bad field", () => {
    const ok = validateOffer(
      form({ name: "Belts", triggerType: "collection", triggerValues: JSON.stringify([C(1)]), offeredProductIds: JSON.stringify([P(2)]), discountKind: "percent", discountValue: "15" }),
    );
    expect(ok).toMatchObject({ ok: true, value: { discountKind: "percent", discountValue: "15", triggerValues: [C(1)] } });
    const bad = validateOffer(form({ name: "", triggerType: "product", discountKind: "percent", discountValue: "120", minOrderValue: "9", maxOrderValue: "5" }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(["discountValue", "maxOrderValue", "name", "offeredProductIds", "triggerValues"]);
  });
});
