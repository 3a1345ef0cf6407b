// Redeeming points for Shopify discount codes, against the HTTP-level fake of
// the Admin API: success, refusals, timeouts, retries and double clicks, and
// the code being used on a later (signed) orders/paid webhook.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { action as webhookAction } from "../../app/routes/webhooks";
import { appendEntry, sumOfEntries } from "../../app/models/ledger.server";
import { deterministicCode } from "../../app/services/rewards/discounts.server";
import { redeemReward, RedemptionError } from "../../app/services/rewards/redemption.server";
import { unauthenticated } from "../../app/shopify.server";
import { storeOfflineSession } from "../admin";
import { createShop, ledgerEntry, nextId, orderBody } from "../factories";
import { delayed, graphqlCalls, httpError, mockShopifyServer } from "../mock-shopify-server";
import { webhookRequest } from "../webhooks";

let shop: Awaited<ReturnType<typeof createShop>>;
let graphql: (query: string, options?: any) => Promise<Response>;

beforeEach(async () => {
  shop = await createShop(db, { currencyCode: "USD" });
  await storeOfflineSession(shop.id);
  graphql = (await unauthenticated.admin(shop.id)).admin.graphql as never;
});

async function member(balance: number) {
  const legacy = nextId();
  const customer = await db.customer.create({
    data: { shopId: shop.id, shopifyId: `gid://shopify/Customer/${legacy}`, email: `m${legacy}@example.com` },
  });
  if (balance) await ledgerEntry(db, { shopId: shop.id, customerId: customer.id, points: balance });
  return { ...customer, legacy };
}

function reward(data: Partial<{ kind: string; pointsCost: number; value: string | null; productId: string; minimumSubtotal: string; expiryDays: number; active: boolean }> = {}) {
  return db.reward.create({
    data: { shopId: shop.id, title: "$5 off", kind: "amount_off", pointsCost: 500, value: "5.00", ...data },
  });
}

const created = (id = `gid://shopify/DiscountCodeNode/${nextId()}`) => ({
  discountCodeBasicCreate: { codeDiscountNode: { id }, userErrors: [] },
});

async function balanceOf(customerId: string) {
  const c = await db.customer.findUniqueOrThrow({ where: { id: customerId } });
  // The cached balance is always the ledger's sum.
  expect(c.balance).toBe(await sumOfEntries(db, customerId));
  return c.balance;
}

const redeem = (customerId: string, rewardId: string, requestId = `req-${nextId()}`, extra: Partial<Parameters<typeof redeemReward>[2]> = {}) =>
  redeemReward(db, graphql, { shop, customerId, rewardId, requestId, source: "customer", deductPoints: true, timeoutMs: 300, ...extra });

