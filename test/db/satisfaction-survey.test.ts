// The satisfaction survey end to end: the extensions' endpoint (session-token
// auth, one answer per order, points once), the signed email link, and a low
// score opening a follow-up that notifies the merchant.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { saveSatisfactionSettings, getSatisfactionSettings } from "../../app/models/satisfaction.server";
import { action as surveyAction, loader as surveyLoader } from "../../app/routes/api.survey";
import { action as pageAction, loader as pageLoader } from "../../app/routes/survey.$token";
import type { MessageMeta, OutgoingMessage } from "../../app/services/satisfaction/mail.server";
import { surveyLinkToken, verifySurveyLinkToken } from "../../app/services/email/links.server";
import { submitSurvey } from "../../app/services/satisfaction/survey.server";
import { call } from "../admin";
import { extensionRequest, extensionToken } from "../extension";
import { createShop, nextId, updateShop } from "../factories";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
let shop: string;
let customer: { id: string; shopifyId: string; email: string | null };
let orderId: string;

const product = (n: number, title: string) => ({ productId: `gid://shopify/Product/${n}`, title });

function fakeNotify() {
  const sent: { message: OutgoingMessage; meta: MessageMeta }[] = [];
  return { sent, notify: async (message: OutgoingMessage, meta: MessageMeta) => void sent.push({ message, meta }) };
}

async function settings(overrides: Partial<Awaited<ReturnType<typeof getSatisfactionSettings>>> = {}) {
  const current = await getSatisfactionSettings(db, shop);
  const { shopId: _s, ...value } = { ...current, ...overrides };
  return saveSatisfactionSettings(db, shop, value);
}

beforeEach(async () => {
  shop = `shop-${nextId()}.myshopify.com`;
  await createShop(db, { id: shop });
  await updateShop(db, shop, { email: "owner@shop.example", name: "Test Goods" });
  const id = nextId();
  customer = await db.customer.create({
    data: { shopId: shop, shopifyId: `gid://shopify/Customer/${id}`, email: `ada${id}@example.com`, firstName: "Ada", lastName: "Lovelace" },
  });
  orderId = `gid://shopify/Order/${nextId()}`;
  await db.orderAward.create({
    data: { shopId: shop, orderId, orderName: "#1001", customerId: customer.id, status: "awarded", currencyCode: "USD", merchandiseTotal: "50.00", rate: "1", rounding: "floor", pointsAwarded: 50, lines: "[]" },
  });
});

const post = (token: string | null, body: unknown, surface = "thank-you") =>
  call(() => surveyAction(args(extensionRequest(`/api/survey?surface=${surface}`, token, { body }))));

describe("survey endpoint authentication", () => {
  it("rejects a request without a session token, a forged one and an expired one with 401", async () => {
    const body = { orderId, score: 5 };
    expect(((await post(null, body)) as Response).status).toBe(401);
    expect(((await post(extensionToken(shop, { secret: "not-the-app-secret" }), body)) as Response).status).toBe(401);
    expect(((await post(extensionToken(shop, { ttlSeconds: -120 }), body)) as Response).status).toBe(401);
    expect(await db.surveyResponse.count({ where: { shopId: shop } })).toBe(0);
  });

  it("answers only for the shop the token was issued for, with CORS headers", async () => {
    const other = `shop-${nextId()}.myshopify.com`;
    await createShop(db, { id: other });
    const res = (await post(extensionToken(other), { orderId, score: 4 })) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await db.surveyResponse.count({ where: { shopId: shop } })).toBe(0);
    expect(await db.surveyResponse.count({ where: { shopId: other, orderId } })).toBe(1);
  });

  it("answers the browser's CORS preflight", async () => {
    const preflight = new Request("https://my-test-app.myshopify.io/api/survey?surface=thank-you", {
      method: "OPTIONS",
      headers: { Origin: "https://extensions.shopifycdn.com", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" },
    });
    const res = (await call(() => surveyAction(args(preflight)))) as Response;
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/i);
  });

  it("404s a shop that has not installed Encore", async () => {
    const res = (await post(extensionToken(`nobody-${nextId()}.myshopify.com`), { orderId, score: 4 })) as Response;
    expect(res.status).toBe(404);
  });

  it("refuses a signed-in shopper answering someone else's order", async () => {
    const res = (await post(extensionToken(shop, { customerId: `gid://shopify/Customer/${nextId()}` }), { orderId, score: 5 }, "order-status")) as Response;
    expect(res.status).toBe(403);
    expect(await db.surveyResponse.count({ where: { shopId: shop } })).toBe(0);
  });
});

