// A merchant in the (sandbox) Shopify admin: the embedded Polaris pages with
// real data, an earning rule changed and an order earning accordingly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { computeEarning } from "../../app/services/loyalty/earning";
import { orderPayload } from "../../app/services/webhooks/payloads";
import type { Stack } from "../../sandbox/stack.ts";
import { discounts } from "../../sandbox/discounts.ts";
import { appFrame, NAV, screenshot, startBrowserStack } from "../browser";

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
    await expect.poll(() => page.locator("#app-nav a").allTextContents()).toEqual(NAV);
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
    // Let the debounced search land first: it navigates, and would otherwise
    // race the click below.
    await expect.poll(() => page.url(), { timeout: 20_000 }).toContain("q=");
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
  it("adds a tag rule on the Program page and previews a sample cart rule by rule", async () => {
    await page.locator("#app-nav a", { hasText: "Program" }).click();
    const app = appFrame(page);
    await app.getByText("Add a rule").first().click();
    const name = app.getByLabel("Name");
    await name.waitFor({ timeout: 20_000 });
    // Bad input first: inline errors, nothing saved.
    await app.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => app.getByText("Give the rule a name.").count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await name.fill("Summer x3");
    await app.getByLabel("Product tag").fill("summer");
    await app.getByLabel("Multiplier").fill("3");
    await app.getByRole("button", { name: "Save" }).click();
    await app.getByRole("link", { name: "Summer x3" }).waitFor({ timeout: 20_000 });

    await app.getByLabel("Product tags").fill("summer");
    await app.getByRole("button", { name: "Preview sample cart" }).click();
    await expect.poll(() => app.getByText(/Sample cart: [\d,]+ points/).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => app.getByText(/× 3 \(Summer x3\)/).count()).toBeGreaterThan(0);
    await screenshot(page, "admin-program-preview");
  });

  it("adds a VIP tier that places existing members, and lists the activity log", async () => {
    await page.locator("#app-nav a", { hasText: "Tiers" }).click();
    const app = appFrame(page);
    await app.getByRole("button", { name: "Add tier" }).click();
    await app.getByLabel("Name").fill("Insider");
    await app.getByLabel("Reached at").fill("0");
    await app.getByLabel("Earning multiplier").fill("1.5");
    await app.getByRole("button", { name: "Save tier" }).click();
    const row = app.locator("tr", { hasText: "Insider" });
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => app.locator(".sandbox-toast").allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/changed tier/));
    await screenshot(page, "admin-tiers");

    await page.locator("#app-nav a", { hasText: "Activity" }).click();
    await app.locator("tr", { hasText: "Earned" }).first().waitFor({ timeout: 20_000 });
    await screenshot(page, "admin-activity");
  });

  it("creates a free-product reward with inline validation and the product picker, then deactivates it after confirming", async () => {
    await page.locator("#app-nav a", { hasText: "Rewards" }).click();
    const app = appFrame(page);
    await app.getByText("Give customers something to spend their points on").waitFor({ timeout: 20_000 });
    await app.getByRole("link", { name: "Create reward" }).first().click();

    await app.getByLabel("Customers get").selectOption("free_product");
    await app.getByRole("button", { name: "Save" }).click();
    await app.getByText("Give the reward a name customers will recognise.").waitFor({ timeout: 10_000 });
    await app.getByText("Pick the product customers get for free.").waitFor();

    await app.getByLabel("Name").fill("Free tote");
    await app.getByLabel("Points cost").fill("400");
    await app.getByRole("button", { name: "Choose product" }).click();
    const picker = app.getByRole("dialog", { name: "Select products" });
    await picker.locator("input[type=radio]").first().waitFor({ timeout: 10_000 });
    await picker.locator("input[type=radio]").first().check();
    await picker.getByRole("button", { name: "Select" }).click();
    await expect.poll(() => app.getByText(/^Product: /).count()).toBe(1);
    await app.getByRole("button", { name: "Save" }).click();

    const row = app.locator("tr", { hasText: "Free tote" });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain("Active");
    await screenshot(page, "admin-rewards");

    await row.getByRole("button", { name: "Deactivate" }).click();
    await app.getByText('Deactivate "Free tote"?').waitFor({ timeout: 10_000 });
    // The confirmation banner sits above the table: its button comes first.
    await app.getByRole("button", { name: "Deactivate" }).first().click();
    await expect.poll(() => app.locator(".sandbox-toast").allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/deactivated/));
    await expect.poll(() => row.innerText()).toContain("Inactive");
  });

  it("redeems a reward for a member's points and shows the Shopify discount code", async () => {
    await page.locator("#app-nav a", { hasText: "Rewards" }).click();
    const app = appFrame(page);
    await app.getByRole("link", { name: "Create reward" }).first().click();
    await app.getByLabel("Name").waitFor({ timeout: 20_000 });
    await app.getByLabel("Name").fill("$5 off");
    await app.getByLabel("Customers get").selectOption("amount_off");
    await app.getByLabel("Amount off").fill("5");
    await app.getByLabel("Points cost").fill("20");
    await app.getByRole("button", { name: "Save" }).click();
    await app.locator("tr", { hasText: "$5 off" }).waitFor({ timeout: 20_000 });

    // The member from the tests above holds their order's points and the 25 adjusted.
    await page.locator("#app-nav a", { hasText: "Customers" }).click();
    await app.locator("tbody tr").first().waitFor({ timeout: 20_000 });
    await app.locator("tbody tr").first().locator("a").first().click();
    await app.getByLabel("Reward").waitFor({ timeout: 20_000 });
    await app.getByLabel("Reward").selectOption({ label: "$5 off (20 points)" });
    await app.getByText("Spend the customer's points").click();
    await app.getByRole("button", { name: "Issue code" }).click();

    const banner = app.getByText(/^Code ENC-[A-Z0-9]+$/);
    await banner.waitFor({ timeout: 20_000 });
    const code = (await banner.innerText()).replace("Code ", "");
    await app.getByText("20 points were taken.").waitFor();
    // Shopify (the sandbox) holds the code, limited to this customer; the ledger shows the redemption.
    await expect.poll(() => app.locator("tr", { hasText: "Redeemed" }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const issued = discounts(stack.sandbox.store).find((d) => d.code === code);
    expect(issued).toMatchObject({ status: "ACTIVE", usageLimit: 1, value: { amount: "5" } });
    expect(issued!.customerIds).toHaveLength(1);
    await screenshot(page, "admin-reward-redeemed");
  });
});
