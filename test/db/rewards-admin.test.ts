// The Rewards and Referrals admin pages' loaders and actions, and issuing a
// reward from the customer page, authenticated as the embedded admin is.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { action as issueAction, loader as issueLoader } from "../../app/routes/app.customers.$id.rewards";
import { action as referralsAction, loader as referralsLoader } from "../../app/routes/app.referrals";
import { action as editAction, loader as editLoader } from "../../app/routes/app.rewards.$id";
import { action as listAction, loader as listLoader } from "../../app/routes/app.rewards._index";
import { adminFetch, call, form, storeOfflineSession } from "../admin";
import { createShop, ledgerEntry, nextId } from "../factories";
import { graphqlCalls, mockShopifyServer } from "../mock-shopify-server";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
let shop: string;

beforeEach(async () => {
  shop = `shop-${nextId()}.myshopify.com`;
  await createShop(db, { id: shop });
  await storeOfflineSession(shop);
});

const valid = { title: "$5 off", kind: "amount_off", pointsCost: "500", value: "5", minimumSubtotal: "", expiryDays: "30", active: "true" };

describe("rewards catalog", () => {
  it("creates a reward, lists it, and edits it", async () => {
    const res = (await call(async () => editAction(args(await adminFetch(shop, "/app/rewards/new", form(valid)), { id: "new" })))) as Response;
    expect(res.status).toBe(302);
    const list = (await listLoader(args(await adminFetch(shop, "/app/rewards")))) as any;
    expect(list.rewards).toMatchObject([{ title: "$5 off", pointsCost: 500, active: true, description: "$5.00 off", issued: 0 }]);
    const id = list.rewards[0].id;
    await call(async () => editAction(args(await adminFetch(shop, `/app/rewards/${id}`, form({ ...valid, title: "Ten off", value: "10.00" })), { id })));
    const edited = (await editLoader(args(await adminFetch(shop, `/app/rewards/${id}`), { id }))) as any;
    expect(edited.reward).toMatchObject({ title: "Ten off", value: "10.00" });
  });

  it("answers inline errors for bad input and saves nothing", async () => {
    const result = (await editAction(
      args(await adminFetch(shop, "/app/rewards/new", form({ ...valid, title: " ", pointsCost: "-3", value: "0", expiryDays: "abc" })), { id: "new" }),
    )) as any;
    expect(result.ok).toBe(false);
    expect(Object.keys(result.errors).sort()).toEqual(["expiryDays", "pointsCost", "title", "value"]);
    const product = (await editAction(args(await adminFetch(shop, "/app/rewards/new", form({ ...valid, kind: "free_product", value: "" })), { id: "new" }))) as any;
    expect(product.errors).toEqual({ productId: "Pick the product customers get for free." });
    expect(await db.reward.count({ where: { shopId: shop } })).toBe(0);
  });

  it("saves a free product picked with the resource picker", async () => {
    await call(async () =>
      editAction(args(await adminFetch(shop, "/app/rewards/new", form({ ...valid, kind: "free_product", value: "", productId: "gid://shopify/Product/42", productTitle: "Snowboard" })), { id: "new" })),
    );
    expect(await db.reward.findFirst({ where: { shopId: shop } })).toMatchObject({ kind: "free_product", productId: "gid://shopify/Product/42", productTitle: "Snowboard", value: null });
  });

  it("deactivates and reactivates; another shop's reward is out of reach", async () => {
    const r = await db.reward.create({ data: { shopId: shop, title: "Ship", kind: "free_shipping", pointsCost: 100 } });
    const off = (await listAction(args(await adminFetch(shop, "/app/rewards", form({ intent: "deactivate", id: r.id }))))) as any;
    expect(off).toEqual({ ok: true, active: false, title: "Ship" });
    expect((await db.reward.findUniqueOrThrow({ where: { id: r.id } })).active).toBe(false);
    await listAction(args(await adminFetch(shop, "/app/rewards", form({ intent: "activate", id: r.id }))));
    expect((await db.reward.findUniqueOrThrow({ where: { id: r.id } })).active).toBe(true);

    const other = (await createShop(db)).id;
    const foreign = await db.reward.create({ data: { shopId: other, title: "x", kind: "free_shipping", pointsCost: 1 } });
    expect(await listAction(args(await adminFetch(shop, "/app/rewards", form({ intent: "deactivate", id: foreign.id }))))).toMatchObject({ ok: false });
    expect((await db.reward.findUniqueOrThrow({ where: { id: foreign.id } })).active).toBe(true);
    const res = (await call(async () => editLoader(args(await adminFetch(shop, `/app/rewards/${foreign.id}`), { id: foreign.id })))) as Response;
    expect(res.status).toBe(404);
  });
});