describe("survey answers", () => {
  it("stores one answer per order with its products and updates it on a second submit", async () => {
    const token = extensionToken(shop, { customerId: customer.shopifyId });
    const first = (await post(token, { orderId, orderName: "#1001", score: 4, comment: "Nice", products: [product(1, "Tee"), product(2, "Cap"), product(1, "Tee")] })) as Response;
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ answer: { score: 4, comment: "Nice" }, updated: false });

    // The same order as an OrderIdentity gid (older thank-you pages) is the same answer.
    const second = (await post(token, { orderId: orderId.replace("/Order/", "/OrderIdentity/"), score: 5, comment: "Even better" })) as Response;
    expect(await second.json()).toMatchObject({ answer: { score: 5, comment: "Even better" }, updated: true });

    const rows = await db.surveyResponse.findMany({ where: { shopId: shop } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ orderId, orderName: "#1001", score: 5, customerId: customer.id, channel: "thank-you", scale: "csat" });
    expect(JSON.parse(rows[0].products)).toEqual([product(1, "Tee"), product(2, "Cap")]);

    // The extension reads the answer back; nobody else does.
    const read = async (t: string) => (await call(() => surveyLoader(args(extensionRequest(`/api/survey?orderId=${encodeURIComponent(orderId)}`, t))))) as Response;
    expect(await (await read(token)).json()).toMatchObject({ survey: { scale: "csat", answer: { score: 5 } } });
    expect((await read(extensionToken(shop, { customerId: `gid://shopify/Customer/${nextId()}` }))).status).toBe(403);
    expect(await (await read(extensionToken(shop))).json()).toMatchObject({ survey: { scale: "csat", answer: null } });
  });

  it("credits the points for answering once per order, however often it is submitted", async () => {
    await settings({ pointsForAnswer: 25 });
    const token = extensionToken(shop);
    const a = (await post(token, { orderId, score: 5 })) as Response;
    expect(await a.json()).toMatchObject({ pointsAwarded: 25 });
    const b = (await post(token, { orderId, score: 4 })) as Response;
    expect(await b.json()).toMatchObject({ pointsAwarded: 0 });
    const entries = await db.ledgerEntry.findMany({ where: { customerId: customer.id } });
    expect(entries).toEqual([expect.objectContaining({ type: "bonus", points: 25, idempotencyKey: `survey:${orderId}` })]);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).balance).toBe(25);
  });

  it("keeps one answer, one credit and one follow-up when submits race", async () => {
    await settings({ pointsForAnswer: 10 });
    const { sent, notify } = fakeNotify();
    const results = await Promise.all(
      [1, 2, 1, 2, 1].map((score) => submitSurvey(db, { shopId: shop, orderId, score, channel: "thank-you" }, { notify })),
    );
    expect(results.reduce((s, r) => s + r.pointsAwarded, 0)).toBe(10);
    expect(await db.surveyResponse.count({ where: { shopId: shop, orderId } })).toBe(1);
    expect(await db.inboxItem.count({ where: { shopId: shop } })).toBe(1);
    expect(sent).toHaveLength(1);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).balance).toBe(10);
  });

  it("rejects bad input with a clear message and stores nothing", async () => {
    await settings({ scale: "nps", lowScoreThreshold: 6, sourceQuestionEnabled: true, sourceOptions: ["Instagram", "A friend"] });
    const token = extensionToken(shop);
    const cases: [unknown, string][] = [
      [{ orderId, score: 11 }, "score"],
      [{ orderId, score: "9" }, "score"],
      [{ orderId: "gid://shopify/Product/1", score: 9 }, "orderId"],
      [{ orderId, score: 9, source: "TikTok" }, "source"],
      [{ orderId, score: 9, products: [{ productId: "1", title: "x" }] }, "products"],
      [{ orderId, score: 9, comment: "x".repeat(2001) }, "comment"],
    ];
    for (const [body, field] of cases) {
      const res = (await post(token, body)) as Response;
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ field });
    }
    expect(await db.surveyResponse.count({ where: { shopId: shop } })).toBe(0);
    const ok = (await post(token, { orderId, score: 0, source: "A friend" })) as Response;
    expect(ok.status).toBe(200);
  });
});

