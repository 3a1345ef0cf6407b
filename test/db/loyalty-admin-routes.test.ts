// The loyalty admin pages (Program, rule editor, preview, Tiers, Customers
// filters and export, Activity, customer birthday), authenticated as the
// embedded admin does, with the Admin API answered by mockShopifyServer.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { action as customerAction, loader as customerLoader } from "../../app/routes/app.customers.$id";
import { loader as customersLoader } from "../../app/routes/app.customers._index";
import { loader as exportLoader } from "../../app/routes/app.customers.export";
import { loader as activityLoader } from "../../app/routes/app.activity";
import { action as programAction, loader as programLoader } from "../../app/routes/app.program._index";
import { action as ruleAction, loader as ruleLoader } from "../../app/routes/app.program.rules.$id";
import { action as tiersAction, loader as tiersLoader } from "../../app/routes/app.tiers";
import { adminFetch, call, form, storeOfflineSession } from "../admin";
import { createShop, ledgerEntry, nextId, updateShop } from "../factories";
import { mockShopifyServer } from "../mock-shopify-server";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
let shop: string;

beforeEach(async () => {
  shop = `shop-${nextId()}.myshopify.com`;
  await createShop(db, { id: shop });
  await storeOfflineSession(shop);
});

async function member(name: string, balance = 0, extra: Record<string, unknown> = {}) {
  const c = await db.customer.create({
    data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}`, firstName: name, lastName: "Test", email: `${name.toLowerCase()}@example.com`, searchText: `${name} test`.toLowerCase(), ...extra },
  });
  if (balance) await ledgerEntry(db, { shopId: shop, customerId: c.id, points: balance });
  return c;
}

describe("program settings", () => {
  it("saves the pending window, bonuses and expiry, and keeps the tier basis the form does not send", async () => {
    await updateShop(db, shop, { tierBasis: "points" });
    const before = (await programLoader(args(await adminFetch(shop, "/app/program")))) as any;
    expect(before.program).toMatchObject({ pendingDays: 0, expiryPolicy: "none" });
    const res = await programAction(
      args(
        await adminFetch(
          shop,
          "/app/program",
          form({ intent: "program", pendingDays: "14", minOrderValue: "20", excludedCustomerTags: " staff ,wholesale,", firstOrderBonus: "100", signupBonus: "50", birthdayBonus: "200", expiryPolicy: "fifo", expiryMonths: "12" }),
        ),
      ),
    );
    expect(res).toMatchObject({ ok: true });
    expect(await db.shop.findUniqueOrThrow({ where: { id: shop } })).toMatchObject({
      pendingDays: 14,
      minOrderValue: "20.00",
      excludedCustomerTags: "staff, wholesale",
      firstOrderBonus: 100,
      expiryPolicy: "fifo",
      tierBasis: "points",
    });
  });

  it.each([
    [{ pendingDays: "two weeks" }, "pendingDays"],
    [{ pendingDays: "400" }, "pendingDays"],
    [{ minOrderValue: "-5" }, "minOrderValue"],
    [{ expiryPolicy: "sometimes" }, "expiryPolicy"],
    [{ expiryMonths: "0" }, "expiryMonths"],
    [{ signupBonus: "1.5" }, "signupBonus"],
  ])("rejects %j with an inline error on %s and saves nothing", async (fields, field) => {
    const res = (await programAction(args(await adminFetch(shop, "/app/program", form({ intent: "program", ...fields }))))) as any;
    expect(res.ok).toBe(false);
    expect(res.errors[field]).toBeTruthy();
    expect(await db.shop.findUniqueOrThrow({ where: { id: shop } })).toMatchObject({ pendingDays: 0, expiryPolicy: "none", signupBonus: 0 });
  });
});

describe("earning rules", () => {
  it("creates, edits and deletes a rule, with inline errors for bad input", async () => {
    const bad = (await ruleAction(args(await adminFetch(shop, "/app/program/rules/new", form({ name: "", kind: "multiplier", target: "tag", value: "", multiplier: "0" })), { id: "new" }))) as any;
    expect(bad.ok).toBe(false);
    expect(Object.keys(bad.errors).sort()).toEqual(["multiplier", "name", "value"]);
    expect(await db.earningRule.count({ where: { shopId: shop } })).toBe(0);

    const created = await ruleAction(
      args(await adminFetch(shop, "/app/program/rules/new", form({ name: "Summer x3", kind: "multiplier", target: "tag", value: "summer", multiplier: "3" })), { id: "new" }),
    );
    expect(created).toBeInstanceOf(Response);
    const rule = await db.earningRule.findFirstOrThrow({ where: { shopId: shop } });
    expect(rule).toMatchObject({ name: "Summer x3", multiplier: "3", active: true });

    const edit = (await ruleLoader(args(await adminFetch(shop, `/app/program/rules/${rule.id}`), { id: rule.id }))) as any;
    expect(edit.values).toMatchObject({ name: "Summer x3", value: "summer" });
    await ruleAction(args(await adminFetch(shop, `/app/program/rules/${rule.id}`, form({ ...edit.values, multiplier: "2.5", active: "false" })), { id: rule.id }));
    expect(await db.earningRule.findUniqueOrThrow({ where: { id: rule.id } })).toMatchObject({ multiplier: "2.5", active: false });

    const listed = (await programLoader(args(await adminFetch(shop, "/app/program")))) as any;
    expect(listed.rules).toMatchObject([{ id: rule.id, effect: "× 2.5", target: "Product tag: summer", active: false }]);

    expect(await programAction(args(await adminFetch(shop, "/app/program", form({ intent: "delete-rule", id: rule.id }))))).toMatchObject({ ok: true });
    expect(await db.earningRule.count({ where: { shopId: shop } })).toBe(0);
  });

  it("404s on another shop's rule, for reading, editing and deleting", async () => {
    const other = await db.earningRule.create({ data: { shopId: "other.myshopify.com", name: "Theirs", kind: "multiplier", target: "tag", value: "x", multiplier: "2" } });
    const res = await call(async () => ruleLoader(args(await adminFetch(shop, `/app/program/rules/${other.id}`), { id: other.id })));
    expect((res as Response).status).toBe(404);
    const del = await call(async () => ruleAction(args(await adminFetch(shop, `/app/program/rules/${other.id}`, form({ intent: "delete" })), { id: other.id })));
    expect((del as Response).status).toBe(404);
    expect(await programAction(args(await adminFetch(shop, "/app/program", form({ intent: "delete-rule", id: other.id }))))).toMatchObject({ ok: false });
    expect(await db.earningRule.count({ where: { id: other.id } })).toBe(1);
  });
});

describe("rule preview", () => {
  it("explains a sample cart rule by rule, looking up a product's tags through the Admin API", async () => {
    await db.earningRule.create({ data: { shopId: shop, name: "Summer x3", kind: "multiplier", target: "tag", value: "summer", multiplier: "3" } });
    await db.earningRule.create({
      data: { shopId: shop, name: "Double weekend", kind: "campaign", target: "all", multiplier: "2", startsAt: new Date("2026-06-13T00:00:00Z"), endsAt: new Date("2026-06-15T00:00:00Z") },
    });
    mockShopifyServer({ ProductRuleFacts: { nodes: [{ id: "gid://shopify/Product/42", tags: ["Summer"], collections: { nodes: [] } }] } });
    const cart = {
      lines: [
        { title: "Hat", price: "10.00", quantity: "2", productId: "42" },
        { title: "Scarf", price: "5.00", quantity: "1" },
      ],
      customerTags: "",
      date: "2026-06-13",
      firstOrder: false,
      tierId: "",
    };
    const res = (await programAction(args(await adminFetch(shop, "/app/program", form({ intent: "preview-cart", cart: JSON.stringify(cart) }))))) as any;
    expect(res.ok).toBe(true);
    expect(res.preview.points).toBe((20 * 3 + 5) * 2);
    expect(res.preview.steps.map((s: any) => s.kind)).toEqual(["base", "line", "line", "campaign", "rounding", "total"]);
    expect(res.preview.steps[1].label).toContain("Summer x3");

    const invalid = (await programAction(
      args(await adminFetch(shop, "/app/program", form({ intent: "preview-cart", cart: JSON.stringify({ ...cart, lines: [{ title: "Hat", price: "ten", quantity: "1" }] }) }))),
    )) as any;
    expect(invalid).toMatchObject({ ok: false, field: "lines.0.price" });
  });

  it("previews a recent order fetched from the Admin API", async () => {
    mockShopifyServer({
      OrderForPreview: {
        order: {
          id: "gid://shopify/Order/9",
          name: "#1009",
          createdAt: "2026-06-01T10:00:00Z",
          customer: { id: "gid://shopify/Customer/77", tags: ["staff"] },
          lineItems: { nodes: [{ id: "gid://shopify/LineItem/1", title: "Pen", quantity: 2, vendor: "Kaweco", product: { id: "gid://shopify/Product/1" }, discountedTotalSet: { shopMoney: { amount: "45.50" } } }] },
        },
      },
    });
    const res = (await programAction(args(await adminFetch(shop, "/app/program", form({ intent: "preview-order", orderId: "gid://shopify/Order/9" }))))) as any;
    expect(res).toMatchObject({ ok: true, preview: { source: "Order #1009", points: 45, merchandiseTotal: "45.50" } });

    await updateShop(db, shop, { excludedCustomerTags: "staff" });
    const excluded = (await programAction(args(await adminFetch(shop, "/app/program", form({ intent: "preview-order", orderId: "gid://shopify/Order/9" }))))) as any;
    expect(excluded.preview).toMatchObject({ points: 0, steps: [{ kind: "excluded" }] });
  });
});

describe("tiers", () => {
  it("creates tiers with validation, places existing customers, records the move, and deletes with recompute", async () => {
    const ada = await member("Ada");
    await db.orderAward.create({
      data: { shopId: shop, orderId: "gid://shopify/Order/1", customerId: ada.id, status: "awarded", currencyCode: "USD", merchandiseTotal: "250.00", rate: "1", rounding: "floor", lines: "[]" },
    });
    const bad = (await tiersAction(args(await adminFetch(shop, "/app/tiers", form({ intent: "tier", name: "", threshold: "abc", multiplier: "0" }))))) as any;
    expect(bad.ok).toBe(false);
    expect(Object.keys(bad.errors).sort()).toEqual(["multiplier", "name", "threshold"]);

    const saved = (await tiersAction(args(await adminFetch(shop, "/app/tiers", form({ intent: "tier", name: "Silver", threshold: "200", multiplier: "1.25", perks: "Free shipping" }))))) as any;
    expect(saved).toMatchObject({ ok: true, moved: 1 });
    const silver = await db.earningTier.findFirstOrThrow({ where: { shopId: shop } });
    expect((await db.customer.findUniqueOrThrow({ where: { id: ada.id } })).tierId).toBe(silver.id);

    const duplicate = (await tiersAction(args(await adminFetch(shop, "/app/tiers", form({ intent: "tier", name: "silver", threshold: "300", multiplier: "1" }))))) as any;
    expect(duplicate.errors.name).toMatch(/Another tier/);

    const page = (await tiersLoader(args(await adminFetch(shop, "/app/tiers")))) as any;
    expect(page.tiers).toMatchObject([{ name: "Silver", threshold: "200", members: 1, perks: "Free shipping" }]);

    const customer = (await customerLoader(args(await adminFetch(shop, `/app/customers/${ada.id}`), { id: ada.id }))) as any;
    expect(customer.customer.tier).toMatchObject({ name: "Silver", multiplier: "1.25" });
    expect(customer.tierMoves).toMatchObject([{ from: null, to: "Silver", reason: "tiers-changed", basis: "spend 250.00" }]);

    expect(await tiersAction(args(await adminFetch(shop, "/app/tiers", form({ intent: "delete", id: silver.id }))))).toMatchObject({ ok: true, moved: 1 });
    expect((await db.customer.findUniqueOrThrow({ where: { id: ada.id } })).tierId).toBeNull();
  });

  it("changes the basis, validating the window", async () => {
    const bad = (await tiersAction(args(await adminFetch(shop, "/app/tiers", form({ intent: "basis", tierBasis: "points", tierWindowMonths: "0" }))))) as any;
    expect(bad.errors.tierWindowMonths).toBeTruthy();
    expect(await tiersAction(args(await adminFetch(shop, "/app/tiers", form({ intent: "basis", tierBasis: "points", tierWindowMonths: "6" }))))).toMatchObject({ ok: true });
    expect(await db.shop.findUniqueOrThrow({ where: { id: shop } })).toMatchObject({ tierBasis: "points", tierWindowMonths: 6 });
  });
});

describe("customers list and export", () => {
  it("filters by tier, sorts by balance, shows pending points, and exports the same members as CSV", async () => {
    const gold = await db.earningTier.create({ data: { shopId: shop, name: "Gold", threshold: "500" } });
    await member("Ada", 10, { tierId: gold.id, pendingBalance: 0 });
    await member("Grace", 500, { tierId: gold.id });
    await member("=cmd", 30);

    const inGold = (await customersLoader(args(await adminFetch(shop, `/app/customers?tier=${gold.id}`)))) as any;
    expect(inGold.customers.map((c: any) => [c.name, c.balance, c.tier])).toEqual([
      ["Grace Test", 500, "Gold"],
      ["Ada Test", 10, "Gold"],
    ]);
    const none = (await customersLoader(args(await adminFetch(shop, "/app/customers?tier=none&sort=balance-asc")))) as any;
    expect(none.customers.map((c: any) => c.name)).toEqual(["=cmd Test"]);

    const res = (await exportLoader(args(await adminFetch(shop, "/app/customers/export")))) as Response;
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="encore-members-/);
    const rows = (await res.text()).trim().split("\r\n");
    expect(rows[0]).toBe("Name,Email,Shopify customer ID,Tier,Spendable points,Pending points,Birthday,Member since");
    expect(rows.slice(1).map((r) => r.split(",").slice(3, 6))).toEqual([
      ["Gold", "500", "0"],
      ["", "30", "0"],
      ["Gold", "10", "0"],
    ]);
    // A name starting with "=" is never read as a formula.
    expect(rows[2].startsWith("'=cmd Test,")).toBe(true);

    const filtered = await ((await exportLoader(args(await adminFetch(shop, `/app/customers/export?tier=${gold.id}`)))) as Response).text();
    expect(filtered.trim().split("\r\n")).toHaveLength(3);
  });
});

describe("activity log", () => {
  it("lists the shop's ledger newest first, filtered by type and paginated", async () => {
    const ada = await member("Ada");
    for (let i = 0; i < 55; i++) await ledgerEntry(db, { shopId: shop, customerId: ada.id, points: 1 });
    await ledgerEntry(db, { shopId: shop, customerId: ada.id, points: -5 });
    const all = (await activityLoader(args(await adminFetch(shop, "/app/activity")))) as any;
    expect(all).toMatchObject({ total: 56, page: 1, pageCount: 2 });
    expect(all.entries).toHaveLength(50);
    expect(all.entries[0]).toMatchObject({ type: "redeem", points: -5, customer: { name: "Ada Test" } });
    const second = (await activityLoader(args(await adminFetch(shop, "/app/activity?page=2")))) as any;
    expect(second.entries).toHaveLength(6);
    const redeems = (await activityLoader(args(await adminFetch(shop, "/app/activity?type=redeem")))) as any;
    expect(redeems).toMatchObject({ total: 1, type: "redeem" });
    const unknown = (await activityLoader(args(await adminFetch(shop, "/app/activity?type=bogus")))) as any;
    expect(unknown).toMatchObject({ total: 56, type: "" });
  });
});

describe("customer birthday", () => {
  it("saves a birthday as MM-DD, rejects impossible dates, and clears it", async () => {
    const ada = await member("Ada");
    const post = async (birthday: string) =>
      (await customerAction(args(await adminFetch(shop, `/app/customers/${ada.id}`, form({ intent: "birthday", birthday })), { id: ada.id }))) as any;
    expect(await post("1990-07-14")).toMatchObject({ ok: true, birthday: "07-14" });
    expect((await db.customer.findUniqueOrThrow({ where: { id: ada.id } })).birthday).toBe("07-14");
    expect(await post("02-30")).toMatchObject({ ok: false, error: expect.stringMatching(/real date/) });
    expect(await post("02-29")).toMatchObject({ ok: true, birthday: "02-29" });
    expect(await post("")).toMatchObject({ ok: true, birthday: null });
    expect((await db.customer.findUniqueOrThrow({ where: { id: ada.id } })).birthday).toBeNull();
  });
});