describe("redeeming a reward", () => {
  it("deducts the points and creates a single-use code only this customer can use", async () => {
    const ada = await member(800);
    const r = await reward({ minimumSubtotal: "40.00", expiryDays: 30 });
    mockShopifyServer({ DiscountCodeBasicCreate: created("gid://shopify/DiscountCodeNode/77") });
    const now = new Date("2026-11-23T12:00:00Z");

    const result = await redeem(ada.id, r.id, "req-success-1", { now });

    expect(result).toMatchObject({ status: "issued", pointsCost: 500, endsAt: "2026-12-23T12:00:00.000Z" });
    expect(result.code).toMatch(/^ENC-[A-Z2-9]{10}$/);
    expect(await balanceOf(ada.id)).toBe(300);
    const [call] = graphqlCalls.filter((c) => c.operationName === "DiscountCodeBasicCreate");
    const input = (call.variables as any).basicCodeDiscount;
    expect(input).toMatchObject({
      code: result.code,
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: [ada.shopifyId] } },
      customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "40.00" } },
      startsAt: now.toISOString(),
      endsAt: "2026-12-23T12:00:00.000Z",
    });
    expect(input.customerSelection).toBeUndefined();
    const row = await db.redemption.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(row).toMatchObject({ status: "issued", discountId: "gid://shopify/DiscountCodeNode/77", code: result.code });
    const entries = await db.ledgerEntry.findMany({ where: { customerId: ada.id, type: "redeem" } });
    expect(entries).toMatchObject([{ points: -500, sourceType: "redemption", sourceId: row.id }]);
  });

  it("builds percentage, free product and free shipping codes", async () => {
    const ada = await member(3000);
    const pct = await reward({ kind: "percentage_off", value: "15", pointsCost: 100 });
    const product = await reward({ kind: "free_product", value: null, productId: "gid://shopify/Product/42", pointsCost: 100 });
    const ship = await reward({ kind: "free_shipping", value: null, pointsCost: 100 });
    mockShopifyServer({
      DiscountCodeBasicCreate: created(),
      DiscountCodeFreeShippingCreate: { discountCodeFreeShippingCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/9" }, userErrors: [] } },
    });
    await redeem(ada.id, pct.id);
    await redeem(ada.id, product.id);
    const shipped = await redeem(ada.id, ship.id);
    const basic = graphqlCalls.filter((c) => c.operationName === "DiscountCodeBasicCreate").map((c) => (c.variables as any).basicCodeDiscount);
    expect(basic[0].customerGets).toEqual({ value: { percentage: 0.15 }, items: { all: true } });
    expect(basic[1].customerGets).toEqual({ value: { percentage: 1 }, items: { products: { productsToAdd: ["gid://shopify/Product/42"] } } });
    const free = graphqlCalls.find((c) => c.operationName === "DiscountCodeFreeShippingCreate")!.variables as any;
    expect(free.freeShippingCodeDiscount).toMatchObject({ code: shipped.code, usageLimit: 1, destination: { all: true }, endsAt: null });
    expect(await balanceOf(ada.id)).toBe(2700);
  });

  it("refuses when the balance does not cover the cost, deducting nothing and calling nobody", async () => {
    const ada = await member(499);
    const r = await reward();
    await expect(redeem(ada.id, r.id)).rejects.toMatchObject({ code: "insufficient_points", status: 409 });
    expect(await balanceOf(ada.id)).toBe(499);
    expect(graphqlCalls).toHaveLength(0);
    expect(await db.redemption.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses an inactive reward and another shop's reward", async () => {
    const ada = await member(1000);
    const off = await reward({ active: false });
    await expect(redeem(ada.id, off.id)).rejects.toMatchObject({ code: "inactive" });
    const other = await createShop(db);
    const foreign = await db.reward.create({ data: { shopId: other.id, title: "x", kind: "free_shipping", pointsCost: 1 } });
    await expect(redeem(ada.id, foreign.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await balanceOf(ada.id)).toBe(1000);
  });

  it("gives the points back with a clear error when Shopify refuses (userErrors)", async () => {
    const ada = await member(600);
    const r = await reward();
    mockShopifyServer({
      DiscountCodeBasicCreate: { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: ["basicCodeDiscount", "code"], code: "TAKEN", message: "Code must be unique" }] } },
    });
    const error = await redeem(ada.id, r.id).catch((e) => e);
    expect(error).toBeInstanceOf(RedemptionError);
    expect(error).toMatchObject({ code: "shopify_rejected", status: 422 });
    expect(error.message).toContain("Code must be unique");
    expect(error.message).toContain("points were returned");
    expect(await balanceOf(ada.id)).toBe(600);
    const row = await db.redemption.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(row.status).toBe("failed");
    const refund = await db.ledgerEntry.findFirstOrThrow({ where: { customerId: ada.id, type: "reverse" } });
    expect(refund).toMatchObject({ points: 500, sourceType: "redemption", sourceId: row.id, idempotencyKey: `refund:${row.id}:1` });
  });

  it("gives the points back when Shopify answers with an HTTP error", async () => {
    const ada = await member(600);
    const r = await reward();
    mockShopifyServer({ DiscountCodeBasicCreate: () => httpError(502) });
    await expect(redeem(ada.id, r.id)).rejects.toMatchObject({ code: "shopify_unavailable", status: 503 });
    expect(await balanceOf(ada.id)).toBe(600);
  });

  it("gives the points back on a timeout, and a retry finds the code Shopify did create instead of making a second", async () => {
    const ada = await member(600);
    const r = await reward();
    let creates = 0;
    mockShopifyServer({
      DiscountCodeBasicCreate: delayed(1_000, () => {
        creates++;
        return created("gid://shopify/DiscountCodeNode/555");
      }),
    });
    await expect(redeem(ada.id, r.id, "req-timeout-1")).rejects.toMatchObject({ code: "shopify_unavailable" });
    expect(await balanceOf(ada.id)).toBe(600);
    expect((await db.redemption.findFirstOrThrow({ where: { shopId: shop.id } })).status).toBe("unknown");

    // Shopify did create it after all; the retry looks the code up first.
    mockShopifyServer({ CodeDiscountNodeByCode: { codeDiscountNodeByCode: { id: "gid://shopify/DiscountCodeNode/555" } } });
    const retried = await redeem(ada.id, r.id, "req-timeout-1");
    expect(retried).toMatchObject({ status: "issued" });
    const lookups = graphqlCalls.filter((c) => c.operationName === "CodeDiscountNodeByCode");
    expect(lookups).toHaveLength(1);
    expect(lookups[0].variables).toEqual({ code: retried.code });
    expect(creates).toBeLessThanOrEqual(1);
    expect(graphqlCalls.filter((c) => c.operationName === "DiscountCodeBasicCreate")).toHaveLength(1);
    // Deducted, returned, deducted again: exactly one reward's worth.
    expect(await balanceOf(ada.id)).toBe(100);
    expect(await db.redemption.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "issued", attempt: 2, discountId: "gid://shopify/DiscountCodeNode/555" });
  });

  it("a retry after a timeout creates the code when Shopify has none", async () => {
    const ada = await member(600);
    const r = await reward();
    mockShopifyServer({ DiscountCodeBasicCreate: delayed(1_000, created()) });
    await expect(redeem(ada.id, r.id, "req-timeout-2")).rejects.toMatchObject({ code: "shopify_unavailable" });
    mockShopifyServer({ CodeDiscountNodeByCode: { codeDiscountNodeByCode: null }, DiscountCodeBasicCreate: created("gid://shopify/DiscountCodeNode/8") });
    const retried = await redeem(ada.id, r.id, "req-timeout-2");
    expect(retried.status).toBe("issued");
    const creates = graphqlCalls.filter((c) => c.operationName === "DiscountCodeBasicCreate");
    expect(creates).toHaveLength(2);
    expect((creates[1].variables as any).basicCodeDiscount.code).toBe((creates[0].variables as any).basicCodeDiscount.code);
    expect(await balanceOf(ada.id)).toBe(100);
  });

  it("returns the same code for the same request id, without asking Shopify again", async () => {
    const ada = await member(1200);
    const r = await reward();
    mockShopifyServer({ DiscountCodeBasicCreate: created() });
    const first = await redeem(ada.id, r.id, "req-same-1");
    const again = await redeem(ada.id, r.id, "req-same-1");
    expect(again).toEqual(first);
    expect(graphqlCalls.filter((c) => c.operationName === "DiscountCodeBasicCreate")).toHaveLength(1);
    expect(await balanceOf(ada.id)).toBe(700);
  });

  it("a double click (two concurrent requests, one request id) issues one code and deducts once", async () => {
    const ada = await member(1200);
    const r = await reward();
    mockShopifyServer({ DiscountCodeBasicCreate: delayed(100, created()) });
    const [a, b] = await Promise.all([
      redeem(ada.id, r.id, "req-double-1", { waitMs: 5_000 }),
      redeem(ada.id, r.id, "req-double-1", { waitMs: 5_000 }),
    ]);
    expect(a.code).toBe(b.code);
    expect(a.status).toBe("issued");
    expect(graphqlCalls.filter((c) => c.operationName === "DiscountCodeBasicCreate")).toHaveLength(1);
    expect(await db.redemption.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await balanceOf(ada.id)).toBe(700);
  });

  it("a twin request that cannot wait for the first answers 'in progress', and the first still issues once", async () => {
    const ada = await member(1200);
    const r = await reward();
    mockShopifyServer({ DiscountCodeBasicCreate: delayed(250, created()) });
    const first = redeem(ada.id, r.id, "req-slow-1", { timeoutMs: 2_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(redeem(ada.id, r.id, "req-slow-1", { waitMs: 20 })).rejects.toMatchObject({ code: "in_progress", status: 409 });
    expect((await first).status).toBe("issued");
    expect(await redeem(ada.id, r.id, "req-slow-1")).toMatchObject({ status: "issued", code: (await first).code });
    expect(graphqlCalls.filter((c) => c.operationName === "DiscountCodeBasicCreate")).toHaveLength(1);
    expect(await balanceOf(ada.id)).toBe(700);
  });

  it("recovers an attempt left pending by a process that died: its points come back, the retry issues once", async () => {
    const ada = await member(600);
    const r = await reward();
    const requestKey = `${ada.id}:req-dead-1`;
    const row = await db.redemption.create({
      data: { shopId: shop.id, customerId: ada.id, rewardId: r.id, requestId: requestKey, status: "pending", pointsCost: 500, source: "customer", code: deterministicCode("ENC", shop.id, requestKey), snapshot: JSON.stringify({ ...r, kind: "amount_off" }) },
    });
    await db.$transaction((tx) => appendEntry(tx, { shopId: shop.id, customerId: ada.id, type: "redeem", points: -500, sourceType: "redemption", sourceId: row.id, idempotencyKey: `redeem:${row.id}:1`, allowNegative: false }));
    await db.redemption.update({ where: { id: row.id }, data: { updatedAt: new Date(Date.now() - 10 * 60_000) } });
    expect(await balanceOf(ada.id)).toBe(100);

    mockShopifyServer({ CodeDiscountNodeByCode: { codeDiscountNodeByCode: null }, DiscountCodeBasicCreate: created() });
    const result = await redeem(ada.id, r.id, "req-dead-1");
    expect(result).toMatchObject({ status: "issued", code: row.code });
    expect(graphqlCalls.map((c) => c.operationName)).toEqual(["CodeDiscountNodeByCode", "DiscountCodeBasicCreate"]);
    expect(await balanceOf(ada.id)).toBe(100);
    const keys = (await db.ledgerEntry.findMany({ where: { sourceId: row.id }, orderBy: { createdAt: "asc" } })).map((e) => e.idempotencyKey);
    expect(keys.sort()).toEqual([`redeem:${row.id}:1`, `redeem:${row.id}:2`, `refund:${row.id}:1`]);
  });

  it("two customers never share a request id's redemption", async () => {
    const ada = await member(600);
    const grace = await member(600);
    const r = await reward();
    mockShopifyServer({ DiscountCodeBasicCreate: created() });
    const a = await redeem(ada.id, r.id, "req-shared-1");
    const g = await redeem(grace.id, r.id, "req-shared-1");
    expect(a.code).not.toBe(g.code);
    expect(await balanceOf(ada.id)).toBe(100);
    expect(await balanceOf(grace.id)).toBe(100);
  });

  it("a merchant's gift issues a code without taking points", async () => {
    const ada = await member(0);
    const r = await reward();
    mockShopifyServer({ DiscountCodeBasicCreate: created() });
    const gift = await redeem(ada.id, r.id, "req-gift-1", { source: "admin", deductPoints: false, actor: "staff@example.com" });
    expect(gift).toMatchObject({ status: "issued", pointsCost: 0, deductPoints: false });
    expect(await balanceOf(ada.id)).toBe(0);
    expect(await db.ledgerEntry.count({ where: { customerId: ada.id } })).toBe(0);
  });
});

