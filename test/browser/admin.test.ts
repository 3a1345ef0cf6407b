// A merchant in the (sandbox) Shopify admin: the embedded Polaris pages with
// real data, an earning rule changed and an order earning accordingly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { computeEarning } from "../../app/services/loyalty/earning";
import { orderPayload } from "../../app/services/webhooks/payloads";
import type { Stack } from "../../sandbox/stack.ts";
import { appFrame, screenshot, startBrowserStack } from "../browser";

let stack: Stack;
let page: Page;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ stack, page, cleanup } = await startBrowserStack());
  await stack.sandbox.playOrders(40);
});

afterAll(async () => {
  await cleanup?.();
});

/** Plays orders until one from a signed-in customer is delivered; returns it. */
async function nextMemberOrder() {
  for (let i = 0; i < 20; i++) {
    await stack.sandbox.playOrders(1);
    const order = stack.sandbox.store.orders.at(-1);
    if (order?.customer && !order.cancelled_at) return order;
  }
  throw new Error("no member order in 20 tries");
}

describe("the embedded admin", () => {
  it("opens on the home page with the program's numbers", async () => {
    await page.goto(stack.adminUrl);
    const app = appFrame(page);
    await expect.poll(() => app.getByText("Points issued").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => app.getByText("Members", { exact: true }).count()).toBeGreaterThan(0);
    // The app's nav menu reached the admin's sidebar through App Bridge.
    await expect.poll(() => page.locator("#app-nav a").allTextContents()).toEqual(["Home", "Customers", "Emails", "Settings"]);
    await screenshot(page, "admin-home");
  });

  it("changes the earning rate in Settings, and the next order earns at the new rate", async () => {
    await page.locator("#app-nav a", { hasText: "Settings" }).click();
    const app = appFrame(page);
    const rate = app.getByLabel("Earning rate");
    await rate.waitFor({ timeout: 20_000 });
    await rate.fill("3");
    await app.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => app.locator(".sandbox-toast").allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/saved/i));
    await screenshot(page, "admin-settings-saved");

    const order = await nextMemberOrder();
    const expected = computeEarning(orderPayload.parse(order), { earnRate: "3", earnRounding: "floor" }).points;
    expect(expected).toBeGreaterThan(0);

    await page.locator("#app-nav a", { hasText: "Customers" }).click();
    const search = app.getByLabel("Search customers");
    await search.waitFor({ timeout: 20_000 });
    await search.fill(order.customer.email);
    const row = app.locator("tr", { hasText: order.customer.email });
    await row.waitFor({ timeout: 20_000 });
    await row.getByText(order.customer.first_name).first().click();

    // The customer's ledger shows the order's earn entry at three points per dollar.
    const entry = app.locator("tr", { hasText: order.name });
    await entry.waitFor({ timeout: 20_000 });
    await expect.poll(() => entry.innerText()).toContain(`+${expected.toLocaleString("en-US")}`);
    await screenshot(page, "admin-customer-ledger");
  });

  it("adjusts a customer's points with a reason, shown in the ledger", async () => {
    const app = appFrame(page);
    await app.getByLabel("Points").fill("25");
    await app.getByLabel("Reason").fill("Goodwill for a late parcel");
    await app.getByRole("button", { name: "Save adjustment" }).click();
    const entry = app.locator("tr", { hasText: "Goodwill for a late parcel" });
    await entry.waitFor({ timeout: 20_000 });
    expect(await entry.innerText()).toContain("+25");
    await screenshot(page, "admin-customer-adjusted");
  });
});
