// The customer account extension's endpoints, called the way Shopify's
// customer accounts call them: a session token signed with the app secret,
// `sub` the customer's gid, `dest` the shop, from another origin.
import { API_KEY, API_SECRET_KEY, getJwt } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { action as redeemAction, loader as redeemLoader } from "../../app/routes/api.rewards.redeem";
import { action as rewardsAction, loader as rewardsLoader } from "../../app/routes/api.rewards";
import { storeOfflineSession, call } from "../admin";
import { createShop, ledgerEntry, nextId } from "../factories";
import { graphqlCalls, mockShopifyServer } from "../mock-shopify-server";

const ORIGIN = "https://extensions.shopifycdn.com";
const args = (request: Request) => ({ request, params: {}, context: {} });
let shop: string;

beforeEach(async () => {
  shop = (await createShop(db, { currencyCode: "USD" })).id;
  await storeOfflineSession(shop);
});

async function member(shopId: string, balance: number) {
  const legacy = nextId();
  const customer = await db.customer.create({ data: { shopId, shopifyId: `gid://shopify/Customer/${legacy}` } });
  if (balance) await ledgerEntry(db, { shopId, customerId: customer.id, points: balance });
  return customer;
}

async function token(shopId: string, customerGid: string, overrides: Record<string, unknown> = {}, secret = API_SECRET_KEY) {
  const { token } = await getJwt(shopId.replace(".myshopify.com", ""), API_KEY, secret, { sub: customerGid, dest: `https://${shopId}`, iss: `https://${shopId}/account`, ...overrides } as never);
  return token;
}

function request(path: string, bearer: string | null, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("Origin", ORIGIN);
  headers.set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36");
  if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
  return new Request(`https://my-test-app.myshopify.io${path}`, { ...init, headers });
}

async function get(bearer: string | null) {
  const res = (await call(() => rewardsLoader(args(request("/api/rewards", bearer))))) as Response;
  return { res, body: await res.json().catch(() => null) };
}

async function redeem(bearer: string | null, body: unknown) {
  const res = (await call(() =>
    redeemAction(args(request("/api/rewards/redeem", bearer, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }))),
  )) as Response;
  return { res, body: await res.json().catch(() => null) };
}

describe("GET /api/rewards", () => {
  it("answers the signed-in customer's balance, the shop's active rewards and past codes, with CORS", async () => {
    const ada = await member(shop, 750);
    await db.reward.create({ data: { shopId: shop, title: "$5 off", kind: "amount_off", pointsCost: 500, value: "5.00" } });
    await db.reward.create({ data: { shopId: shop, title: "Big", kind: "percentage_off", pointsCost: 5000, value: "20" } });
    await db.reward.create({ data: { shopId: shop, title: "Old", kind: "free_shipping", pointsCost: 10, active: false } });
    const { res, body } = await get(await token(shop, ada.shopifyId));
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(body.balance).toBe(750);
    expect(body.pending).toBeNull();
    expect(body.rewards.map((r: any) => [r.title, r.affordable, r.description])).toEqual([
      ["$5 off", true, "$5.00 off"],
      ["Big", false, "20% off"],
    ]);
    expect(body.redemptions).toEqual([]);
  });

  it("makes a signed-in customer without orders a member with zero points", async () => {
    const gidNew = `gid://shopify/Customer/${nextId()}`;
    const { res, body } = await get(await token(shop, gidNew));
    expect(res.status).toBe(200);
    expect(body.balance).toBe(0);
    expect(await db.customer.count({ where: { shopId: shop, shopifyId: gidNew } })).toBe(1);
  });

  it("answers the preflight with CORS headers", async () => {
    const res = (await call(() => rewardsAction(args(request("/api/rewards", null, { method: "OPTIONS" }))))) as Response;
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
  });

  it("rejects missing, expired and forged tokens with 401 (readable cross-origin)", async () => {
    const ada = await member(shop, 100);
    const now = Date.now() / 1000;
    const cases = [
      null,
      await token(shop, ada.shopifyId, { exp: now - 60, iat: now - 3600, nbf: now - 3600 }),
      await token(shop, ada.shopifyId, {}, "not-the-app-secret"),
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJnaWQ6Ly9zaG9waWZ5L0N1c3RvbWVyLzEifQ.forged",
    ];
    for (const bearer of cases) {
      const { res } = await get(bearer);
      expect(res.status).toBe(401);
    }
    const { res, body } = await get(cases[1]);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(body?.error?.code).toBe("unauthorized");
  });

  it("rejects a token without a customer (not signed in) or for another app", async () => {
    expect((await get(await token(shop, ""))).res.status).toBe(401);
    const ada = await member(shop, 1);
    expect((await get(await token(shop, ada.shopifyId, { aud: "another-app" }))).res.status).toBe(401);
  });

  it("answers only for the token's shop: the same customer id in another shop sees that shop's account", async () => {
    const other = (await createShop(db)).id;
    const legacy = nextId();
    const here = await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${legacy}` } });
    const there = await db.customer.create({ data: { shopId: other, shopifyId: `gid://shopify/Customer/${legacy}` } });
    await ledgerEntry(db, { shopId: shop, customerId: here.id, points: 10 });
    await ledgerEntry(db, { shopId: other, customerId: there.id, points: 999 });
    await db.reward.create({ data: { shopId: other, title: "Other shop's", kind: "free_shipping", pointsCost: 1 } });
    const { body } = await get(await token(shop, here.shopifyId));
    expect(body.balance).toBe(10);
    expect(body.rewards).toEqual([]);
    const theirs = await get(await token(other, there.shopifyId));
    expect(theirs.body.balance).toBe(999);
  });

  it("404s for a shop that has not installed Encore", async () => {
    const { res } = await get(await token(`ghost-${nextId()}.myshopify.com`, `gid://shopify/Customer/${nextId()}`));
    expect(res.status).toBe(404);
  });
});

