// The Satisfaction and Inbox admin pages: loaders and actions authenticated as
// the embedded admin, figures from the model queries, the Admin API answered
// by mockShopifyServer.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { satisfactionReport, latestComments } from "../../app/models/satisfaction.server";
import { action as itemAction, loader as itemLoader } from "../../app/routes/app.inbox.$id";
import { loader as inboxLoader } from "../../app/routes/app.inbox._index";
import { loader as reportLoader } from "../../app/routes/app.satisfaction._index";
import { action as settingsAction, loader as settingsLoader } from "../../app/routes/app.satisfaction.settings";
import { adminFetch, call, form, storeOfflineSession } from "../admin";
import { createShop, nextId } from "../factories";
import { mockReturnsApi } from "../mock-shopify-server";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
let shop: string;
const DAY = 86_400_000;

beforeEach(async () => {
  shop = `shop-${nextId()}.myshopify.com`;
  await createShop(db, { id: shop });
  await storeOfflineSession(shop);
});

const settingsForm = (overrides: Record<string, string> = {}) =>
  form({
    surveyEnabled: "true",
    scale: "nps",
    question: "How likely are you to recommend us?",
    commentEnabled: "true",
    sourceQuestionEnabled: "true",
    sourceQuestion: "How did you hear about us?",
    sourceOptions: "Instagram\nA friend\n instagram \n",
    pointsForAnswer: "15",
    lowScoreThreshold: "6",
    notifyEmail: "",
    returnsEnabled: "true",
    returnWindowDays: "45",
    ...overrides,
  });

describe("survey settings page", () => {
  it("saves valid settings and shows them again", async () => {
    const saved = await settingsAction(args(await adminFetch(shop, "/app/satisfaction/settings", settingsForm())));
    expect(saved).toMatchObject({ ok: true, settings: { scale: "nps", sourceOptions: ["Instagram", "A friend"], pointsForAnswer: 15, lowScoreThreshold: 6, returnWindowDays: 45, notifyEmail: null } });
    const page = (await settingsLoader(args(await adminFetch(shop, "/app/satisfaction/settings")))) as any;
    expect(page.settings).toMatchObject({ scale: "nps", question: "How likely are you to recommend us?", sourceOptions: ["Instagram", "A friend"] });
  });

  it("refuses invalid settings field by field and keeps the old ones", async () => {
    const result = await settingsAction(
      args(await adminFetch(shop, "/app/satisfaction/settings", settingsForm({ scale: "csat", lowScoreThreshold: "5", pointsForAnswer: "-1", notifyEmail: "nope", returnWindowDays: "0", question: " ", sourceOptions: "Only one" }))),
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        lowScoreThreshold: "Enter a score from 1 to 4.",
        pointsForAnswer: "Enter a whole number from 0 to 100,000 (0 turns it off).",
        notifyEmail: "Enter a valid email address, or leave it empty.",
        returnWindowDays: "Enter a number of days from 1 to 365.",
        question: "Enter the question customers are asked.",
        sourceOptions: "Give at least two answers, one a line.",
      },
    });
    expect(await db.satisfactionSettings.count({ where: { shopId: shop } })).toBe(0);
  });
});

describe("satisfaction figures", () => {
  async function answer(score: number, daysAgo: number, extra: { products?: object[]; source?: string; comment?: string; scale?: string } = {}) {
    const orderId = `gid://shopify/Order/${nextId()}`;
    const createdAt = new Date(Date.now() - daysAgo * DAY);
    await db.orderAward.create({ data: { shopId: shop, orderId, status: "guest", currencyCode: "USD", merchandiseTotal: "10.00", rate: "1", rounding: "floor", lines: "[]", createdAt } });
    await db.surveyResponse.create({
      data: { shopId: shop, orderId, scale: extra.scale ?? "nps", score, channel: "thank-you", createdAt, products: JSON.stringify(extra.products ?? []), source: extra.source ?? null, comment: extra.comment ?? null },
    });
  }

  it("computes NPS, response rate, score by product, over time and sources", async () => {
    const tee = { productId: "gid://shopify/Product/1", title: "Tee" };
    const cap = { productId: "gid://shopify/Product/2", title: "Cap" };
    await answer(10, 1, { products: [tee], source: "Instagram" });
    await answer(9, 1, { products: [tee, cap], source: "Instagram" });
    await answer(3, 2, { products: [cap], source: "A friend", comment: "Too small" });
    await answer(7, 3);
    await answer(4, 2, { scale: "csat" }); // before a scale switch: not mixed into NPS
    // An order with no answer lowers the response rate.
    await db.orderAward.create({ data: { shopId: shop, orderId: `gid://shopify/Order/${nextId()}`, status: "guest", currencyCode: "USD", merchandiseTotal: "1", rate: "1", rounding: "floor", lines: "[]" } });
    // Outside the period.
    await answer(0, 40);

    const report = await satisfactionReport(db, shop, "nps", { from: new Date(Date.now() - 30 * DAY), to: new Date(Date.now() + 1000) });
    expect(report.score).toBe(25); // 2 promoters, 1 detractor, 1 passive of 4
    expect(report.responses).toBe(5);
    expect(report.orders).toBe(6);
    expect(report.responseRate).toBe(83.3);
    expect(report.products).toEqual([
      { productId: cap.productId, title: "Cap", responses: 2, average: 6, score: 0 },
      { productId: tee.productId, title: "Tee", responses: 2, average: 9.5, score: 100 },
    ]);
    expect(report.sources).toEqual([{ answer: "Instagram", count: 2 }, { answer: "A friend", count: 1 }]);
    expect(report.overTime.map((p) => p.responses)).toEqual([1, 1, 2]);
    expect(report.distribution.find((d) => d.score === 10)?.count).toBe(1);
    expect((await latestComments(db, shop)).map((c) => c.comment)).toEqual(["Too small"]);

    const page = (await reportLoader(args(await adminFetch(shop, "/app/satisfaction?days=30")))) as any;
    // The page reports on the shop's scale (CSAT by default): only the CSAT answer counts.
    expect(page.report).toMatchObject({ scale: "csat", score: 100, responses: 5 });
  });
});

