// Refund/exchange requests against the HTTP-level fake of Admin GraphQL
// (mockReturnsApi): eligibility from returnable fulfillments, the window and
// product tags; approval through returnCreate, including its userErrors.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { getSatisfactionSettings, saveSatisfactionSettings } from "../../app/models/satisfaction.server";
import { action as returnsAction, loader as returnsLoader } from "../../app/routes/api.returns";
import type { MessageMeta, OutgoingMessage } from "../../app/services/satisfaction/mail.server";
import { approveReturnRequest, createReturnRequest, declineReturnRequest, returnEligibility, ReturnError } from "../../app/services/satisfaction/returns.server";
import { addNote, grantGoodwill, inboxItemDetail, listInbox, replyToCustomer, setStatus } from "../../app/services/satisfaction/inbox.server";
import { unauthenticated } from "../../app/shopify.server";
import { call, storeOfflineSession } from "../admin";
import { extensionRequest, extensionToken } from "../extension";
import { createShop, nextId, updateShop } from "../factories";
import { graphqlCalls, mockReturnsApi, mockShopifyServer, type FakeOrder } from "../mock-shopify-server";

const args = (request: Request) => ({ request, params: {}, context: {} });
const DAY = 86_400_000;
let shop: string;
let customerGid: string;
let order: FakeOrder;
let graphql: Parameters<typeof returnEligibility>[1];

function fakeNotify() {
  const sent: { message: OutgoingMessage; meta: MessageMeta }[] = [];
  return { sent, notify: async (message: OutgoingMessage, meta: MessageMeta) => void sent.push({ message, meta }) };
}

const line = (n: string, title: string, quantity: number, tags: string[] = []) => ({
  lineItemId: `gid://shopify/LineItem/${n}`,
  fulfillmentLineItemId: `gid://shopify/FulfillmentLineItem/${n}`,
  name: `${title} - M`,
  quantity,
  product: {
    id: `gid://shopify/Product/${n}`,
    title,
    tags,
    variants: [
      { id: `gid://shopify/ProductVariant/${n}1`, title: "S" },
      { id: `gid://shopify/ProductVariant/${n}2`, title: "M" },
      { id: `gid://shopify/ProductVariant/${n}3`, title: "L", availableForSale: false },
    ],
  },
  variant: { id: `gid://shopify/ProductVariant/${n}2`, title: "M" },
});

beforeEach(async () => {
  shop = `shop-${nextId()}.myshopify.com`;
  await createShop(db, { id: shop });
  await updateShop(db, shop, { email: "owner@shop.example" });
  await storeOfflineSession(shop);
  const id = nextId();
  customerGid = `gid://shopify/Customer/${id}`;
  await db.customer.create({ data: { shopId: shop, shopifyId: customerGid, email: `ada${id}@example.com`, firstName: "Ada" } });
  const now = Date.now();
  order = {
    id: `gid://shopify/Order/${nextId()}`,
    name: "#1042",
    email: `ada${id}@example.com`,
    customerId: customerGid,
    fulfillments: [
      { id: "gid://shopify/Fulfillment/1", createdAt: new Date(now - 5 * DAY).toISOString(), lines: [line("11", "Linen shirt", 2), line("12", "Gift card sleeve", 1, ["final-sale"]), line("13", "Wool socks", 3, ["Exchange-Only"])] },
      { id: "gid://shopify/Fulfillment/2", createdAt: new Date(now - 60 * DAY).toISOString(), lines: [line("14", "Old hat", 1)] },
    ],
  };
  const { admin } = await unauthenticated.admin(shop);
  graphql = admin.graphql;
});

