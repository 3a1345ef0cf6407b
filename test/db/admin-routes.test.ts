// The embedded admin pages' loaders and actions, authenticated the way
// Shopify's admin does it, with the Admin API answered by mockShopifyServer.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { loader as homeLoader } from "../../app/routes/app._index";
import { loader as resultsExport } from "../../app/routes/app.results.export";
import { appQueue } from "../../app/jobs/runtime.server";
import { action as customerAction, loader as customerLoader } from "../../app/routes/app.customers.$id";
import { loader as customersLoader } from "../../app/routes/app.customers._index";
import { loader as dataRequestLoader } from "../../app/routes/app.data-requests.$id";
import { action as settingsAction, loader as settingsLoader } from "../../app/routes/app.settings";
import { adminDocument, adminFetch, call, form, storeOfflineSession } from "../admin";
import { createShop, ledgerEntry, nextId } from "../factories";
import { graphqlCalls, mockShopifyServer, tokenExchanges } from "../mock-shopify-server";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
let shop: string;

afterAll(() => appQueue().stop());

beforeEach(async () => {
  shop = `shop-${nextId()}.myshopify.com`;
  await createShop(db, { id: shop });
  await storeOfflineSession(shop);
});

async function member(balance: number, name = "Ada") {
  const customer = await db.customer.create({
    data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}`, firstName: name, lastName: "Lovelace", email: `${name.toLowerCase()}@example.com`, searchText: `${name} lovelace ${name}@example.com`.toLowerCase() },
  });
  if (balance) await ledgerEntry(db, { shopId: shop, customerId: customer.id, points: balance });
  return customer;
}

describe("authentication", () => {
  it("rejects a request with no session token", async () => {
    const res = await call(() => homeLoader(args(new Request(`https://my-test-app.myshopify.io/app?shop=${shop}&embedded=1`))));
    expect(res).toBeInstanceOf(Response);
    expect([302, 401]).toContain((res as Response).status);
  });

  it("rejects a fetch with a forged session token", async () => {
    const request = new Request("https://my-test-app.myshopify.io/app", { headers: { authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged" } });
    const res = (await call(() => homeLoader(args(request)))) as Response;
    expect(res.status).toBe(401);
    expect(res.headers.get("X-Shopify-Retry-Invalid-Session-Request")).toBe("1");
  });

  it("exchanges the session token for an access token on first load, then installs the shop", async () => {
    const fresh = `fresh-${nextId()}.myshopify.com`;
    mockShopifyServer({ ShopDetails: { shop: { name: "Fresh Goods", email: "owner@fresh.example", currencyCode: "CAD" } } });
    const res = await homeLoader(args(await adminDocument(fresh, "/app")));
    expect(res).toMatchObject({ dashboard: { hasData: false } });
    expect(tokenExchanges.map((t) => t.shop)).toContain(fresh);
    expect(await db.shop.findUnique({ where: { id: fresh } })).toMatchObject({ name: "Fresh Goods", currencyCode: "CAD" });
    // The Admin API was called with the access token the exchange returned.
    expect(graphqlCalls.find((c) => c.operationName === "ShopDetails")?.accessToken).toBe(`shpat_test_${fresh}`);
    expect(await db.session.count({ where: { shop: fresh } })).toBeGreaterThan(0);
    // The offers feature's catalog and history imports were queued, once.
    await homeLoader(args(await adminDocument(fresh, "/app")));
    expect(await appQueue().pending("offers.catalog-sync")).toBe(1);
    expect(await appQueue().pending("offers.history-import")).toBe(1);
  });
});

describe("home: results", () => {
  const figure = (data: any, id: string) => data.dashboard.headline.find((f: any) => f.id === id);

  it("shows the period's headline figures", async () => {
    await member(120);
    await member(30, "Grace");
    const data = (await homeLoader(args(await adminFetch(shop, "/app?period=7d")))) as any;
    expect(data.dashboard.period).toMatchObject({ key: "7d", label: "Last 7 days" });
    expect(figure(data, "members").value).toBe(2);
    expect(figure(data, "points_issued").value).toBe(150);
    expect(figure(data, "points_redeemed").value).toBe(0);
    expect(figure(data, "points_outstanding").value).toBe(150);
  });

  it("exports a table as CSV, and refuses an unknown one", async () => {
    await member(120);
    const res = (await resultsExport(args(await adminFetch(shop, "/app/results/export?table=daily&period=7d")))) as Response;
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toContain("encore-daily-7d.csv");
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2},0,0,0.00,\d+,120,/);
    const missing = (await resultsExport(args(await adminFetch(shop, "/app/results/export?table=nope")))) as Response;
    expect(missing.status).toBe(404);
  });
});

