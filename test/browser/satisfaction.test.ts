// The satisfaction features in the (sandbox) Shopify admin and on the
// shopper's side: survey answers through the extensions' endpoint and an email
// link, then the merchant's Satisfaction page, inbox and survey settings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { SANDBOX_API_SECRET, type Stack } from "../../sandbox/stack.ts";
import { appFrame, screenshot, startBrowserStack } from "../browser";

let stack: Stack;
let page: Page;
let cleanup: () => Promise<void>;
let members: any[];

beforeAll(async () => {
  ({ stack, page, cleanup } = await startBrowserStack());
  await stack.sandbox.playOrders(40);
  members = stack.sandbox.store.orders.filter((o) => o.customer && !o.cancelled_at);
  expect(members.length).toBeGreaterThan(2);
});

afterAll(async () => {
  await cleanup?.();
});

const shopper = (order: any) => ({
  Authorization: `Bearer ${stack.sandbox.sessionToken({ sub: `gid://shopify/Customer/${order.customer.id}` })}`,
  "Content-Type": "application/json",
  Origin: "https://extensions.shopifycdn.com",
  "User-Agent": "Mozilla/5.0 Chrome/156.0",
});

async function answer(order: any, body: Record<string, unknown>) {
  const token = stack.sandbox.sessionToken({ sub: `gid://shopify/Customer/${order.customer.id}` });
  const res = await fetch(`${stack.appUrl}/api/survey?surface=order-status`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Origin: "https://extensions.shopifycdn.com", "User-Agent": "Mozilla/5.0 Chrome/156.0" },
    body: JSON.stringify({
      orderId: `gid://shopify/Order/${order.id}`,
      orderName: order.name,
      // What the block reads from the page's lines.
      products: order.line_items.filter((l: any) => l.product_id).map((l: any) => ({ productId: `gid://shopify/Product/${l.product_id}`, title: l.title })),
      ...body,
    }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("access-control-allow-origin")).toBe("*");
}

describe("satisfaction", () => {
  it("takes answers from the extension endpoint and from a signed email link", async () => {
    await answer(members[0], { score: 1, comment: "The parcel arrived soaked" });
    await answer(members[1], { score: 5, comment: "Perfect fit" });

    // The email link: signed with the app secret for the third order.
    process.env.SHOPIFY_API_SECRET = SANDBOX_API_SECRET;
    const { surveyLinkToken } = await import("../../app/services/email/links.server");
    const link = `${stack.appUrl}/survey/${surveyLinkToken(stack.sandbox.shop, `gid://shopify/Order/${members[2].id}`)}?score=4`;
    await page.goto(link);
    await expect.poll(() => page.locator('input[name="score"][value="4"]').isChecked(), { timeout: 20_000 }).toBe(true);
    await page.getByLabel(/Anything you/).fill("Quick delivery");
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => page.getByText("Thank you for your feedback!").count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, "survey-link-thanks");

    // A forged link is refused.
    const forged = await fetch(`${stack.appUrl}/survey/${surveyLinkToken(stack.sandbox.shop, "gid://shopify/Order/1").split(".")[0]}.AAAA`, { headers: { "User-Agent": "Mozilla/5.0 Chrome/156.0" } });
    expect(forged.status).toBe(404);
  });

  it("shows the score, comments and product scores on the Satisfaction page", async () => {
    await page.goto(stack.adminUrl);
    const app = appFrame(page);
    await expect.poll(() => app.getByText("Points issued").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // The first click can land before the app has hydrated (and so before it
    // listens for the admin's navigate message): click again until it moves.
    await expect
      .poll(
        async () => {
          await page.locator("#app-nav a", { hasText: "Satisfaction" }).click();
          return app.getByText("Latest comments").waitFor({ timeout: 3_000 }).then(() => true, () => false);
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await expect.poll(() => app.getByText("The parcel arrived soaked").count()).toBe(1);
    await expect.poll(() => app.getByText("67%").count()).toBeGreaterThan(0); // CSAT: 2 of 3 answers are 4 or 5
    await expect.poll(() => app.getByText("Score by product").count()).toBe(1);
    const product = members[0].line_items.find((l: any) => l.product_id).title;
    await expect.poll(() => app.getByRole("cell", { name: product }).count()).toBeGreaterThan(0);
    await screenshot(page, "admin-satisfaction");
  });

  it("opens the low score in the inbox, where the merchant adds a note and resolves it", async () => {
    await page.locator("#app-nav a", { hasText: "Inbox" }).click();
    const app = appFrame(page);
    const row = app.getByText(/Scored 1\/5 on order/);
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    await expect.poll(() => app.getByText("The parcel arrived soaked").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await app.getByLabel("Internal note").fill("Sending a replacement");
    await app.getByRole("button", { name: "Add note" }).click();
    await expect.poll(() => app.locator(".sandbox-toast").allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/Note added/));
    await expect.poll(() => app.getByText("Sending a replacement").count()).toBeGreaterThan(0);
    await app.getByRole("button", { name: "Mark resolved" }).click();
    await expect.poll(() => app.getByRole("button", { name: "Reopen" }).count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, "admin-inbox-item");
  });

  it("switches the survey to NPS in Survey settings", async () => {
    await page.locator("#app-nav a", { hasText: "Satisfaction" }).click();
    const app = appFrame(page);
    await app.getByRole("link", { name: "Survey settings" }).or(app.getByRole("button", { name: "Survey settings" })).first().click();
    const scale = app.getByLabel("Scale");
    await scale.waitFor({ timeout: 20_000 });
    await scale.selectOption("nps");
    await expect.poll(() => app.getByLabel("Follow up on scores at or below").inputValue()).toBe("6");
    // The sandbox's orders were placed about three months ago.
    await app.getByLabel("Return window").fill("365");
    await app.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => app.locator(".sandbox-toast").allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/saved/i));
    await screenshot(page, "admin-survey-settings");
  });

  it("takes a refund request from the order status page and creates the return in Shopify on approval", async () => {
    const order = members[3];
    const orderId = `gid://shopify/Order/${order.id}`;
    const eligibility = async () => {
      const res = await fetch(`${stack.appUrl}/api/returns?surface=order-status&orderId=${encodeURIComponent(orderId)}`, { headers: shopper(order) });
      expect(res.status).toBe(200);
      return res.json();
    };
    const before = await eligibility();
    expect(before.lines.length).toBeGreaterThan(0);
    const line = before.lines.find((l: any) => l.resolutions.includes("refund"));
    const created = await fetch(`${stack.appUrl}/api/returns?surface=order-status`, {
      method: "POST",
      headers: shopper(order),
      body: JSON.stringify({ orderId, resolution: "refund", reason: "DEFECTIVE", note: "Seam came apart", lines: [{ fulfillmentLineItemId: line.fulfillmentLineItemId, quantity: 1 }] }),
    });
    expect(created.status).toBe(201);

    await page.locator("#app-nav a", { hasText: "Inbox" }).click();
    const app = appFrame(page);
    const row = app.getByText(new RegExp(`Refund requested for 1 item\\(s\\) on order ${order.name}`));
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    await app.getByRole("button", { name: "Approve" }).click();
    await app.getByRole("button", { name: "Create return" }).click();
    await expect.poll(() => app.locator(".sandbox-toast").allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/Return created in Shopify/));
    await screenshot(page, "admin-return-approved");

    expect(stack.sandbox.store.returns.map((r) => r.orderId)).toEqual([orderId]);
    const after = await eligibility();
    expect(after.requests[0]).toMatchObject({ status: "approved", resolution: "refund" });
  });
});
