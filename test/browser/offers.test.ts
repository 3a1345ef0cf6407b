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
    await page.goto(stack.adminUrl);
    await page.locator("#app-nav a", { hasText: "Offers" }).click();
    const app = appFrame(page);
    await expect.poll(() => app.getByText("Create your first offer").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => app.getByText(/\d+ products cached/).count()).toBeGreaterThan(0);
    await screenshot(page, "admin-offers");
  });
});