describe("customers", () => {
  it("lists members with balances, searchable and sorted by balance", async () => {
    await member(10, "Ada");
    await member(500, "Grace");
    const all = (await customersLoader(args(await adminFetch(shop, "/app/customers")))) as any;
    expect(all.customers.map((r: any) => r.balance)).toEqual([500, 10]);
    const found = (await customersLoader(args(await adminFetch(shop, "/app/customers?q=GRACE")))) as any;
    expect(found.customers).toHaveLength(1);
    expect(found.customers[0].name).toBe("Grace Lovelace");
  });

  it("shows one customer's ledger, and 404s for another shop's customer", async () => {
    const ada = await member(75);
    const data = (await customerLoader(args(await adminFetch(shop, `/app/customers/${ada.id}`), { id: ada.id }))) as any;
    expect(data.customer.balance).toBe(75);
    expect(data.ledger.entries).toHaveLength(1);

    const other = `other-${nextId()}.myshopify.com`;
    await createShop(db, { id: other });
    await storeOfflineSession(other);
    const otherRequest = await adminFetch(other, `/app/customers/${ada.id}`);
    const res = await call(() => customerLoader(args(otherRequest, { id: ada.id })));
    expect(res).toBeInstanceOf(Response);
    expect((res as Response).status).toBe(404);
  });

  it("adjusts points with a required reason, once per form submission", async () => {
    const ada = await member(50);
    const bad = (await customerAction(
      args(await adminFetch(shop, `/app/customers/${ada.id}`, form({ points: "10", reason: " ", requestId: "r1" })), { id: ada.id }),
    )) as any;
    expect(bad.ok).toBe(false);
    expect(bad.errors.reason).toMatch(/reason is required/i);

    const submit = async () =>
      customerAction(args(await adminFetch(shop, `/app/customers/${ada.id}`, form({ points: "-20", reason: "Damaged parcel", requestId: "r2" })), { id: ada.id }));
    expect(await submit()).toMatchObject({ ok: true });
    await submit(); // double click
    const after = await db.customer.findUniqueOrThrow({ where: { id: ada.id } });
    expect(after.balance).toBe(30);
    const adjust = await db.ledgerEntry.findMany({ where: { customerId: ada.id, type: "adjust" } });
    expect(adjust).toHaveLength(1);
    expect(adjust[0]).toMatchObject({ points: -20, reason: "Damaged parcel", sourceType: "admin" });
  });

  it("refuses to deduct more than the balance under the default policy", async () => {
    const ada = await member(5);
    const res = (await customerAction(
      args(await adminFetch(shop, `/app/customers/${ada.id}`, form({ points: "-6", reason: "Oops", requestId: "r3" })), { id: ada.id }),
    )) as any;
    expect(res.ok).toBe(false);
    expect(res.errors.points).toMatch(/has 5 points/);
  });
});

describe("settings", () => {
  it("loads the current program and saves a valid change", async () => {
    const before = (await settingsLoader(args(await adminFetch(shop, "/app/settings")))) as any;
    expect(before.settings).toMatchObject({ earnRate: "1", earnRounding: "floor", allowNegativeBalance: false });
    const saved = await settingsAction(
      args(await adminFetch(shop, "/app/settings", form({ earnRate: "2.5", earnRounding: "round", allowNegativeBalance: "true" }))),
    );
    expect(saved).toMatchObject({ ok: true });
    expect(await db.shop.findUniqueOrThrow({ where: { id: shop } })).toMatchObject({ earnRate: "2.5", earnRounding: "round", allowNegativeBalance: true });
  });

  it.each([
    [{ earnRate: "abc", earnRounding: "floor" }, "earnRate"],
    [{ earnRate: "-1", earnRounding: "floor" }, "earnRate"],
    [{ earnRate: "1", earnRounding: "sideways" }, "earnRounding"],
  ])("rejects %j with an error on %s and saves nothing", async (fields, field) => {
    const res = (await settingsAction(args(await adminFetch(shop, "/app/settings", form(fields))))) as any;
    expect(res.ok).toBe(false);
    expect(res.errors[field]).toBeTruthy();
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop } })).earnRate).toBe("1");
  });
});

describe("data requests", () => {
  it("downloads the export for this shop only", async () => {
    const request = await db.dataRequest.create({ data: { shopId: shop, customerShopifyId: "gid://shopify/Customer/1", export: '{"customer":null}' } });
    const res = (await dataRequestLoader(args(await adminFetch(shop, `/app/data-requests/${request.id}`), { id: request.id }))) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment/);
    expect(await res.json()).toEqual({ customer: null });

    const other = `other-${nextId()}.myshopify.com`;
    await createShop(db, { id: other });
    await storeOfflineSession(other);
    const otherRequest = await adminFetch(other, `/app/data-requests/${request.id}`);
    const denied = await call(() => dataRequestLoader(args(otherRequest, { id: request.id })));
    expect((denied as Response).status).toBe(404);
  });
});
