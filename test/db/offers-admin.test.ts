// The Offers admin pages: loaders and actions authenticated as the embedded
// admin, the Admin API answered by mockShopifyServer.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { action as editAction, loader as editLoader } from "../../app/routes/app.offers.$id";
import { action as listAction, loader as listLoader } from "../../app/routes/app.offers._index";
import { markUninstalled, recordInstall, updateSettings } from "../../app/models/shop.server";
import { markProductDeleted, upsertCatalogProduct } from "../../app/models/offers.server";
import { productFromNode } from "../../app/services/offers/catalog.server";
import { answerExtension } from "../../app/services/offers/extension-api.server";
import { adminFetch, call, form, storeOfflineSession } from "../admin";
import { createShop, nextId } from "../factories";
import { mockShopifyServer } from "../mock-shopify-server";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
const P = (n: number) => `gid://shopify/Product/${n}`;
let shop: string;

beforeEach(async () => {
  shop = `shop-${nextId()}.myshopify.com`;
  await createShop(db, { id: shop });
  await storeOfflineSession(shop);
});

const node = (n: number) => ({
  id: P(n),
  title: `Tee ${n}`,
  handle: `tee-${n}`,
  vendor: "Northwind",
  tags: [],
  status: "ACTIVE",
  onlineStoreUrl: `https://x/products/tee-${n}`,
  totalInventory: 4,
  featuredImage: null,
  collections: { nodes: [] },
  variants: { nodes: [{ id: `gid://shopify/ProductVariant/${n}0`, title: "M", price: "25.00", inventoryQuantity: 4, availableForSale: true }] },
});

async function importCatalog() {
  mockShopifyServer({ CatalogProducts: { products: { nodes: [1, 2, 3].map(node), pageInfo: { hasNextPage: false, endCursor: "c" } } } });
  const res = (await listAction(args(await adminFetch(shop, "/app/offers", form({ intent: "sync-catalog" })))))!;
  expect(res).toMatchObject({ ok: true, message: "Catalog imported: 3 products" });
}

const offerFields = (over: Record<string, string> = {}) => ({
  name: "Second tee",
  enabled: "true",
  priority: "1",
  triggerType: "product",
  triggerValues: JSON.stringify([P(1)]),
  offeredProductIds: JSON.stringify([P(2)]),
  discountKind: "percent",
  discountValue: "20",
  ...over,
});

