// Browser tests: the offline stack (sandbox + built app) on a fresh SQLite
// database, driven in Debian's headless Chromium through playwright-core.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type FrameLocator, type Page } from "playwright-core";
import { startStack, type Stack } from "../sandbox/stack.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SCREENSHOTS = path.join(root, "test-results", "screenshots");

export async function startBrowserStack(): Promise<{ stack: Stack; browser: Browser; page: Page; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "encore-browser-"));
  const databaseUrl = `file:${path.join(dir, "browser.sqlite")}`;
  execFileSync(process.execPath, [path.join(root, "scripts", "prisma.mjs"), "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const stack = await startStack({ databaseUrl, retryDelaysMs: [100, 300] });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
  const page = await browser.newPage({
    viewport: { width: 1366, height: 900 },
    // Headless Chromium announces itself as a bot, which Shopify's library turns away (410).
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
  });
  // Nothing outside this machine: Shopify's CDN fonts and images are unreachable here.
  await page.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.abort());
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    stack,
    browser,
    page,
    cleanup: async () => {
      await browser.close();
      await stack.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The app's navigation as App Bridge shows it in the admin's sidebar (app/routes/app.tsx). */
export const NAV = ["Home", "Customers", "Program", "Tiers", "Rewards", "Referrals", "Offers", "Emails", "Satisfaction", "Inbox", "Activity", "Settings"];

/** The embedded app inside the sandbox admin page. */
export const appFrame = (page: Page): FrameLocator => page.frameLocator("iframe#app");

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
