// Compliance topics and app lifecycle webhooks, with Shopify's documented bodies.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { action } from "../../app/routes/webhooks";
import { createShop, nextId, orderBody } from "../factories";
import { fixture, webhookRequest } from "../webhooks";

let shop: string;
beforeEach(async () => {
  shop = (await createShop(db)).id;
});

async function deliver(topic: string, body: object, shopDomain = shop) {
  const res = await action({ request: webhookRequest({ shop: shopDomain, topic, body }), params: {}, context: {} });
  return res.status;
}

/** A member with an order and a merchant adjustment, as the docs' customer 191167. */
async function memberWithHistory() {
  const order = orderBody({ id: "299938", customerId: "191167", email: "john@example.com", lines: [{ price: "80.00" }] });
  await deliver("orders/paid", order);
  const customer = await db.customer.findFirstOrThrow({ where: { shopId: shop } });
  await db.ledgerEntry.updateMany({ where: { customerId: customer.id }, data: { reason: "Goodwill for John Smith" } });
  return customer;
}

describe("customers/redact", () => {
  it("erases the customer's personal data and their ledger identity, keeping the shop's totals", async () => {
    const customer = await memberWithHistory();
    const body = { ...fixture("customers-redact", "shopify-docs-2026-04-1"), shop_domain: shop };
    expect(await deliver("customers/redact", body)).toBe(200);

    const after = await db.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(after).toMatchObject({ email: null, firstName: null, lastName: null, phone: null, searchText: "" });
    expect(after.shopifyId).not.toContain("191167");
    expect(after.redactedAt).not.toBeNull();
    expect(after.balance).toBe(80);
    const entries = await db.ledgerEntry.findMany({ where: { customerId: customer.id } });
    expect(entries.every((e) => e.reason === "[redacted]")).toBe(true);
    const award = await db.orderAward.findFirstOrThrow({ where: { shopId: shop } });
    expect(award.orderName).toBeNull();
    // No longer findable by their Shopify id or email.
    expect(
      await db.customer.findFirst({ where: { shopId: shop, OR: [{ shopifyId: "gid://shopify/Customer/191167" }, { email: "john@example.com" }] } }),
    ).toBeNull();
  });

  it("is a no-op for a customer Encore never saw", async () => {
    const body = { ...fixture("customers-redact", "shopify-docs-2026-04-1"), customer: { id: 1, email: "x@example.com" } };
    expect(await deliver("customers/redact", body)).toBe(200);
  });
});

describe("customers/data_request", () => {
  it("prepares the customer's data for the merchant", async () => {
    await memberWithHistory();
    const body = { ...fixture("customers-data_request", "shopify-docs-2026-04-1"), shop_domain: shop };
    expect(await deliver("customers/data_request", body)).toBe(200);
    const request = await db.dataRequest.findFirstOrThrow({ where: { shopId: shop } });
    expect(request.shopifyRequestId).toBe("9999");
    const data = JSON.parse(request.export);
    expect(data.customer).toMatchObject({ shopifyId: "gid://shopify/Customer/191167", email: "john@example.com", pointsBalance: 80 });
    expect(data.orders).toHaveLength(1);
    expect(data.orders[0]).toMatchObject({ orderId: "gid://shopify/Order/299938", pointsAwarded: 80 });
    expect(data.pointsLedger).toHaveLength(1);
  });
});

describe("shop/redact", () => {
  it("erases everything held for the shop, and nothing of other shops", async () => {
    await memberWithHistory();
    const other = (await createShop(db)).id;
    await deliver("orders/paid", orderBody({ customerId: nextId(), lines: [{ price: "5.00" }] }), other);
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "t" } });

    expect(await deliver("shop/redact", { shop_id: 1, shop_domain: shop })).toBe(200);
    for (const count of [
      db.shop.count({ where: { id: shop } }),
      db.customer.count({ where: { shopId: shop } }),
      db.ledgerEntry.count({ where: { shopId: shop } }),
      db.orderAward.count({ where: { shopId: shop } }),
      db.webhookEvent.count({ where: { shopId: shop } }),
      db.session.count({ where: { shop } }),
    ]) {
      expect(await count).toBe(0);
    }
    expect(await db.ledgerEntry.count({ where: { shopId: other } })).toBe(1);
  });
});

describe("app/uninstalled and app/scopes_update", () => {
  it("uninstall removes the sessions and stops processing orders, keeping data until shop/redact", async () => {
    await memberWithHistory();
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "t" } });
    expect(await deliver("app/uninstalled", fixture("app-uninstalled", "shopify-docs-2026-04-1"))).toBe(200);
    expect(await db.session.count({ where: { shop } })).toBe(0);
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop } })).uninstalledAt).not.toBeNull();
    expect(await deliver("orders/paid", orderBody({ customerId: "191167", lines: [{ price: "10.00" }] }))).toBe(200);
    expect((await db.customer.findFirstOrThrow({ where: { shopId: shop } })).balance).toBe(80);
  });

  it("scopes_update records the granted scopes on the sessions", async () => {
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "t", scope: "read_orders" } });
    const body = { id: 1, previous: ["read_orders"], current: ["read_orders", "write_discounts"], updated_at: "2026-11-20T00:00:00Z" };
    expect(await deliver("app/scopes_update", body)).toBe(200);
    expect((await db.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } })).scope).toBe("read_orders,write_discounts");
  });
});
