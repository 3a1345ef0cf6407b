// Compliance topics reach the satisfaction data: a customer's answers and
// requests are exported, redacted on customers/redact, erased on shop/redact.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { exportCustomerData, handleCustomerRedact, handleShopRedact } from "../../app/services/privacy.server";
import { createShop, nextId } from "../factories";

let shop: string;
let legacy: string;
let customerGid: string;
let orderId: string;
let itemId: string;

beforeEach(async () => {
  shop = `shop-${nextId()}.myshopify.com`;
  await createShop(db, { id: shop });
  legacy = nextId();
  customerGid = `gid://shopify/Customer/${legacy}`;
  const customer = await db.customer.create({ data: { shopId: shop, shopifyId: customerGid, email: "ada@example.com" } });
  orderId = `gid://shopify/Order/${nextId()}`;
  await db.surveyResponse.create({ data: { shopId: shop, orderId, orderName: "#1", customerId: customer.id, customerShopifyId: customerGid, scale: "csat", score: 1, comment: "My name is Ada", channel: "thank-you" } });
  ({ id: itemId } = await db.inboxItem.create({ data: { shopId: shop, kind: "low_score", sourceKey: `survey:${orderId}`, orderId, customerId: customer.id, customerEmail: "ada@example.com", summary: "Scored 1/5", messages: { create: { kind: "comment", body: "My name is Ada" } } } }));
  await db.returnRequest.create({ data: { shopId: shop, orderId, customerShopifyId: customerGid, customerEmail: "ada@example.com", resolution: "refund", reason: "DEFECTIVE", note: "Call me", lines: "[]" } });
});

describe("satisfaction data and compliance topics", () => {
  it("exports the customer's answers and requests", async () => {
    const data = await exportCustomerData(db, shop, customerGid, []);
    expect(data.surveyAnswers).toEqual([expect.objectContaining({ orderId, score: 1, comment: "My name is Ada" })]);
    expect(data.returnRequests).toEqual([expect.objectContaining({ orderId, resolution: "refund", note: "Call me" })]);
  });

  it("customers/redact removes threads and requests and anonymises answers, keeping the score", async () => {
    await handleCustomerRedact(db, shop, { customer: { id: Number(legacy), email: "ada@example.com" }, orders_to_redact: [] } as never);
    expect(await db.inboxItem.count({ where: { shopId: shop } })).toBe(0);
    expect(await db.inboxMessage.count({ where: { itemId } })).toBe(0);
    expect(await db.returnRequest.count({ where: { shopId: shop } })).toBe(0);
    expect(await db.surveyResponse.findFirst({ where: { shopId: shop } })).toMatchObject({ score: 1, comment: null, customerId: null, customerShopifyId: null });
  });

  it("shop/redact erases everything", async () => {
    await handleShopRedact(db, shop);
    expect(await db.surveyResponse.count({ where: { shopId: shop } })).toBe(0);
    expect(await db.inboxItem.count({ where: { shopId: shop } })).toBe(0);
    expect(await db.inboxMessage.count({ where: { itemId } })).toBe(0);
    expect(await db.returnRequest.count({ where: { shopId: shop } })).toBe(0);
  });
});
