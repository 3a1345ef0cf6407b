// @vitest-environment happy-dom
// The order status block: redeem points without leaving the order status page.
import { setUpExtension } from "@shopify/ui-extensions-tester";
import { render } from "preact";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Account } from "../src/api";

beforeEach(() => render(null, document.body));

const account = (over: Partial<Account> = {}): Account => ({
  shop: { name: "Snow Co", currencyCode: "USD" },
  balance: 600,
  pending: null,
  rewards: [{ id: "r1", title: "$5 off", description: "$5.00 off", pointsCost: 500, affordable: true }],
  redemptions: [],
  referral: null,
  ...over,
});
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const text = () => document.body.textContent ?? "";
const redeemButton = () => [...document.body.querySelectorAll("s-button")].find((b) => b.textContent === "rewards.redeem");

function setUp() {
  const extension = setUpExtension("customer-account.order-status.block.render");
  extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("order-status-token");
  return extension;
}

describe("order status block", () => {
  it("redeems a reward with the customer account token and shows the code", async () => {
    using extension = setUp();
    const issued = { id: "x1", status: "issued", code: "ENC-ORDERSTAT12", title: "$5 off", pointsCost: 500, endsAt: null, createdAt: "2026-11-23T00:00:00Z", usedAt: null };
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json(account()))
      .mockResolvedValueOnce(json({ redemption: issued, balance: 100 }))
      .mockResolvedValueOnce(json(account({ balance: 100, redemptions: [issued] })));
    extension.fetch = fetch;
    await extension.render();
    await vi.waitFor(() => expect(redeemButton()).toBeDefined());
    expect(document.body.querySelector("s-section")?.getAttribute("heading")).toBe("orderStatus.heading");

    redeemButton()!.dispatchEvent(new Event("click", { bubbles: true }));
    await vi.waitFor(() => expect(document.body.querySelector("s-clipboard-item#encore-issued-code")?.getAttribute("text")).toBe("ENC-ORDERSTAT12"));
    const [url, init] = fetch.mock.calls[1];
    expect(String(url)).toMatch(/\/api\/rewards\/redeem$/);
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer order-status-token");
    expect(JSON.parse(String(init.body))).toMatchObject({ rewardId: "r1", requestId: expect.any(String) });
  });

  it("renders nothing when the shop has no rewards, or the backend is down", async () => {
    {
      using extension = setUp();
      extension.fetch = vi.fn().mockResolvedValue(json(account({ rewards: [] })));
      await extension.render();
      await new Promise((r) => setTimeout(r, 20));
      expect(extension.fetch).toHaveBeenCalled();
      expect(text()).toBe("");
    }
    render(null, document.body);
    {
      using extension = setUp();
      extension.fetch = vi.fn().mockRejectedValue(new TypeError("Failed to fetch"));
      await extension.render();
      await new Promise((r) => setTimeout(r, 20));
      expect(extension.fetch).toHaveBeenCalled();
      expect(text()).toBe("");
    }
  });
});
