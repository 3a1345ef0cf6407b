// The sandbox's Returns API, queried with Encore's own documents: the order's
// returnable fulfillments (shipped, less refunds and returns) and returnCreate
// with Shopify's payload and ReturnUserErrors.
import { describe, expect, it } from "vitest";
import { RETURN_CREATE_MUTATION, RETURN_ELIGIBILITY_QUERY } from "../app/graphql/returns.ts";
import { executeAdminGraphql } from "./admin-api.ts";
import { SandboxStore } from "./state.ts";
import { createOrderStream, seedStore } from "./store/index.ts";

function storeWithOrder() {
  const { catalog, customers } = seedStore(1);
  const store = new SandboxStore(catalog, customers);
  const stream = createOrderStream({ catalog, customers, start: new Date("2026-01-05T10:00:00Z"), guestRate: 0, refundRate: 0, cancelRate: 0 });
  const paid = stream.take(3).find((e) => e.topic === "orders/paid")!;
  const order = paid.payload as any;
  store.recordOrder(order);
  return { store, order, orderId: `gid://shopify/Order/${order.id}` };
}

async function eligibility(store: SandboxStore, orderId: string) {
  const result = await executeAdminGraphql(store, RETURN_ELIGIBILITY_QUERY, { id: orderId });
  expect(result.errors).toBeUndefined();
  return (result.data as any).order;
}

describe("sandbox returns API", () => {
  it("answers Encore's eligibility query: nothing before shipping, every physical line after", async () => {
    const { store, order, orderId } = storeWithOrder();
    store.now = () => new Date(new Date(order.created_at).getTime() + 86_400_000);
    expect((await eligibility(store, orderId)).returnableFulfillments.nodes).toEqual([]);

    store.now = () => new Date(new Date(order.created_at).getTime() + 5 * 86_400_000);
    const found = await eligibility(store, orderId);
    const [rf] = found.returnableFulfillments.nodes;
    expect(rf.fulfillment.deliveredAt).not.toBeNull();
    const physical = order.line_items.filter((l: any) => !l.gift_card);
    expect(rf.returnableFulfillmentLineItems.nodes.map((n: any) => n.quantity)).toEqual(physical.map((l: any) => l.quantity));
    expect(rf.returnableFulfillmentLineItems.nodes[0].fulfillmentLineItem.lineItem.product.id).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
  });

  it("creates a return, which is then no longer returnable, and refuses too much with userErrors", async () => {
    const { store, order, orderId } = storeWithOrder();
    store.now = () => new Date(new Date(order.created_at).getTime() + 5 * 86_400_000);
    const first = (await eligibility(store, orderId)).returnableFulfillments.nodes[0].returnableFulfillmentLineItems.nodes[0];
    const input = (quantity: number) => ({
      returnInput: { orderId, returnLineItems: [{ fulfillmentLineItemId: first.fulfillmentLineItem.id, quantity, returnReason: "SIZE_TOO_SMALL", returnReasonNote: "Refund" }] },
    });
    const tooMany = await executeAdminGraphql(store, RETURN_CREATE_MUTATION, input(first.quantity + 1));
    expect((tooMany.data as any).returnCreate).toEqual({
      return: null,
      userErrors: [{ field: ["returnInput", "returnLineItems", "0", "quantity"], message: "Quantity is not available for return.", code: "INVALID" }],
    });
    const created = await executeAdminGraphql(store, RETURN_CREATE_MUTATION, input(first.quantity));
    expect((created.data as any).returnCreate).toEqual({ return: { id: expect.stringMatching(/^gid:\/\/shopify\/Return\/\d+$/), name: `${order.name}-R1`, status: "OPEN" }, userErrors: [] });
    const after = await eligibility(store, orderId);
    const ids = after.returnableFulfillments.nodes.flatMap((rf: any) => rf.returnableFulfillmentLineItems.nodes.map((n: any) => n.fulfillmentLineItem.id));
    expect(ids).not.toContain(first.fulfillmentLineItem.id);

    const missing = await executeAdminGraphql(store, RETURN_CREATE_MUTATION, { returnInput: { orderId: "gid://shopify/Order/1", returnLineItems: [] } });
    expect((missing.data as any).returnCreate.userErrors[0]).toMatchObject({ code: "NOT_FOUND" });
  });

  it("takes refunded quantities out of what is returnable", async () => {
    const { store, order, orderId } = storeWithOrder();
    store.now = () => new Date(new Date(order.created_at).getTime() + 5 * 86_400_000);
    const line = order.line_items.find((l: any) => !l.gift_card);
    store.recordRefund({ id: 1, order_id: order.id, refund_line_items: [{ line_item_id: line.id, quantity: line.quantity }] });
    const after = await eligibility(store, orderId);
    const ids = after.returnableFulfillments.nodes.flatMap((rf: any) => rf.returnableFulfillmentLineItems.nodes.map((n: any) => n.fulfillmentLineItem.id));
    expect(ids).not.toContain(`gid://shopify/FulfillmentLineItem/${line.id}`);
  });
});
