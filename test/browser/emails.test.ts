// The Emails page in the (sandbox) admin: a text edited with its live
// preview, saved, and the next paid order's thank-you email delivered to the
// sandbox's SMTP catcher through the app's in-process job queue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { configureSandboxEmails, type Stack } from "../../sandbox/stack.ts";
import { appFrame, screenshot, startBrowserStack } from "../browser";

let stack: Stack;
let page: Page;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ stack, page, cleanup } = await startBrowserStack());
  await configureSandboxEmails(stack);
  await stack.sandbox.playOrders(10);
});

afterAll(async () => {
  await cleanup?.();
});

/** From the admin's home, through the app's nav menu (once App Bridge has it). */
async function openEmailsPage() {
  await page.goto(stack.adminUrl);
  const app = appFrame(page);
  await expect.poll(() => app.getByText("Points issued").count(), { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(() => page.locator("#app-nav a").allTextContents(), { timeout: 10_000 }).toContain("Emails");
  // A click while the app is still starting can go unheard: click until the page opens.
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.locator("#app-nav a", { hasText: "Emails" }).click();
    const opened = await app
      .getByRole("tab", { name: "Send log" })
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (opened) return;
  }
  throw new Error("The Emails page did not open from the nav menu");
}

describe("the Emails page", () => {
  it("previews the thank-you email at desktop and mobile widths, live as the text changes", async () => {
    await openEmailsPage();
    const app = appFrame(page);
    const desktop = app.locator('iframe[title="Desktop preview"]');
    await desktop.waitFor({ timeout: 20_000 }).catch(async (error) => {
      await screenshot(page, "admin-emails-missing");
      throw error;
    });
    await expect.poll(() => app.locator('iframe[title="Mobile preview"]').count()).toBe(1);
    await expect.poll(() => desktop.getAttribute("srcdoc"), { timeout: 10_000 }).toContain("Thank you");

    await app.getByLabel("Send after (minutes)").fill("0");
    await app.getByLabel("Subject").fill("Thanks for shopping, {name}");
    await app.getByLabel("Heading").fill("You made our day, {name}!");
    await expect.poll(() => desktop.getAttribute("srcdoc"), { timeout: 10_000 }).toContain("You made our day");
    await screenshot(page, "admin-emails-preview");
    await app.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => appFrame(page).locator(".sandbox-toast").allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringMatching(/Thank-you email saved/));
  });

  it("sends the next paid order's thank-you email with the saved text, and logs it", async () => {
    const before = stack.mail.messages.length;
    for (let i = 0; i < 20 && !stack.mail.messages.slice(before).some((m) => m.parsed.subject?.startsWith("Thanks for shopping")); i++) {
      await stack.sandbox.playOrders(1);
      await new Promise((r) => setTimeout(r, 1500));
    }
    await expect.poll(() => stack.mail.messages.slice(before).map((m) => m.parsed.subject ?? ""), { timeout: 30_000 }).toContainEqual(
      expect.stringMatching(/^Thanks for shopping/),
    );
    const mail = stack.mail.messages.slice(before).find((m) => m.parsed.subject?.startsWith("Thanks for shopping"))!;
    expect(mail.parsed.text).toMatch(/This order earned you \d+ points/);
    expect(mail.parsed.text).toContain("?score=5");
    // The demo shop tracks clicks: the HTML's links go through the app's redirect.
    expect(mail.parsed.html).toContain("/email/click/");

    const app = appFrame(page);
    await app.getByRole("tab", { name: "Send log" }).click();
    await expect.poll(() => app.getByText(mail.parsed.subject!).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await screenshot(page, "admin-emails-log");

    await page.goto(`${stack.sandbox.url}/mail`);
    await expect.poll(() => page.getByText(mail.parsed.subject!).count()).toBeGreaterThan(0);
    await page.getByText(mail.parsed.subject!).first().click();
    await expect.poll(() => page.locator("iframe").count()).toBe(2);
    await screenshot(page, "sandbox-mail");
  });

  it("sends a test email through the saved SMTP settings", async () => {
    await openEmailsPage();
    const app = appFrame(page);
    await app.getByRole("tab", { name: "Branding & delivery" }).click();
    const to = app.getByLabel("Send a test email to");
    await to.waitFor({ timeout: 20_000 });
    await to.fill("merchant@example.com");
    await app.getByRole("button", { name: "Send test email" }).click();
    await expect.poll(() => appFrame(page).locator(".sandbox-toast").allTextContents(), { timeout: 15_000 }).toContainEqual(
      expect.stringMatching(/Test email sent to merchant@example.com/),
    );
    expect(stack.mail.messages.some((m) => m.envelopeTo.includes("merchant@example.com") && m.parsed.subject?.startsWith("[Test]"))).toBe(true);
    await screenshot(page, "admin-emails-delivery");
  });
});