describe("eligibility", () => {
  it("offers fulfilled, not-yet-returned items within the window; final-sale never; exchange-only only for exchange", async () => {
    mockReturnsApi([order]);
    const e = await returnEligibility(db, graphql, { shopId: shop, orderId: order.id, customerShopifyId: customerGid });
    expect(e.lines.map((l) => [l.title, l.quantity, l.resolutions])).toEqual([
      ["Linen shirt", 2, ["refund", "exchange", "store_credit"]],
      ["Wool socks", 3, ["exchange"]],
    ]);
    // Only variants for sale are offered in exchange.
    expect(e.lines[0].exchangeVariants.map((v) => v.title)).toEqual(["S", "M"]);

    await saveSatisfactionSettings(db, shop, { ...(await getSatisfactionSettings(db, shop)), returnWindowDays: 90 });
    const wider = await returnEligibility(db, graphql, { shopId: shop, orderId: order.id, customerShopifyId: customerGid });
    expect(wider.lines.map((l) => l.title)).toContain("Old hat");
  });

  it("refuses another customer's order and an order Shopify does not know", async () => {
    mockReturnsApi([order]);
    await expect(returnEligibility(db, graphql, { shopId: shop, orderId: order.id, customerShopifyId: `gid://shopify/Customer/${nextId()}` })).rejects.toMatchObject({ status: 403 });
    await expect(returnEligibility(db, graphql, { shopId: shop, orderId: "gid://shopify/Order/1", customerShopifyId: customerGid })).rejects.toMatchObject({ status: 404 });
  });
});

