/// <reference types="@shopify/ui-extensions/purchase.thank-you.block.render" />
// The block on both targets, with Shopify's extension tester: a logged-in
// customer, a guest, no offers, and a backend that is down or too slow.
import { setUpExtension } from "@shopify/ui-extensions-tester";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BACKEND_URL, TIMEOUT_MS } from "../src/config";

const offer = (n: number, over: Record<string, unknown> = {}) => ({
  productId: `gid://shopify/Product/${n}`,
  title: `Leather Belt ${n}`,
  imageUrl: `https://cdn.example.com/${n}.png`,
  price: "40.00",
  discountedPrice: "34.00",
  currencyCode: "USD",
  discount: { kind: "percent", value: "15" },
  reason: "Bought together by 38 customers",
  clickUrl: `https://example.com/api/offers/click?d=${n}&sig=x`,
  ...over,
});

const answer = (body: object, status = 200) => vi.fn().mockResolvedValue(new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }));

// Every field, as Shopify passes them once the merchant saved the block's settings.
const settings = (over: { heading?: string; offer_count?: number; show_points?: boolean } = {}) => ({ heading: "", offer_count: 3, show_points: true, ...over });

const texts = () => [...document.body.querySelectorAll("s-text, s-heading, s-badge")].map((e) => e.textContent);

afterEach(() => {
  vi.useRealTimers();
});

describe("thank-you page", () => {
  it("shows a logged-in customer's points, balance and the offers, with the cart link", async () => {
    using extension = setUpExtension("purchase.thank-you.block.render");
    extension.shopify.settings.value = settings({ heading: "Complete your look", offer_count: 2 });
    extension.shopify.sessionToken.get = async () => "token-123";
    const fetch = answer({ points: { earned: 40, status: "available", balance: 120 }, offers: [offer(1), offer(2), offer(3)] });
    extension.fetch = fetch;
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelectorAll("s-button")).toHaveLength(2));

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${BACKEND_URL}/api/thank-you`);
    expect(init.headers.Authorization).toBe("Bearer token-123");
    expect(JSON.parse(init.body)).toMatchObject({ orderId: "gid://shopify/Order/1", limit: 2 });
    expect(texts()).toEqual(expect.arrayContaining(["points.title", "points.earned", "points.balance", "Complete your look", "Leather Belt 1", "offers.percentOff", "Bought together by 38 customers"]));
    expect(document.body.querySelector("s-button")!.getAttribute("href") ?? (document.body.querySelector("s-button") as any).href).toBe(offer(1).clickUrl);
    expect(document.body.querySelector("s-product-thumbnail")).not.toBeNull();
  });

  it("shows a guest the offers and no points section", async () => {
    using extension = setUpExtension("purchase.thank-you.block.render");
    extension.shopify.settings.value = settings();
    extension.fetch = answer({ points: null, offers: [offer(1, { discount: null, discountedPrice: null })] });
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelectorAll("s-button")).toHaveLength(1));
    expect(texts()).not.toContain("points.title");
    expect(texts()).toContain("heading"); // default heading, translated
    expect(texts()).not.toContain("offers.percentOff");
  });

  it("hides the points when the merchant turned them off", async () => {
    using extension = setUpExtension("purchase.thank-you.block.render");
    extension.shopify.settings.value = settings({ show_points: false, offer_count: 1 });
    extension.fetch = answer({ points: { earned: 40, status: "pending" }, offers: [offer(1)] });
    await extension.render();
    await vi.waitFor(() => expect(document.body.querySelectorAll("s-button")).toHaveLength(1));
    expect(texts()).not.toContain("points.title");
  });

  it("renders nothing when there are no offers and no points", async () => {
    using extension = setUpExtension("purchase.thank-you.block.render");
    extension.shopify.settings.value = settings();
    const fetch = answer({ points: null, offers: [] });
    extension.fetch = fetch;
    await extension.render();
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 10));
    expect(document.body.querySelector("s-stack")).toBeNull();
  });

  it("hides when the backend is down or answers an error", async () => {
    using extension = setUpExtension("purchase.thank-you.block.render");
    extension.shopify.settings.value = settings();
    const fetch = vi.fn().mockRejectedValue(new TypeError("Failed to fetch"));
    extension.fetch = fetch;
    await extension.render();
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 10));
    expect(document.body.innerHTML).not.toContain("s-");
  });

  it("hides when the backend refuses (401) or fails (500)", async () => {
    for (const status of [401, 500]) {
      using extension = setUpExtension("purchase.thank-you.block.render");
      extension.shopify.settings.value = settings();
      // A body that would render, had the block ignored the status.
      const fetch = answer({ points: { earned: 5, status: "available" }, offers: [offer(1)] }, status);
      extension.fetch = fetch;
      await extension.render();
      await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
      await new Promise((r) => setTimeout(r, 10));
      expect(document.body.querySelector("s-stack")).toBeNull();
    }
  });

  it("gives up after the timeout when the backend hangs", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    using extension = setUpExtension("purchase.thank-you.block.render");
    extension.shopify.settings.value = settings();
    let aborted = false;
    extension.fetch = vi.fn((_url: unknown, init?: RequestInit) => new Promise<Response>((_resolve, reject) => {
      init!.signal!.addEventListener("abort", () => {
        aborted = true;
        reject(new DOMException("aborted", "AbortError"));
      });
    }));
    await extension.render();
    await vi.waitFor(() => expect(extension.fetch).toHaveBeenCalled());
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS + 1);
    expect(aborted).toBe(true);
    expect(document.body.querySelector("s-stack")).toBeNull();
  });
});

describe("order status page", () => {
  it("calls the customer account endpoint with the order's id", async () => {
    using extension = setUpExtension("customer-account.order-status.block.render");
    extension.shopify.settings.value = settings();
    const fetch = answer({ points: { earned: 12, status: "available", balance: 50 }, offers: [] });
    extension.fetch = fetch;
    await extension.render();
    await vi.waitFor(() => expect(texts()).toContain("points.earned"));
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${BACKEND_URL}/api/order-status`);
    expect(JSON.parse(init.body).orderId).toMatch(/^gid:\/\/shopify\/Order\//);
    expect(document.body.querySelector("s-button")).toBeNull();
  });
});
