// The sandbox answers every Admin API operation the offers feature uses, with
// Shopify's shapes, and serves the thank-you page preview with the real
// extension bundle.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_PRODUCTS, DISCOUNT_CODE_BASIC_CREATE, DISCOUNT_CODE_DEACTIVATE, HISTORY_ORDERS, ORDER_FOR_DISPLAY } from "../app/graphql/offers";
import { discountInput } from "../app/services/offers/offers.server";
import { executeAdminGraphql } from "./admin-api.ts";
import { startSandbox, type Sandbox } from "./server.ts";
import { verifyJwt } from "./session-token.ts";

const apiKey = "k";
const apiSecret = "s";
let sandbox: Sandbox;

beforeAll(async () => {
  // Webhooks go nowhere: the app is not running (deliveries fail fast).
  sandbox = await startSandbox({ appUrl: "http://127.0.0.1:9", apiKey, apiSecret, retryDelaysMs: [] });
  for (let i = 0; i < 30; i++) await sandbox.playOrders(1).catch(() => undefined);
});
afterAll(() => sandbox.close());

const run = async (query: string, variables: Record<string, unknown> = {}) => {
  const result = await executeAdminGraphql(sandbox.store, query, variables);
  expect(result.errors).toBeUndefined();
  return result.data as any;
};

describe("Admin API operations of the offers feature", () => {
  it("pages through the catalog with cursors", async () => {
    const first = await run(CATALOG_PRODUCTS, { first: 50, after: null });
    expect(first.products.nodes).toHaveLength(50);
    expect(first.products.pageInfo.hasNextPage).toBe(true);
    const node = first.products.nodes[0];
    expect(node.id).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    expect(node.variants.nodes[0]).toMatchObject({ id: expect.stringMatching(/ProductVariant/), price: expect.stringMatching(/^\d+\.\d{2}$/) });
    const second = await run(CATALOG_PRODUCTS, { first: 50, after: first.products.pageInfo.endCursor });
    expect(second.products.nodes[0].id).not.toBe(node.id);
    let total = 0;
    let after: string | null = null;
    for (;;) {
      const page: any = await run(CATALOG_PRODUCTS, { first: 50, after });
      total += page.products.nodes.length;
      if (!page.products.pageInfo.hasNextPage) break;
      after = page.products.pageInfo.endCursor;
    }
    expect(total).toBe(sandbox.store.catalog.products.length);
  });

  it("pages through past orders and reads one order", async () => {
    expect(sandbox.store.orders.length).toBeGreaterThan(0);
    const page = await run(HISTORY_ORDERS, { first: 100, after: null });
    expect(page.orders.nodes.length).toBe(sandbox.store.orders.length);
    const order = page.orders.nodes[0];
    expect(order.lineItems.nodes[0].product.id).toMatch(/Product/);
    const one = await run(ORDER_FOR_DISPLAY, { id: order.id });
    expect(one.order.lineItems.nodes[0].discountedTotalSet.shopMoney.amount).toMatch(/^\d+\.\d{2}$/);
  });

  it("creates a discount code limited to products, refuses duplicates and bad values, deactivates", async () => {
    const product = sandbox.store.catalog.products[0];
    const input = discountInput(
      { name: "Test", discountKind: "percent", discountValue: "15", offeredProductIds: [`gid://shopify/Product/${product.id}`], startsAt: null, endsAt: null },
      "ENCORE-TEST1234",
    );
    const created = await run(DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: input });
    expect(created.discountCodeBasicCreate.userErrors).toEqual([]);
    expect(created.discountCodeBasicCreate.codeDiscountNode.codeDiscount.codes.nodes[0].code).toBe("ENCORE-TEST1234");
    const again = await run(DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: input });
    expect(again.discountCodeBasicCreate).toMatchObject({ codeDiscountNode: null, userErrors: [{ code: "TAKEN" }] });
    const bad = await run(DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: { ...input, code: "OTHER", customerGets: { ...input.customerGets, value: { percentage: 15 } } } });
    expect(bad.discountCodeBasicCreate.userErrors[0].code).toBe("VALUE_OUTSIDE_RANGE");
    const off = await run(DISCOUNT_CODE_DEACTIVATE, { id: created.discountCodeBasicCreate.codeDiscountNode.id });
    expect(off.discountCodeDeactivate.userErrors).toEqual([]);
  });
});

describe("thank-you page preview", () => {
  it("lists orders, renders the page for one with the target's API, and serves the built bundle", async () => {
    const list = await (await fetch(`${sandbox.url}/thank-you`)).text();
    expect(list).toContain("Thank-you page preview");
    const order = sandbox.store.orders.find((o) => o.customer);
    const page = await (await fetch(`${sandbox.url}/thank-you?order=${order.id}`)).text();
    expect(page).toContain(`gid://shopify/OrderIdentity/${order.id}`);
    expect(page).toContain("purchase.thank-you.block.render");
    const bundle = await (await fetch(`${sandbox.url}/thank-you/extension.js`)).text();
    expect(bundle).toContain('shopify.extend("customer-account.order-status.block.render"');
    const { token } = await (await fetch(`${sandbox.url}/thank-you/session-token?customer=gid://shopify/Customer/${order.customer.id}`)).json();
    expect(verifyJwt(token, apiSecret)).toMatchObject({ dest: `https://${sandbox.shop}`, sub: `gid://shopify/Customer/${order.customer.id}`, aud: apiKey });
    const guest = await (await fetch(`${sandbox.url}/thank-you/session-token?customer=`)).json();
    expect(verifyJwt(guest.token, apiSecret)!.sub).toBeUndefined();
    expect((await fetch(`${sandbox.url}/thank-you?order=123`)).status).toBe(404);
  });
});