describe("POST /api/rewards/redeem", () => {
  it("redeems for the signed-in customer and answers the code and new balance", async () => {
    const ada = await member(shop, 600);
    const reward = await db.reward.create({ data: { shopId: shop, title: "Free shipping", kind: "free_shipping", pointsCost: 200 } });
    mockShopifyServer({ DiscountCodeFreeShippingCreate: { discountCodeFreeShippingCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] } } });
    const { res, body } = await redeem(await token(shop, ada.shopifyId), { rewardId: reward.id, requestId: "click-0001-abc" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(body.balance).toBe(400);
    expect(body.redemption).toMatchObject({ status: "issued", title: "Free shipping" });
    expect(body.redemption.code).toMatch(/^ENC-/);
    // Through the shop's offline session, restricted to this customer.
    const call = graphqlCalls.find((c) => c.operationName === "DiscountCodeFreeShippingCreate")!;
    expect(call.shop).toBe(shop);
    expect((call.variables as any).freeShippingCodeDiscount.context).toEqual({ customers: { add: [ada.shopifyId] } });
    const again = await get(await token(shop, ada.shopifyId));
    expect(again.body.redemptions).toHaveLength(1);
    expect(again.body.redemptions[0].code).toBe(body.redemption.code);
  });

  it("answers clear errors: insufficient points, bad body, Shopify refusing", async () => {
    const ada = await member(shop, 100);
    const bearer = await token(shop, ada.shopifyId);
    const reward = await db.reward.create({ data: { shopId: shop, title: "$5", kind: "amount_off", pointsCost: 50, value: "5" } });
    const pricey = await db.reward.create({ data: { shopId: shop, title: "$50", kind: "amount_off", pointsCost: 5000, value: "50" } });
    const poor = await redeem(bearer, { rewardId: pricey.id, requestId: "click-0002-abc" });
    expect(poor.res.status).toBe(409);
    expect(poor.body.error.code).toBe("insufficient_points");
    const bad = await redeem(bearer, { rewardId: reward.id });
    expect(bad.res.status).toBe(400);
    mockShopifyServer({ DiscountCodeBasicCreate: { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: ["code"], message: "Starts at is invalid" }] } } });
    const refused = await redeem(bearer, { rewardId: reward.id, requestId: "click-0003-abc" });
    expect(refused.res.status).toBe(422);
    expect(refused.body.error.message).toContain("points were returned");
    expect((await db.customer.findUniqueOrThrow({ where: { id: ada.id } })).balance).toBe(100);
  });

  it("cannot redeem another shop's reward", async () => {
    const other = (await createShop(db)).id;
    const ada = await member(shop, 1000);
    const foreign = await db.reward.create({ data: { shopId: other, title: "x", kind: "free_shipping", pointsCost: 1 } });
    const { res } = await redeem(await token(shop, ada.shopifyId), { rewardId: foreign.id, requestId: "click-0004-abc" });
    expect(res.status).toBe(404);
    expect(graphqlCalls).toHaveLength(0);
  });

  it("rejects a forged token and GET", async () => {
    const ada = await member(shop, 1000);
    const forged = await token(shop, ada.shopifyId, {}, "wrong-secret");
    expect((await redeem(forged, { rewardId: "x", requestId: "click-0005-abc" })).res.status).toBe(401);
    const res = (await call(() => redeemLoader(args(request("/api/rewards/redeem", null))))) as Response;
    expect(res.status).toBe(401);
  });
});
