// @vitest-environment happy-dom
// The profile block: the balance and a link to the full Rewards page.
import { setUpExtension } from "@shopify/ui-extensions-tester";
import { render } from "preact";
import { beforeEach, describe, expect, it, vi } from "vitest";

// Each test renders the extension afresh: unmount the previous test's tree
// (Preact would otherwise reuse its component, state and all).
beforeEach(() => render(null, document.body));

describe("profile block", () => {
  it("shows the balance and links to the Rewards page", async () => {
    using extension = setUpExtension("customer-account.profile.block.render");
    extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("tok");
    extension.fetch = vi.fn().mockResolvedValue(new Response(JSON.stringify({ balance: 42, rewards: [], redemptions: [], pending: null, referral: null })));
    const translate = vi.spyOn(extension.shopify.i18n, "translate");
    await extension.render();
    await vi.waitFor(() => expect(document.body.textContent).toContain("block.balance"));
    expect(translate).toHaveBeenCalledWith("block.balance", { count: 42 });
    expect(document.body.querySelector("s-link")?.getAttribute("href")).toBe("extension:/");
  });

  it("says so when the backend is down", async () => {
    using extension = setUpExtension("customer-account.profile.block.render");
    extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("tok");
    extension.fetch = vi.fn().mockRejectedValue(new TypeError("Failed to fetch"));
    await extension.render();
    await vi.waitFor(() => expect(document.body.textContent).toContain("block.unavailable"));
  });
});
