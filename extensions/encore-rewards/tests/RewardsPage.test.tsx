// @vitest-environment happy-dom
// The Rewards page against a mocked backend (extension.fetch), with the
// tester's mock `shopify` global (translate returns the keys).
import { setUpExtension } from "@shopify/ui-extensions-tester";
import { render } from "preact";
import { beforeEach, describe, expect, it, vi } from "vitest";

// Each test renders the extension afresh: unmount the previous test's tree
// (Preact would otherwise reuse its component, state and all).
beforeEach(() => render(null, document.body));
import type { Account } from "../src/api";

const account = (over: Partial<Account> = {}): Account => ({
  shop: { name: "Snow Co", currencyCode: "USD" },
  balance: 750,
  pending: 120,
  rewards: [
    { id: "r1", title: "$5 off", description: "$5.00 off", pointsCost: 500, affordable: true },
    { id: "r2", title: "Free board", description: "Free Snowboard", pointsCost: 5000, affordable: false },
  ],
  redemptions: [
    { id: "x1", status: "used", code: "ENC-OLDCODE234", title: "Free shipping", pointsCost: 200, endsAt: null, createdAt: "2026-10-01T00:00:00Z", usedAt: "2026-10-03T00:00:00Z" },
  ],
  referral: { url: "https://example.com/r/abcdefghjk", referrerPoints: 300 },
  ...over,
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const text = () => document.body.textContent ?? "";
const click = (el: { dispatchEvent(event: Event): boolean }) => el.dispatchEvent(new Event("click", { bubbles: true }));
const buttons = () => [...document.body.querySelectorAll("s-button")];

function setUp() {
  const extension = setUpExtension("customer-account.page.render");
  extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("session-token-1");
  return extension;
}

describe("Rewards page", () => {
  it("shows the balance, pending points, rewards with costs, past codes and the referral link", async () => {
    using extension = setUp();
    const fetch = vi.fn().mockResolvedValue(json(account()));
    extension.fetch = fetch;
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("#encore-balance")).not.toBeNull());

    const [url, init] = fetch.mock.calls[0];
    expect(String(url)).toMatch(/\/api\/rewards$/);
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer session-token-1");
    expect(text()).toContain("balance.points");
    expect(text()).toContain("balance.pending");
    expect(text()).toContain("$5 off");
    expect(text()).toContain("Free board");
    expect(text()).toContain("rewards.notEnough"); // 5000 > 750: no button for it
    expect(buttons().filter((b) => b.textContent === "rewards.redeem")).toHaveLength(1);
    expect(text()).toContain("ENC-OLDCODE234");
    expect(text()).toContain("history.used");
    expect(document.body.querySelector("s-clipboard-item#encore-referral-link")?.getAttribute("text")).toBe("https://example.com/r/abcdefghjk");
  });

  it("hides pending points when the shop has none", async () => {
    using extension = setUp();
    extension.fetch = vi.fn().mockResolvedValue(json(account({ pending: null })));
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("#encore-balance")).not.toBeNull());
    expect(text()).not.toContain("balance.pending");
  });

  it("redeems a reward and shows the code with a copy button", async () => {
    using extension = setUp();
    const issued = { id: "x2", status: "issued", code: "ENC-NEWCODE789", title: "$5 off", pointsCost: 500, endsAt: "2026-12-23T00:00:00Z", createdAt: "2026-11-23T00:00:00Z", usedAt: null };
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json(account()))
      .mockResolvedValueOnce(json({ redemption: issued, balance: 250 }))
      .mockResolvedValueOnce(json(account({ balance: 250, redemptions: [issued] })));
    extension.fetch = fetch;
    await extension.render();
    await vi.waitFor(() => expect(buttons().some((b) => b.textContent === "rewards.redeem")).toBe(true));

    click(buttons().find((b) => b.textContent === "rewards.redeem")!);

    await vi.waitFor(() => expect(document.body.querySelector("s-clipboard-item#encore-issued-code")).not.toBeNull());
    const [url, init] = fetch.mock.calls[1];
    expect(String(url)).toMatch(/\/api\/rewards\/redeem$/);
    expect(init.method).toBe("POST");
    const body = JSON.parse(init.body);
    expect(body.rewardId).toBe("r1");
    expect(body.requestId).toMatch(/^[A-Za-z0-9_-]{8,100}$/);
    expect(document.body.querySelector("s-clipboard-item#encore-issued-code")?.getAttribute("text")).toBe("ENC-NEWCODE789");
    expect(buttons().find((b) => b.textContent === "issued.copy")?.getAttribute("commandFor") ?? buttons().find((b) => b.textContent === "issued.copy")?.getAttribute("commandfor")).toBe("encore-issued-code");
    expect(fetch).toHaveBeenCalledTimes(3); // refreshed the balance afterwards
  });

  it("shows the server's error when a redemption fails, and retries with the same request id", async () => {
    using extension = setUp();
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json(account()))
      .mockResolvedValueOnce(json({ error: { code: "shopify_unavailable", message: "We couldn't reach the store to issue your code. Your points were returned; please try again." } }, 503))
      .mockResolvedValueOnce(json({ error: { code: "shopify_unavailable", message: "Still down" } }, 503));
    extension.fetch = fetch;
    await extension.render();
    await vi.waitFor(() => expect(buttons().some((b) => b.textContent === "rewards.redeem")).toBe(true));

    click(buttons().find((b) => b.textContent === "rewards.redeem")!);
    await vi.waitFor(() => expect(text()).toContain("Your points were returned"));
    expect(document.body.querySelector("s-banner[tone='critical']")).not.toBeNull();

    await vi.waitFor(() => expect(buttons().find((b) => b.textContent === "rewards.redeem")?.hasAttribute("disabled") ?? false).toBe(false));
    click(buttons().find((b) => b.textContent === "rewards.redeem")!);
    await vi.waitFor(() => expect(text()).toContain("Still down"));
    const first = JSON.parse(fetch.mock.calls[1][1].body).requestId;
    const second = JSON.parse(fetch.mock.calls[2][1].body).requestId;
    expect(second).toBe(first);
  });

  it("explains when the backend is down, and can try again", async () => {
    using extension = setUp();
    const fetch = vi.fn().mockRejectedValueOnce(new TypeError("Failed to fetch")).mockResolvedValueOnce(json(account()));
    extension.fetch = fetch;
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-banner")?.getAttribute("heading")).toBe("errors.load"));
    click(buttons().find((b) => b.textContent === "errors.retry")!);
    await vi.waitFor(() => expect(document.body.querySelector("#encore-balance")).not.toBeNull());
  });

  it("asks to sign in again when the session is rejected", async () => {
    using extension = setUp();
    extension.fetch = vi.fn().mockResolvedValue(json({ error: { code: "unauthorized", message: "expired" } }, 401));
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelector("s-banner")?.getAttribute("heading")).toBe("errors.session"));
  });
});