describe("offers admin", () => {
  it("shows an empty list with the data to import, then imports the catalog", async () => {
    const empty = await listLoader(args(await adminFetch(shop, "/app/offers")));
    expect(empty).toMatchObject({ offers: [], catalog: { products: 0 }, history: null, tests: [] });
    await importCatalog();
    expect(await listLoader(args(await adminFetch(shop, "/app/offers")))).toMatchObject({ catalog: { products: 3, status: "done" } });
  });

  it("creates an offer with its discount code, keeps the form on errors, previews and lists it with performance", async () => {
    await importCatalog();
    const invalid = await editAction(args(await adminFetch(shop, "/app/offers/new", form(offerFields({ name: "", discountValue: "0" }))), { id: "new" }));
    expect(invalid).toMatchObject({ ok: false, errors: { name: expect.any(String), discountValue: expect.any(String) } });
    expect(await db.offer.count({ where: { shopId: shop } })).toBe(0);

    const mock = mockShopifyServer({
      OfferDiscountCreate: { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/9" }, userErrors: [] } },
    });
    const created = await call(async () => editAction(args(await adminFetch(shop, "/app/offers/new", form(offerFields())), { id: "new" })));
    expect(created).toBeInstanceOf(Response);
    expect((created as Response).status).toBe(302);
    const offer = await db.offer.findFirstOrThrow({ where: { shopId: shop } });
    expect(offer).toMatchObject({ name: "Second tee", discountKind: "percent", discountValue: "20", discountId: "gid://shopify/DiscountCodeNode/9" });
    expect(mock.calls.some((c) => c.operationName === "OfferDiscountCreate")).toBe(true);

    const edit = await editLoader(args(await adminFetch(shop, `/app/offers/${offer.id}`), { id: offer.id }));
    expect(edit.offer).toMatchObject({ name: "Second tee", offeredProducts: [{ id: P(2), title: "Tee 2" }], triggerValues: [{ id: P(1), title: "Tee 1" }] });

    // Preview an unsaved change: offer product 3 instead.
    const preview = await editAction(
      args(await adminFetch(shop, `/app/offers/${offer.id}`, form({ ...offerFields({ offeredProductIds: JSON.stringify([P(3)]) }), intent: "preview", basket: JSON.stringify([P(1)]) })), { id: offer.id }),
    );
    expect(preview).toMatchObject({ preview: [{ productId: P(3), reason: "Second tee", discount: "20% off" }] });
    expect(await db.offerEvent.count({ where: { shopId: shop } })).toBe(0); // previews are not impressions

    const list = await listLoader(args(await adminFetch(shop, "/app/offers")));
    expect(list.offers).toMatchObject([{ name: "Second tee", enabled: true, discount: "20% off", performance: { views: 0, revenue: "0.00" } }]);

    await listAction(args(await adminFetch(shop, "/app/offers", form({ intent: "toggle", id: offer.id, enabled: "false" }))));
    expect((await db.offer.findUniqueOrThrow({ where: { id: offer.id } })).enabled).toBe(false);
  });

  it("starts an A/B test against a holdout, refuses a second test on the same offer, and ends it keeping the winner", async () => {
    const offer = await db.offer.create({ data: { shopId: shop, name: "Socks", triggerType: "any", offeredProductIds: JSON.stringify([P(2)]) } });
    const other = await db.offer.create({ data: { shopId: shop, name: "Belt", triggerType: "any", offeredProductIds: JSON.stringify([P(3)]) } });
    const start = (fields: Record<string, string>) => adminFetch(shop, "/app/offers", form({ intent: "start-test", ...fields }));
    expect(await listAction(args(await start({ name: "", offerAId: offer.id, offerBId: "holdout", splitB: "120" })))).toMatchObject({
      ok: false,
      errors: { name: expect.any(String), splitB: expect.any(String) },
    });
    expect(await listAction(args(await start({ name: "Socks vs nothing", offerAId: offer.id, offerBId: "holdout", splitB: "50" })))).toMatchObject({ ok: true });
    expect(await listAction(args(await start({ name: "Again", offerAId: other.id, offerBId: offer.id, splitB: "50" })))).toMatchObject({ ok: false, errors: { offerAId: expect.stringContaining("Socks vs nothing") } });
    const test = await db.offerTest.findFirstOrThrow({ where: { shopId: shop } });
    const list = await listLoader(args(await adminFetch(shop, "/app/offers")));
    expect(list.tests[0]).toMatchObject({ name: "Socks vs nothing", b: "Holdout (no offer)", results: { a: { exposures: 0 }, b: { exposures: 0 } } });
    // Deleting an offer under test is refused with a reason.
    expect(await listAction(args(await adminFetch(shop, "/app/offers", form({ intent: "delete", id: offer.id }))))).toMatchObject({ ok: false, message: expect.stringContaining("End the A/B test") });
    expect(await listAction(args(await adminFetch(shop, "/app/offers", form({ intent: "end-test", id: test.id, winner: "b" }))))).toMatchObject({ ok: true });
    expect((await db.offer.findUniqueOrThrow({ where: { id: offer.id } })).enabled).toBe(false); // the holdout won
  });

  it("serves what the merchant saves in the next extension answer at once, despite the per-shop cache", async () => {
    await importCatalog();
    let order = 0;
    const offered = async () => {
      const result = await answerExtension(
        { db, adminFor: async () => null, appUrl: "https://encore.example.com", secret: "s" },
        { shopId: shop, customerId: null, orderId: `gid://shopify/Order/${nextId()}${++order}`, surface: "thank_you", limit: 3, lines: [{ productId: P(1), quantity: 1, amount: "25.00" }] },
      );
      expect(result.status).toBe(200);
      return (result.body as { offers: { productId: string; reason: string }[] }).offers.map((o) => `${o.productId} ${o.reason}`);
    };
    expect(await offered()).toEqual([]); // cached now: no offers, no settings, no tests

    mockShopifyServer({ OfferDiscountCreate: { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/9" }, userErrors: [] } } });
    await call(async () => editAction(args(await adminFetch(shop, "/app/offers/new", form(offerFields())), { id: "new" })));
    expect(await offered()).toEqual([`${P(2)} Second tee`]);

    const offer = await db.offer.findFirstOrThrow({ where: { shopId: shop } });
    await listAction(args(await adminFetch(shop, "/app/offers", form({ intent: "toggle", id: offer.id, enabled: "false" }))));
    expect(await offered()).toEqual([]);

    await listAction(args(await adminFetch(shop, "/app/offers", form({ intent: "fallback", productIds: JSON.stringify([P(3)]), minSupport: "2" }))));
    expect((await offered()).map((o) => o.split(" ")[0])).toEqual([P(3)]);

    await listAction(args(await adminFetch(shop, "/app/offers", form({ intent: "toggle", id: offer.id, enabled: "true" }))));
    expect(await listAction(args(await adminFetch(shop, "/app/offers", form({ intent: "start-test", name: "Tee vs nothing", offerAId: offer.id, offerBId: "holdout", splitB: "99" }))))).toMatchObject({ ok: true });
    const shown = await Promise.all(Array.from({ length: 6 }, offered));
    expect(shown.flat().filter((o) => o.startsWith(P(2))).length).toBeLessThan(6); // the holdout arm is served at once
  });

  it("serves the shop's saved earning settings and uninstall in the next extension answer at once", async () => {
    const answer = () =>
      answerExtension(
        { db, adminFor: async () => null, appUrl: "https://encore.example.com", secret: "s" },
        { shopId: shop, customerId: "gid://shopify/Customer/77", orderId: `gid://shopify/Order/${nextId()}`, surface: "thank_you", limit: 3, lines: [{ productId: P(1), quantity: 1, amount: "25.00" }] },
      );
    expect(await answer()).toMatchObject({ status: 200, body: { points: { earned: 25, status: "pending" } } });
    await updateSettings(db, shop, { earnRate: "2", earnRounding: "floor", allowNegativeBalance: false });
    expect(await answer()).toMatchObject({ status: 200, body: { points: { earned: 50, status: "pending" } } });
    await markUninstalled(db, shop);
    expect(await answer()).toMatchObject({ status: 404 });
    await recordInstall(db, shop, null);
    expect(await answer()).toMatchObject({ status: 200 });
  });

  it("serves catalog changes (sold out, deleted, restocked) in the next extension answer at once", async () => {
    await importCatalog();
    await listAction(args(await adminFetch(shop, "/app/offers", form({ intent: "fallback", productIds: JSON.stringify([P(2), P(3)]), minSupport: "2" }))));
    const offered = async () => {
      const result = await answerExtension(
        { db, adminFor: async () => null, appUrl: "https://encore.example.com", secret: "s" },
        { shopId: shop, customerId: null, orderId: `gid://shopify/Order/${nextId()}`, surface: "thank_you", limit: 3, lines: [{ productId: P(1), quantity: 1, amount: "25.00" }] },
      );
      return (result.body as { offers: { productId: string }[] }).offers.map((o) => o.productId);
    };
    expect(await offered()).toEqual([P(2), P(3)]);
    const soldOut = { ...node(2), totalInventory: 0, variants: { nodes: node(2).variants.nodes.map((v) => ({ ...v, inventoryQuantity: 0, availableForSale: false })) } };
    await upsertCatalogProduct(db, shop, productFromNode(soldOut, "USD"));
    expect(await offered()).toEqual([P(3)]);
    await markProductDeleted(db, shop, P(3));
    expect(await offered()).toEqual([]);
    await upsertCatalogProduct(db, shop, productFromNode(node(2), "USD"));
    expect(await offered()).toEqual([P(2)]);
  });
});