describe("requests", () => {
  const request = (overrides: Record<string, unknown> = {}) => ({
    shopId: shop,
    orderId: order.id,
    customerShopifyId: customerGid,
    resolution: "exchange",
    reason: "SIZE_TOO_SMALL",
    note: "Runs small",
    lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/11", quantity: 1, exchangeVariantId: "gid://shopify/ProductVariant/111" }],
    ...overrides,
  });

  it("lands in the inbox, tells the merchant, and is not offered twice while pending", async () => {
    mockReturnsApi([order]);
    const { sent, notify } = fakeNotify();
    const { request: created, item } = await createReturnRequest(db, graphql, request(), { notify });
    expect(created).toMatchObject({ status: "requested", resolution: "exchange", reason: "SIZE_TOO_SMALL", orderName: "#1042" });
    expect(item).toMatchObject({ kind: "return_request", status: "open", returnRequestId: created.id });
    expect(sent).toHaveLength(1);
    expect(sent[0].message).toMatchObject({ to: "owner@shop.example", subject: "Exchange request on order #1042" });
    expect(sent[0].message.text).toContain("1 × Linen shirt — M → S");
    const after = await returnEligibility(db, graphql, { shopId: shop, orderId: order.id, customerShopifyId: customerGid });
    expect(after.lines.find((l) => l.title === "Linen shirt")?.quantity).toBe(1);
  });

  it("rejects ineligible choices with a clear reason and stores nothing", async () => {
    mockReturnsApi([order]);
    const { notify } = fakeNotify();
    const bad: [Record<string, unknown>, string | undefined][] = [
      [{ lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/12", quantity: 1 }], resolution: "refund" }, "lines"], // final sale
      [{ lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/13", quantity: 1 }], resolution: "refund" }, "resolution"], // exchange-only
      [{ lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/11", quantity: 3 }], resolution: "refund" }, "lines"],
      [{ lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/11", quantity: 1, exchangeVariantId: "gid://shopify/ProductVariant/113" }] }, "exchangeVariantId"], // sold out
      [{ reason: "BORED" }, "reason"],
      [{ lines: [] }, "lines"],
    ];
    for (const [overrides, field] of bad) {
      const error = await createReturnRequest(db, graphql, request(overrides), { notify }).catch((e) => e);
      expect(error).toBeInstanceOf(ReturnError);
      expect(error.field).toBe(field);
    }
    expect(await db.returnRequest.count({ where: { shopId: shop } })).toBe(0);
  });

  it("approving creates the return in Shopify once; the shopper sees it approved", async () => {
    const shopify = mockReturnsApi([order]);
    const { sent, notify } = fakeNotify();
    const { request: created, item } = await createReturnRequest(db, graphql, request(), { notify });
    const approved = await approveReturnRequest(db, graphql, shop, created.id, "staff@shop.example", { notify });
    expect(approved).toMatchObject({ status: "approved", shopifyReturnName: "#1042-R1" });
    expect(shopify.returns).toHaveLength(1);
    expect(shopify.returns[0].input).toEqual({
      orderId: order.id,
      requestedAt: created.createdAt.toISOString(),
      returnLineItems: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/11", quantity: 1, returnReason: "SIZE_TOO_SMALL", returnReasonNote: "Exchange: Runs small" }],
      exchangeLineItems: [{ variantId: "gid://shopify/ProductVariant/111", quantity: 1 }],
    });
    await expect(approveReturnRequest(db, graphql, shop, created.id, "staff", { notify })).rejects.toMatchObject({ status: 409 });
    expect(shopify.returns).toHaveLength(1);
    expect((await db.inboxItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("resolved");
    expect(sent.at(-1)!.message).toMatchObject({ to: order.email, subject: "Your request for order #1042 is approved" });
  });

  it("takes over an approval abandoned mid-way (a crash), but not one in progress", async () => {
    const shopify = mockReturnsApi([order]);
    const { notify } = fakeNotify();
    const { request: created } = await createReturnRequest(db, graphql, request({ resolution: "refund" }), { notify });
    await db.returnRequest.update({ where: { id: created.id }, data: { status: "approving", decidedAt: new Date() } });
    await expect(approveReturnRequest(db, graphql, shop, created.id, "staff", { notify })).rejects.toMatchObject({ status: 409, message: "This request is being approved." });
    await db.returnRequest.update({ where: { id: created.id }, data: { decidedAt: new Date(Date.now() - 10 * 60_000) } });
    await expect(approveReturnRequest(db, graphql, shop, created.id, "staff", { notify })).resolves.toMatchObject({ status: "approved" });
    expect(shopify.returns).toHaveLength(1);
  });

  it("keeps the request open and shows Shopify's userErrors when returnCreate refuses", async () => {
    const shopify = mockReturnsApi([order]);
    const { notify } = fakeNotify();
    const { request: created, item } = await createReturnRequest(db, graphql, request({ resolution: "refund" }), { notify });
    // Meanwhile the item was returned in Shopify's admin.
    shopify.returned.set("gid://shopify/FulfillmentLineItem/11", 2);
    const error = await approveReturnRequest(db, graphql, shop, created.id, "staff", { notify }).catch((e) => e);
    expect(error).toBeInstanceOf(ReturnError);
    expect(error.message).toContain("Quantity is not available for return.");
    expect(await db.returnRequest.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "requested", shopifyReturnId: null, decidedAt: null });
    const detail = await inboxItemDetail(db, shop, item.id);
    expect(detail!.item.messages.at(-1)!.body).toContain("Quantity is not available for return.");
  });

  it("declining needs a reason, which the shopper then sees on the order status page", async () => {
    mockReturnsApi([order]);
    const { sent, notify } = fakeNotify();
    const { request: created } = await createReturnRequest(db, graphql, request({ resolution: "store_credit" }), { notify });
    await expect(declineReturnRequest(db, shop, created.id, "  ", "staff", { notify })).rejects.toMatchObject({ field: "declineReason" });
    await declineReturnRequest(db, shop, created.id, "Worn items cannot be returned.", "staff", { notify });
    expect(sent.at(-1)!.message.text).toContain("Reason: Worn items cannot be returned.");

    const res = (await returnsLoader(args(extensionRequest(`/api/returns?surface=order-status&orderId=${encodeURIComponent(order.id)}`, extensionToken(shop, { customerId: customerGid }))))) as Response;
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.requests).toEqual([expect.objectContaining({ status: "declined", declineReason: "Worn items cannot be returned.", resolution: "store_credit" })]);
    expect(graphqlCalls.find((c) => c.operationName === "ReturnEligibility")?.accessToken).toBeTruthy();
  });
});

describe("returns endpoint", () => {
  it("needs a signed-in shopper's session token", async () => {
    mockReturnsApi([order]);
    const path = `/api/returns?surface=order-status&orderId=${encodeURIComponent(order.id)}`;
    expect(((await call(() => returnsLoader(args(extensionRequest(path, null))))) as Response).status).toBe(401);
    expect(((await call(() => returnsLoader(args(extensionRequest(path, extensionToken(shop)))))) as Response).status).toBe(401);
    expect(((await call(() => returnsLoader(args(extensionRequest(path, extensionToken(shop, { customerId: customerGid, secret: "forged" })))))) as Response).status).toBe(401);
  });

  it("creates a request from the extension's JSON", async () => {
    mockReturnsApi([order]);
    const token = extensionToken(shop, { customerId: customerGid });
    const res = (await call(() =>
      returnsAction(args(extensionRequest("/api/returns?surface=order-status", token, { body: { orderId: order.id, resolution: "refund", reason: "DEFECTIVE", lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/11", quantity: 2 }] } }))),
    )) as Response;
    expect(res.status).toBe(201);
    expect(await db.returnRequest.count({ where: { shopId: shop, orderId: order.id } })).toBe(1);
    const again = (await call(() =>
      returnsAction(args(extensionRequest("/api/returns?surface=order-status", token, { body: { orderId: order.id, resolution: "refund", reason: "DEFECTIVE", lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/11", quantity: 1 }] } }))),
    )) as Response;
    expect(again.status).toBe(409);
  });

  it("answers 502 when Shopify errors", async () => {
    mockShopifyServer({ ReturnEligibility: () => new Response(JSON.stringify({ errors: [{ message: "Throttled" }] }), { headers: { "Content-Type": "application/json" } }) });
    const res = (await call(() => returnsLoader(args(extensionRequest(`/api/returns?surface=order-status&orderId=${encodeURIComponent(order.id)}`, extensionToken(shop, { customerId: customerGid })))))) as Response;
    expect(res.status).toBe(502);
  });
});

describe("inbox actions", () => {
  async function lowScoreItem(customerId: string | null, email: string | null) {
    return db.inboxItem.create({ data: { shopId: shop, kind: "low_score", sourceKey: `survey:${nextId()}`, orderId: order.id, orderName: "#1042", customerId, customerEmail: email, score: 1, summary: "Scored 1/5" } });
  }

  it("replies by email and records the reply; notes; resolves and reopens", async () => {
    const member = await db.customer.findFirstOrThrow({ where: { shopId: shop } });
    const item = await lowScoreItem(member.id, member.email);
    const { sent, notify } = fakeNotify();
    await replyToCustomer(db, shop, item.id, { subject: "Sorry!", body: "We're sending a new one.", actor: "staff", requestId: "r1" }, notify);
    expect(sent).toEqual([
      { message: { to: member.email, subject: "Sorry!", text: "We're sending a new one.", html: "<p>We&#39;re sending a new one.</p>", replyTo: "owner@shop.example" }, meta: { kind: "satisfaction.reply", key: `reply:${item.id}:r1`, customerId: member.id } },
    ]);
    await addNote(db, shop, item.id, "Called them", "staff");
    await expect(addNote(db, shop, item.id, " ", "staff")).rejects.toMatchObject({ field: "note" });
    await setStatus(db, shop, item.id, "resolved", "staff");
    expect((await listInbox(db, shop, "open")).items).toHaveLength(0);
    expect((await listInbox(db, shop, "resolved")).items).toHaveLength(1);
    await setStatus(db, shop, item.id, "open", "staff");
    const detail = await inboxItemDetail(db, shop, item.id);
    expect(detail!.item.messages.map((m) => m.kind)).toEqual(["reply", "note", "event", "event"]);
    expect(detail!.history).toMatchObject({ customer: { id: member.id }, orderCount: 0 });
    expect(await inboxItemDetail(db, `other-${shop}`, item.id)).toBeNull();
  });

  it("grants goodwill points once per form submission", async () => {
    const member = await db.customer.findFirstOrThrow({ where: { shopId: shop } });
    const item = await lowScoreItem(member.id, member.email);
    await grantGoodwill(db, shop, item.id, { points: "50", reason: "", actor: "staff", requestId: "f1" });
    await grantGoodwill(db, shop, item.id, { points: "50", reason: "", actor: "staff", requestId: "f1" });
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).balance).toBe(50);
    await grantGoodwill(db, shop, item.id, { points: "10", reason: "More", actor: "staff", requestId: "f2" });
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).balance).toBe(60);
    await expect(grantGoodwill(db, shop, item.id, { points: "-5", reason: "", actor: "staff", requestId: "f3" })).rejects.toMatchObject({ field: "points" });
    const guest = await lowScoreItem(null, null);
    await expect(grantGoodwill(db, shop, guest.id, { points: "5", reason: "", actor: "staff", requestId: "g" })).rejects.toMatchObject({ status: 409 });
    await expect(replyToCustomer(db, shop, guest.id, { body: "hi", actor: "staff", requestId: "g" }, fakeNotify().notify)).rejects.toMatchObject({ status: 409 });
  });
});