describe("inbox pages", () => {
  it("lists items by filter and approves a return request through returnCreate", async () => {
    const customerGid = `gid://shopify/Customer/${nextId()}`;
    await db.customer.create({ data: { shopId: shop, shopifyId: customerGid, email: "ada@example.com" } });
    const orderId = `gid://shopify/Order/${nextId()}`;
    const shopify = mockReturnsApi([
      {
        id: orderId,
        name: "#1050",
        email: "ada@example.com",
        customerId: customerGid,
        fulfillments: [{ id: "gid://shopify/Fulfillment/9", createdAt: new Date().toISOString(), lines: [{ lineItemId: "gid://shopify/LineItem/1", fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/1", name: "Tee", quantity: 1, product: { id: "gid://shopify/Product/1", title: "Tee" } }] }],
      },
    ]);
    const request = await db.returnRequest.create({
      data: { shopId: shop, orderId, orderName: "#1050", customerShopifyId: customerGid, customerEmail: "ada@example.com", resolution: "refund", reason: "DEFECTIVE", lines: JSON.stringify([{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/1", lineItemId: "gid://shopify/LineItem/1", title: "Tee", quantity: 1 }]) },
    });
    const item = await db.inboxItem.create({ data: { shopId: shop, kind: "return_request", sourceKey: `return:${request.id}`, orderId, orderName: "#1050", customerEmail: "ada@example.com", summary: "Refund requested", returnRequestId: request.id } });
    await db.inboxItem.create({ data: { shopId: shop, kind: "low_score", sourceKey: `survey:${nextId()}`, orderId: `gid://shopify/Order/${nextId()}`, summary: "Scored 1/5", status: "resolved" } });

    const open = (await inboxLoader(args(await adminFetch(shop, "/app/inbox")))) as any;
    expect(open.items.map((i: any) => i.id)).toEqual([item.id]);
    const lows = (await inboxLoader(args(await adminFetch(shop, "/app/inbox?filter=low_score")))) as any;
    expect(lows.items.map((i: any) => i.kind)).toEqual(["low_score"]);

    const detail = (await itemLoader(args(await adminFetch(shop, `/app/inbox/${item.id}`), { id: item.id }))) as any;
    expect(detail.returnRequest).toMatchObject({ status: "requested", resolution: "Refund", reason: "Damaged or defective" });

    const declined = await itemAction(args(await adminFetch(shop, `/app/inbox/${item.id}`, form({ intent: "decline", declineReason: "" })), { id: item.id }));
    expect(declined).toMatchObject({ ok: false, field: "declineReason" });
    const approved = await itemAction(args(await adminFetch(shop, `/app/inbox/${item.id}`, form({ intent: "approve" })), { id: item.id }));
    expect(approved).toMatchObject({ ok: true, message: "Return created in Shopify" });
    expect(shopify.returns).toHaveLength(1);
    expect(await db.returnRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ status: "approved", shopifyReturnName: "#1050-R1" });

    const other = `shop-${nextId()}.myshopify.com`;
    await createShop(db, { id: other });
    await storeOfflineSession(other);
    const foreign = await adminFetch(other, `/app/inbox/${item.id}`);
    const res = await call(() => itemLoader(args(foreign, { id: item.id })));
    expect((res as Response).status).toBe(404);
  });
});