describe("code usage", () => {
  async function deliverPaid(body: object) {
    const response = await webhookAction({ request: webhookRequest({ topic: "orders/paid", shop: shop.id, body }), params: {}, context: {} });
    expect(response.status).toBe(200);
  }

  it("marks the redemption used when a signed orders/paid carries its code", async () => {
    const ada = await member(600);
    const r = await reward();
    mockShopifyServer({ DiscountCodeBasicCreate: created() });
    const issued = await redeem(ada.id, r.id);
    const order = orderBody({ customerId: ada.legacy, lines: [{ price: "30.00" }] });
    await deliverPaid({ ...order, discount_codes: [{ code: issued.code!.toLowerCase(), amount: "5.00", type: "fixed_amount" }] });
    const row = await db.redemption.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(row).toMatchObject({ status: "used", orderId: `gid://shopify/Order/${order.id}` });
    expect(row.usedAt).toBeInstanceOf(Date);
    // The order still earned its points as usual.
    expect(await balanceOf(ada.id)).toBe(100 + 30);
  });

  it("ignores orders with other codes", async () => {
    const ada = await member(600);
    const r = await reward();
    mockShopifyServer({ DiscountCodeBasicCreate: created() });
    await redeem(ada.id, r.id);
    await deliverPaid({ ...orderBody({ customerId: ada.legacy, lines: [{ price: "10.00" }] }), discount_codes: [{ code: "SUMMER", amount: "1.00", type: "fixed_amount" }] });
    expect((await db.redemption.findFirstOrThrow({ where: { shopId: shop.id } })).status).toBe("issued");
  });

  it("charges a timed-out code that Shopify did create once it is used", async () => {
    const ada = await member(600);
    const r = await reward();
    mockShopifyServer({ DiscountCodeBasicCreate: delayed(1_000, created()) });
    await expect(redeem(ada.id, r.id, "req-late-1")).rejects.toMatchObject({ code: "shopify_unavailable" });
    const row = await db.redemption.findFirstOrThrow({ where: { shopId: shop.id } });
    await deliverPaid({ ...orderBody({ customerId: ada.legacy, lines: [{ price: "9.00" }] }), discount_codes: [{ code: row.code, amount: "5.00", type: "fixed_amount" }] });
    expect((await db.redemption.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("used");
    expect(await balanceOf(ada.id)).toBe(600 - 500 + 9);
  });
});
