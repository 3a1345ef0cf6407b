// Referrals: the member's link, the friend's click and one-time code, the
// friend's first paid order (signed webhook), the pending window, the
// referrer's points, and the abuse checks.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { sumOfEntries } from "../../app/models/ledger.server";
import { saveReferralSettings, DEFAULT_REFERRAL_SETTINGS, referralStats } from "../../app/models/referral.server";
import { loader as linkLoader } from "../../app/routes/r.$code";
import { action as webhookAction } from "../../app/routes/webhooks";
import { completeDueReferrals, trackReferralOrder } from "../../app/services/referrals/referrals.server";
import { referralLinkFor } from "../../app/services/referrals/links.server";
import { storeOfflineSession } from "../admin";
import { createShop, nextId, orderBody } from "../factories";
import { graphqlCalls, mockShopifyServer } from "../mock-shopify-server";
import { webhookRequest } from "../webhooks";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
const APP = "https://my-test-app.myshopify.io";
let shop: Awaited<ReturnType<typeof createShop>>;

beforeEach(async () => {
  shop = await createShop(db);
  await storeOfflineSession(shop.id);
  await saveReferralSettings(db, shop.id, { ...DEFAULT_REFERRAL_SETTINGS, enabled: true, referrerPoints: 300 });
  mockShopifyServer({ DiscountCodeBasicCreate: () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${nextId()}` }, userErrors: [] } }) });
});

async function member(email: string) {
  const legacy = nextId();
  const customer = await db.customer.create({ data: { shopId: shop.id, shopifyId: `gid://shopify/Customer/${legacy}`, email } });
  return { ...customer, legacy };
}

const address = (address1: string, zip = "2601") => ({ first_name: "A", last_name: "B", address1, address2: "", city: "Canberra", zip, country: "Australia", country_code: "AU" });

async function click(url: string, userAgent = CHROME) {
  const code = url.split("/r/")[1];
  const res = await linkLoader({ request: new Request(url, { headers: { "user-agent": userAgent } }), params: { code }, context: {} });
  return res as Response;
}

async function friendCode(referrer: { id: string }) {
  const link = (await referralLinkFor(db, shop.id, referrer.id, APP))!;
  const res = await click(link.url);
  expect(res.status).toBe(302);
  const location = res.headers.get("location")!;
  const code = /\/discount\/([^?]+)\?redirect=\//.exec(location)?.[1];
  expect(code).toBeTruthy();
  return decodeURIComponent(code!);
}

async function paid(spec: { customerId?: string; email: string; code?: string; ship?: object; price?: string }) {
  const body = {
    ...orderBody({ customerId: spec.customerId ?? nextId(), email: spec.email, lines: [{ price: spec.price ?? "40.00" }] }),
    email: spec.email,
    discount_codes: spec.code ? [{ code: spec.code, amount: "4.00", type: "percentage" }] : [],
    shipping_address: spec.ship ?? address(`${nextId()} Unique Road`),
  };
  const response = await webhookAction({ request: webhookRequest({ topic: "orders/paid", shop: shop.id, body }), params: {}, context: {} });
  expect(response.status).toBe(200);
  return body;
}

async function bonusOf(customerId: string) {
  const entries = await db.ledgerEntry.findMany({ where: { customerId, type: "bonus" } });
  return entries.reduce((s, e) => s + e.points, 0);
}

describe("referral links", () => {
  it("gives each member one stable link, only while the program is on", async () => {
    const ada = await member("ada@example.com");
    const a = await referralLinkFor(db, shop.id, ada.id, APP);
    const b = await referralLinkFor(db, shop.id, ada.id, APP);
    expect(a!.url).toMatch(/^https:\/\/my-test-app\.myshopify\.io\/r\/[a-z0-9]{10}$/);
    expect(b!.url).toBe(a!.url);
    await saveReferralSettings(db, shop.id, { ...DEFAULT_REFERRAL_SETTINGS, enabled: false });
    expect(await referralLinkFor(db, shop.id, ada.id, APP)).toBeNull();
  });

  it("a click is counted and sends the friend to the store with a one-time code applied", async () => {
    const ada = await member("ada@example.com");
    const code = await friendCode(ada);
    expect(code).toMatch(/^FRIEND-[A-Z2-9]{10}$/);
    const [create] = graphqlCalls.filter((c) => c.operationName === "DiscountCodeBasicCreate");
    const input = (create.variables as any).basicCodeDiscount;
    expect(input).toMatchObject({ code, usageLimit: 1, appliesOncePerCustomer: true, context: { all: "ALL" }, customerGets: { value: { percentage: 0.1 } } });
    expect(input.endsAt).toBeTruthy();
    expect(await referralStats(db, shop.id)).toMatchObject({ clicks: 1, signUps: 0 });
    const res = await click(`${APP}/r/${(await db.referralCode.findFirstOrThrow({ where: { shopId: shop.id } })).code}`);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("link previews (bots) reach the store without spending a click or a code; unknown links 404", async () => {
    const ada = await member("ada@example.com");
    const link = (await referralLinkFor(db, shop.id, ada.id, APP))!;
    const res = await click(link.url, "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`https://${shop.id}/`);
    expect(graphqlCalls).toHaveLength(0);
    expect((await click(`${APP}/r/nosuchcode`)).status).toBe(404);
  });
});

describe("the friend's first order", () => {
  it("grants the referrer's points once the friend's first paid order carries the code", async () => {
    const ada = await member("ada@example.com");
    const code = await friendCode(ada);
    await paid({ email: "friend@example.com", code });
    expect(await bonusOf(ada.id)).toBe(300);
    const ref = await db.referral.findFirstOrThrow({ where: { shopId: shop.id, status: "completed" } });
    expect(ref.pointsGranted).toBe(300);
    const customer = await db.customer.findUniqueOrThrow({ where: { id: ada.id } });
    expect(customer.balance).toBe(await sumOfEntries(db, ada.id));
    expect(await referralStats(db, shop.id)).toMatchObject({ clicks: 1, signUps: 1, completed: 1, pointsGranted: 300 });
  });

  it("waits out the shop's pending window, then the job grants the points, once", async () => {
    const ada = await member("ada@example.com");
    const code = await friendCode(ada);
    const now = new Date("2026-11-01T00:00:00Z");
    const friendId = nextId();
    const order = orderBody({ customerId: friendId, email: "f@example.com", lines: [{ price: "40.00" }] });
    await db.customer.create({ data: { shopId: shop.id, shopifyId: `gid://shopify/Customer/${friendId}`, email: "f@example.com" } });
    const withWindow = { ...shop, pendingDays: 14 } as typeof shop;
    const outcome = await trackReferralOrder(db, withWindow, { ...order, discount_codes: [{ code }], shipping_address: address("1 Friend St") } as never, now);
    expect(outcome).toEqual({ referral: "ordered" });
    expect(await completeDueReferrals(db, new Date("2026-11-14T00:00:00Z"))).toEqual({ completed: 0, rejected: 0 });
    expect(await bonusOf(ada.id)).toBe(0);
    expect(await completeDueReferrals(db, new Date("2026-11-15T00:00:01Z"))).toEqual({ completed: 1, rejected: 0 });
    expect(await completeDueReferrals(db, new Date("2026-11-16T00:00:00Z"))).toEqual({ completed: 0, rejected: 0 });
    expect(await bonusOf(ada.id)).toBe(300);
  });

  it("gives nothing when the friend's order is cancelled within the window", async () => {
    const ada = await member("ada@example.com");
    const code = await friendCode(ada);
    const withWindow = { ...shop, pendingDays: 7 } as typeof shop;
    const friendId = nextId();
    // The order earns as usual (the webhook); the referral side is run with the shop's window.
    const order = orderBody({ customerId: friendId, email: "f2@example.com", lines: [{ price: "40.00" }] });
    await webhookAction({ request: webhookRequest({ topic: "orders/paid", shop: shop.id, body: { ...order, discount_codes: [] } }), params: {}, context: {} });
    const now = new Date();
    await trackReferralOrder(db, withWindow, { ...order, discount_codes: [{ code }], shipping_address: address("2 Friend St") } as never, now);
    await webhookAction({ request: webhookRequest({ topic: "orders/cancelled", shop: shop.id, body: { ...order, cancelled_at: new Date().toISOString() } }), params: {}, context: {} });
    expect(await completeDueReferrals(db, new Date(now.getTime() + 8 * 86_400_000))).toEqual({ completed: 0, rejected: 1 });
    expect(await bonusOf(ada.id)).toBe(0);
  });
});

describe("abuse", () => {
  it("refuses a self-referral by the same account", async () => {
    const ada = await member("ada@example.com");
    const code = await friendCode(ada);
    await paid({ customerId: ada.legacy, email: "ada@example.com", code });
    expect(await bonusOf(ada.id)).toBe(0);
    expect(await db.referral.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "rejected", rejectReason: "self-referral: same customer" });
  });

  it("refuses a self-referral through a second account with the same (normalized) email", async () => {
    const ada = await member("Ada.Lovelace@gmail.com");
    const code = await friendCode(ada);
    await paid({ email: "adalovelace+second@GoogleMail.com", code });
    expect(await bonusOf(ada.id)).toBe(0);
    expect((await db.referral.findFirstOrThrow({ where: { shopId: shop.id } })).rejectReason).toBe("self-referral: same email");
  });

  it("refuses a self-referral shipped to the referrer's own address, however it is written", async () => {
    const ada = await member("ada@example.com");
    await friendCode(ada); // Ada has a link now, so her own orders teach Encore her address.
    await paid({ customerId: ada.legacy, email: "ada@example.com", ship: address("306 / 39 London Circuit") });
    const code = await friendCode(ada);
    await paid({ email: "someone-else@example.com", code, ship: address("306/39 LONDON CIRCUIT.", "26 01") });
    expect(await bonusOf(ada.id)).toBe(0);
    expect((await db.referral.findFirstOrThrow({ where: { shopId: shop.id, status: "rejected" } })).rejectReason).toBe("self-referral: same shipping address");
  });

  it("refuses a repeat friend: same address or email through another member's link, or a returning customer", async () => {
    const ada = await member("ada@example.com");
    const grace = await member("grace@example.com");
    const first = await friendCode(ada);
    await paid({ email: "friend@example.com", code: first, ship: address("10 Downing Street") });
    expect(await bonusOf(ada.id)).toBe(300);

    const byAddress = await friendCode(grace);
    await paid({ email: "other-friend@example.com", code: byAddress, ship: address("10 downing st") });
    const byEmail = await friendCode(grace);
    await paid({ email: "FRIEND@example.com", code: byEmail });
    expect(await bonusOf(grace.id)).toBe(0);
    const reasons = (await db.referral.findMany({ where: { shopId: shop.id, status: "rejected" } })).map((r) => r.rejectReason);
    expect(reasons).toEqual(["repeat friend: already referred", "repeat friend: already referred"]);

    // A customer who has ordered before is not a new friend.
    const regularId = nextId();
    await paid({ customerId: regularId, email: "regular@example.com" });
    const late = await friendCode(grace);
    await paid({ customerId: regularId, email: "regular@example.com", code: late });
    expect(await bonusOf(grace.id)).toBe(0);
    expect(await db.referral.count({ where: { shopId: shop.id, rejectReason: "not a new customer" } })).toBe(1);
  });

  it("a redelivered order (or a second referral code on it) grants the referrer once", async () => {
    const ada = await member("ada@example.com");
    const code = await friendCode(ada);
    const body = await paid({ email: "friend@example.com", code });
    await webhookAction({ request: webhookRequest({ topic: "orders/paid", shop: shop.id, body }), params: {}, context: {} });
    expect(await bonusOf(ada.id)).toBe(300);
  });
});

describe("privacy", () => {
  it("customers/redact erases a friend's hashed email and address; shop/redact erases every rewards and referral row", async () => {
    const ada = await member("ada@example.com");
    const code = await friendCode(ada);
    const friendLegacy = nextId();
    await paid({ customerId: friendLegacy, email: "friend@example.com", code });
    await db.reward.create({ data: { shopId: shop.id, title: "x", kind: "free_shipping", pointsCost: 1 } });
    expect((await db.referral.findFirstOrThrow({ where: { shopId: shop.id, status: "completed" } })).friendEmail).toBeTruthy();

    const redact = { shop_domain: shop.id, customer: { id: Number(friendLegacy), email: "friend@example.com" }, orders_to_redact: [] };
    const res = await webhookAction({ request: webhookRequest({ topic: "customers/redact", shop: shop.id, body: redact }), params: {}, context: {} });
    expect(res.status).toBe(200);
    expect(await db.referral.findFirstOrThrow({ where: { shopId: shop.id, status: "completed" } })).toMatchObject({ friendEmail: null, friendAddress: null });

    const erase = await webhookAction({ request: webhookRequest({ topic: "shop/redact", shop: shop.id, body: { shop_domain: shop.id } }), params: {}, context: {} });
    expect(erase.status).toBe(200);
    const where = { shopId: shop.id };
    const left = await Promise.all([db.referral.count({ where }), db.referralCode.count({ where }), db.referralSettings.count({ where }), db.reward.count({ where }), db.redemption.count({ where })]);
    expect(left).toEqual([0, 0, 0, 0, 0]);
  });
});