describe("low scores", () => {
  it("opens one inbox item with the order, items, comment and history, and notifies the merchant", async () => {
    await settings({ notifyEmail: "care@shop.example", lowScoreThreshold: 2 });
    const { sent, notify } = fakeNotify();
    const answer = { shopId: shop, orderId, orderName: "#1001", score: 1, comment: "Arrived torn", products: [product(7, "Linen shirt")], channel: "thank-you" as const };
    const result = await submitSurvey(db, answer, { notify });
    expect(result.followUpOpened).toBe(true);

    const items = await db.inboxItem.findMany({ where: { shopId: shop }, include: { messages: true } });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "low_score", status: "open", orderId, orderName: "#1001", score: 1, customerId: customer.id, customerEmail: customer.email });
    expect(JSON.parse(items[0].items)).toEqual([product(7, "Linen shirt")]);
    expect(items[0].messages.map((m) => [m.kind, m.body])).toEqual([["comment", "Arrived torn"]]);

    expect(sent).toHaveLength(1);
    expect(sent[0].message.to).toBe("care@shop.example");
    expect(sent[0].message.subject).toBe("Low score (1/5) on order #1001");
    expect(sent[0].message.replyTo).toBe(customer.email);
    expect(sent[0].message.text).toContain("Ada Lovelace scored order #1001 1/5.");
    expect(sent[0].message.text).toContain("Linen shirt");
    expect(sent[0].message.text).toContain('"Arrived torn"');
    expect(sent[0].message.text).toContain(`/app/inbox/${items[0].id}`);
    expect(sent[0].meta).toEqual({ kind: "satisfaction.low_score", key: `low_score:${orderId}`, customerId: customer.id });

    // A second low answer adds to the thread; the merchant is not told twice.
    await submitSurvey(db, { ...answer, score: 2, comment: "Still annoyed" }, { notify });
    expect(await db.inboxItem.count({ where: { shopId: shop } })).toBe(1);
    expect(sent).toHaveLength(1);
    const thread = await db.inboxMessage.findMany({ where: { itemId: items[0].id }, orderBy: { createdAt: "asc" } });
    expect(thread.map((m) => m.body)).toContain("Still annoyed");
  });

  it("does not open an item above the threshold, and defaults the address to the shop's email", async () => {
    const { sent, notify } = fakeNotify();
    await submitSurvey(db, { shopId: shop, orderId, score: 3, channel: "thank-you" }, { notify });
    expect(await db.inboxItem.count({ where: { shopId: shop } })).toBe(0);
    const other = `gid://shopify/Order/${nextId()}`;
    await submitSurvey(db, { shopId: shop, orderId: other, score: 2, channel: "thank-you" }, { notify });
    expect(sent.map((s) => s.message.to)).toEqual(["owner@shop.example"]);
  });
});

describe("signed survey links", () => {
  it("binds shop and order: forged, altered or replayed-for-another-order tokens are refused", async () => {
    const token = surveyLinkToken(shop, orderId);
    expect(verifySurveyLinkToken(token)).toEqual({ shopId: shop, orderId });
    const [body, mac] = token.split(".");
    const otherBody = Buffer.from(JSON.stringify({ p: "survey", s: shop, o: "gid://shopify/Order/1" })).toString("base64url");
    expect(verifySurveyLinkToken(`${otherBody}.${mac}`)).toBeNull();
    expect(verifySurveyLinkToken(`${body}.${mac.slice(0, -2)}xx`)).toBeNull();
    expect(verifySurveyLinkToken(`${body}`)).toBeNull();
    expect(surveyLinkToken(shop, `gid://shopify/Order/${nextId()}`)).not.toBe(token);

    const res = (await call(() => pageLoader(args(new Request(`https://app.example/survey/${otherBody}.${mac}`), { token: `${otherBody}.${mac}` })))) as Response;
    expect(res.status).toBe(404);
  });

  it("preselects the score from the email's one-click link without recording it, then records the answer", async () => {
    const token = surveyLinkToken(shop, orderId);
    const page = (await pageLoader(args(new Request(`https://app.example/survey/${token}?score=4`), { token }))) as any;
    expect(page).toMatchObject({ score: 4, orderName: "#1001", shopName: "Test Goods", answered: false });
    expect(await db.surveyResponse.count({ where: { shopId: shop } })).toBe(0);
    const outOfRange = (await pageLoader(args(new Request(`https://app.example/survey/${token}?score=9`), { token }))) as any;
    expect(outOfRange.score).toBeNull();

    const form = new URLSearchParams({ score: "4", comment: "Quick delivery" });
    const result = await pageAction(args(new Request(`https://app.example/survey/${token}`, { method: "POST", body: form }), { token }));
    expect(result).toEqual({ ok: true });
    expect(await db.surveyResponse.findFirst({ where: { shopId: shop, orderId } })).toMatchObject({ score: 4, comment: "Quick delivery", channel: "email" });

    const bad = await pageAction(args(new Request(`https://app.example/survey/${token}`, { method: "POST", body: new URLSearchParams({ score: "" }) }), { token }));
    expect(bad).toMatchObject({ ok: false, field: "score" });
  });
});