describe("issuing a reward from the customer page", () => {
  const issue = async (customerId: string, fields: Record<string, string>) =>
    (await issueAction(args(await adminFetch(shop, `/app/customers/${customerId}/rewards`, form(fields)), { id: customerId }))) as any;

  async function setUp() {
    const customer = await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}` } });
    await ledgerEntry(db, { shopId: shop, customerId: customer.id, points: 300 });
    const reward = await db.reward.create({ data: { shopId: shop, title: "$5 off", kind: "amount_off", pointsCost: 200, value: "5" } });
    mockShopifyServer({ DiscountCodeBasicCreate: () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${nextId()}` }, userErrors: [] } }) });
    return { customer, reward };
  }

  it("gifts a code without taking points, or spends them, as the merchant chooses", async () => {
    const { customer, reward } = await setUp();
    const data = (await issueLoader(args(await adminFetch(shop, `/app/customers/${customer.id}/rewards`), { id: customer.id }))) as any;
    expect(data.rewards).toMatchObject([{ id: reward.id, pointsCost: 200 }]);
    const gift = await issue(customer.id, { rewardId: reward.id, deductPoints: "false", requestId: "admin-gift-0001" });
    expect(gift).toMatchObject({ ok: true, deducted: 0, balance: 300 });
    expect(gift.code).toMatch(/^ENC-/);
    const spent = await issue(customer.id, { rewardId: reward.id, deductPoints: "true", requestId: "admin-spend-0001" });
    expect(spent).toMatchObject({ ok: true, deducted: 200, balance: 100 });
    // Issued through the admin's own session for this shop.
    expect(graphqlCalls.filter((c) => c.operationName === "DiscountCodeBasicCreate").every((c) => c.shop === shop)).toBe(true);
    const redemptions = await db.redemption.findMany({ where: { shopId: shop }, orderBy: { createdAt: "asc" } });
    expect(redemptions.map((r) => [r.source, r.deductPoints])).toEqual([["admin", false], ["admin", true]]);
  });

  it("explains when the customer cannot afford it", async () => {
    const { customer, reward } = await setUp();
    await ledgerEntry(db, { shopId: shop, customerId: customer.id, points: -250 });
    const res = await issue(customer.id, { rewardId: reward.id, deductPoints: "true", requestId: "admin-poor-0001" });
    expect(res.ok).toBe(false);
    expect(res.message).toContain("costs 200 points");
  });
});

describe("referrals page", () => {
  it("shows the stats and saves validated settings", async () => {
    const data = (await referralsLoader(args(await adminFetch(shop, "/app/referrals")))) as any;
    expect(data.stats).toEqual({ clicks: 0, signUps: 0, completed: 0, rejected: 0, pointsGranted: 0 });
    expect(data.settings.enabled).toBe(false);
    const bad = (await referralsAction(args(await adminFetch(shop, "/app/referrals", form({ enabled: "true", friendDiscountKind: "percentage_off", friendDiscountValue: "150", friendMinimumSubtotal: "", friendCodeExpiryDays: "30", referrerPoints: "x" }))))) as any;
    expect(Object.keys(bad.errors).sort()).toEqual(["friendDiscountValue", "referrerPoints"]);
    const ok = (await referralsAction(args(await adminFetch(shop, "/app/referrals", form({ enabled: "true", friendDiscountKind: "amount_off", friendDiscountValue: "7.50", friendMinimumSubtotal: "30", friendCodeExpiryDays: "14", referrerPoints: "250" }))))) as any;
    expect(ok).toEqual({ ok: true });
    const after = (await referralsLoader(args(await adminFetch(shop, "/app/referrals")))) as any;
    expect(after.settings).toEqual({ enabled: true, friendDiscountKind: "amount_off", friendDiscountValue: "7.50", friendMinimumSubtotal: "30", friendCodeExpiryDays: 14, referrerPoints: 250 });
  });
});
