// The results dashboard's feature sections, from rows stamped in and before
// the period (7 days ending 2026-11-23).
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { buildDashboard, tableById } from "../../app/services/results/dashboard.server";
import { createShop, nextId } from "../factories";

let shop: string;
const NOW = new Date("2026-11-23T12:00:00Z");
const IN = new Date("2026-11-20T10:00:00Z");
const BEFORE = new Date("2026-11-12T10:00:00Z");

beforeEach(async () => {
  shop = (await createShop(db)).id;
});

const dashboard = () => buildDashboard(db, { id: shop, currencyCode: "USD" }, "7d", NOW);
const section = async (id: string) => (await dashboard()).sections.find((s) => s.id === id);
const figure = (s: { figures: { id: string }[] } | undefined, id: string) => s?.figures.find((f) => f.id === id) as { value: unknown; change: { previous: number } | null } | undefined;

describe("feature sections", () => {
  it("are left out until their feature has something to show", async () => {
    expect((await dashboard()).sections).toEqual([]);
  });

  it("offers: views, clicks, orders and attributed revenue, per offer", async () => {
    const offer = await db.offer.create({ data: { shopId: shop, name: "Socks with jeans", triggerType: "any" } });
    const event = (type: string, createdAt: Date) =>
      db.offerEvent.create({ data: { shopId: shop, offerId: offer.id, productId: "gid://shopify/Product/1", orderId: `gid://shopify/Order/${nextId()}`, surface: "thank_you", type, createdAt } });
    for (let i = 0; i < 4; i++) await event("impression", IN);
    await event("click", IN);
    await event("impression", BEFORE);
    await db.offerConversion.create({ data: { shopId: shop, offerId: offer.id, orderId: "gid://shopify/Order/1", attributionKey: `offer:${offer.id}`, revenue: "19.99", currencyCode: "USD", createdAt: IN } });
    await db.offerConversion.create({ data: { shopId: shop, offerId: offer.id, orderId: "gid://shopify/Order/2", attributionKey: `offer:${offer.id}`, revenue: "0.01", currencyCode: "USD", createdAt: IN } });

    const offers = await section("offers");
    expect(figure(offers, "offer_views")).toMatchObject({ value: 4, change: { previous: 1 } });
    expect(figure(offers, "offer_clicks")?.value).toBe(1);
    expect(figure(offers, "offer_orders")?.value).toBe(2);
    expect(figure(offers, "offer_revenue")?.value).toBe("20.00");
    expect(tableById(await dashboard(), "offers")?.rows).toEqual([{ name: "Socks with jeans", views: 4, clicks: 1, orders: 2, conversion: 50, revenue: "20.00" }]);
  });

  it("rewards: codes redeemed and used, the revenue of their orders, and the points' liability", async () => {
    const customer = await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}`, balance: 1500 } });
    const five = await db.reward.create({ data: { shopId: shop, title: "$5 off", kind: "amount_off", value: "5.00", pointsCost: 500 } });
    await db.reward.create({ data: { shopId: shop, title: "$12 off", kind: "amount_off", value: "12.00", pointsCost: 1000 } });
    const redemption = (status: string, createdAt: Date, extra: object = {}) =>
      db.redemption.create({
        data: { shopId: shop, customerId: customer.id, rewardId: five.id, requestId: nextId(), status, pointsCost: 500, source: "customer", code: `ENC-${nextId()}`, snapshot: "{}", createdAt, ...extra },
      });
    await redemption("issued", IN);
    await redemption("used", IN, { usedAt: IN, orderId: "gid://shopify/Order/77" });
    await redemption("failed", IN);
    await redemption("issued", BEFORE);
    await db.orderAward.create({
      data: { shopId: shop, orderId: "gid://shopify/Order/77", customerId: customer.id, status: "awarded", currencyCode: "USD", merchandiseTotal: "64.50", rate: "1", rounding: "floor", lines: "[]" },
    });

    const rewards = await section("rewards");
    expect(figure(rewards, "rewards_redeemed")).toMatchObject({ value: 2, change: { previous: 1 } });
    expect(figure(rewards, "rewards_used")?.value).toBe(1);
    expect(figure(rewards, "rewards_revenue")?.value).toBe("64.50");
    // 1,500 points at the better rate, $12 per 1,000 points.
    expect(figure(rewards, "points_liability")?.value).toBe("18.00");
    expect(tableById(await dashboard(), "rewards")?.rows).toContainEqual({ title: "$5 off", cost: 500, redeemed: 2, used: 1, revenue: "64.50" });
  });

  it("emails: sent, opened and clicked, by type", async () => {
    const email = (kind: string, sentAt: Date, extra: object = {}) =>
      db.emailMessage.create({ data: { shopId: shop, kind, key: nextId(), toAddress: "ada@example.com", subject: "Thanks", status: "sent", sentAt, ...extra } });
    await email("thank_you", IN, { openedAt: IN, clickedAt: IN });
    await email("thank_you", IN, { openedAt: IN });
    await email("win_back", IN);
    await email("thank_you", BEFORE);
    await db.emailMessage.create({ data: { shopId: shop, kind: "thank_you", key: nextId(), toAddress: "x@example.com", subject: "Thanks", status: "failed" } });

    const emails = await section("emails");
    expect(figure(emails, "emails_sent")).toMatchObject({ value: 3, change: { previous: 1 } });
    expect(figure(emails, "emails_opened")?.value).toBe(2);
    expect(figure(emails, "emails_clicked")?.value).toBe(1);
    expect(figure(emails, "emails_open_rate")?.value).toBe(66.7);
    expect(tableById(await dashboard(), "emails")?.rows).toEqual([
      { kind: "Thank-you", sent: 2, opened: 2, clicked: 1 },
      { kind: "Win-back", sent: 1, opened: 0, clicked: 0 },
    ]);
  });

  it("satisfaction: the shop's score and answers against the period before", async () => {
    const answer = (score: number, createdAt: Date, orderId = `gid://shopify/Order/${nextId()}`) =>
      db.surveyResponse.create({ data: { shopId: shop, orderId, scale: "csat", score, channel: "thank-you", createdAt } });
    const placed = (createdAt: Date) =>
      db.orderAward.create({
        data: { shopId: shop, orderId: `gid://shopify/Order/${nextId()}`, status: "guest", currencyCode: "USD", merchandiseTotal: "10.00", rate: "1", rounding: "floor", lines: "[]", createdAt },
      });
    // Four orders placed in the period, two of them answered (one only after it).
    const orders = await Promise.all([placed(IN), placed(IN), placed(IN), placed(IN)]);
    await answer(5, IN, orders[0].orderId);
    await answer(4, new Date(IN.getTime() + 40 * 86_400_000), orders[1].orderId);
    await answer(2, IN);
    await answer(4, IN);
    await answer(1, BEFORE);
    const satisfaction = await section("satisfaction");
    expect(figure(satisfaction, "satisfaction_score")).toMatchObject({ value: 67, change: { previous: 0 } });
    expect(figure(satisfaction, "survey_responses")).toMatchObject({ value: 3, change: { previous: 1 } });
    expect(figure(satisfaction, "survey_response_rate")?.value).toBe(50);
  });
});
