// The shopper's side of offers: the sandbox's thank-you page with Encore's
// real extension bundle, talking to the real app; and the merchant's Offers
// page in the admin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { importOffersData } from "../../sandbox/offers-demo.ts";
import type { Stack } from "../../sandbox/stack.ts";
import { appFrame, screenshot, startBrowserStack } from "../browser";

let stack: Stack;
let page: Page;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ stack, page, cleanup } = await startBrowserStack());
  await stack.sandbox.playOrders(80);
  await importOffersData(stack);
});

afterAll(async () => {
  await cleanup?.();
});

/** The admin, then Offers in its nav (once the app has loaded, so it hears the nav's message). */
async function openOffers() {
  await page.goto(stack.adminUrl);
  const app = appFrame(page);
  await expect.poll(() => app.getByText("Points issued").count(), { timeout: 20_000 }).toBeGreaterThan(0);
  // The home page's HTML shows before the app has hydrated; a nav message that
  // arrives before then is lost, so click again until the Offers page shows.
  const subtitle = app.getByText("Post-purchase offers on the thank-you and order status pages");
  for (let attempt = 0; attempt < 5 && (await subtitle.count()) === 0; attempt++) {
    await page.locator("#app-nav a", { hasText: "Offers" }).click();
    await subtitle.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  await expect.poll(() => subtitle.count()).toBeGreaterThan(0);
  return app;
}

const memberOrder = () => stack.sandbox.store.orders.find((o) => o.customer && !o.cancelled_at && o.line_items.length > 1);

describe("thank-you page", () => {
  it("shows a logged-in customer the points this order earned and offers with a button", async () => {
    const order = memberOrder();
    await page.goto(`${stack.sandbox.url}/thank-you?order=${order.id}`);
    const block = page.locator("#extension-root");
    await expect.poll(() => block.locator("s-button").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => block.innerText()).toMatch(/You earned \d+ points? with this order/);
    await expect.poll(() => block.innerText()).toMatch(/Balance: \d+ points?/);
    const text = await block.innerText();
    expect(text).toMatch(/You might also like/);
    expect(text).toMatch(/Bought together by \d+ customers|Best-seller/);
    // Nothing the shopper just bought is offered.
    for (const line of order.line_items) expect(text).not.toContain(line.title);
    const href = await block.locator("s-button").first().getAttribute("href");
    expect(href).toMatch(/\/api\/offers\/click\?d=/);
    await screenshot(page, "thank-you-member");
  });

  it("shows a guest offers without points, and the order status page answers for the customer", async () => {
    const order = memberOrder();
    await page.goto(`${stack.sandbox.url}/thank-you?order=${order.id}&guest=1`);
    const block = page.locator("#extension-root");
    await expect.poll(() => block.locator("s-button").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await block.innerText()).not.toMatch(/Your points/);
    await page.goto(`${stack.sandbox.url}/thank-you?order=${order.id}&target=order-status`);
    await expect.poll(() => page.locator("#extension-root").innerText(), { timeout: 20_000 }).toMatch(/You earned \d+ points?/);
    await screenshot(page, "order-status-member");
  });
});

describe("Offers in the admin", () => {
  it("lists the imported data and explains how to start", async () => {
    const app = await openOffers();
    await expect.poll(() => app.getByText("Create your first offer").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => app.getByText(/\d+ products cached/).count()).toBeGreaterThan(0);
    await screenshot(page, "admin-offers");
  });
});

describe("an offer from the editor to the thank-you page", () => {
  it("creates an offer with the resource picker and a discount, and the next thank-you page shows it with its code", async () => {
    const order = memberOrder();
    const bought = new Set(order.line_items.map((l: { product_id: number }) => l.product_id));
    const product = stack.sandbox.store.catalog.products.find(
      (p) => p.status === "ACTIVE" && p.publishedOnlineStore && p.variants.every((v) => v.availableForSale && v.inventoryQuantity > 0) && !bought.has(p.id),
    )!;
    const app = await openOffers();
    await app.locator("a, button", { hasText: "Create offer" }).first().click();
    await app.getByLabel("Name").fill("Treat yourself");
    await app.getByRole("button", { name: "Choose products to offer" }).click();
    const search = app.getByLabel("Search products");
    await search.fill(product.title);
    const row = app.locator("label", { hasText: product.title }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.locator("input").check();
    await app.getByRole("button", { name: "Select", exact: true }).click();
    await app.getByLabel("Discount", { exact: true }).selectOption("percent");
    await app.getByLabel("Discount value", { exact: false }).fill("10");
    await app.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => app.getByText(/Code ENCORE-[A-Z2-9]{8}/).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await screenshot(page, "admin-offer-saved");

    await page.goto(`${stack.sandbox.url}/thank-you?order=${order.id}`);
    const block = page.locator("#extension-root");
    await expect.poll(() => block.innerText(), { timeout: 20_000 }).toContain(product.title);
    const text = await block.innerText();
    expect(text).toContain("10% off");
    expect(text).toContain("Treat yourself");
    await screenshot(page, "thank-you-offer");
  });
});
