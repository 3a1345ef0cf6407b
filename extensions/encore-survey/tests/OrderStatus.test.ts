/// <reference types="@shopify/ui-extensions/customer-account.order-status.block.render" />
// The order status block: the survey with the customer account session token,
// and refund/exchange requests with their status.
import { setUpExtension } from "@shopify/ui-extensions-tester";
import { fireEvent, waitFor } from "@testing-library/preact";
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";

// Preact keeps its tree on document.body; unmount it so no state leaks between tests.
afterEach(() => render(null, document.body));

const ORDER = "gid://shopify/Order/2002";
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const survey = { survey: { enabled: true, scale: "nps", question: "Would you recommend us?", commentEnabled: false, sourceQuestion: null, sourceOptions: [], pointsForAnswer: 0, answer: null } };
const eligibility = (overrides: Record<string, unknown> = {}) => ({
  enabled: true,
  windowDays: 30,
  lines: [
    { fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/11", title: "Linen shirt", variantTitle: "M", quantity: 2, resolutions: ["refund", "exchange", "store_credit"], exchangeVariants: [{ id: "gid://shopify/ProductVariant/1", title: "S" }, { id: "gid://shopify/ProductVariant/3", title: "L" }] },
    { fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/13", title: "Wool socks", variantTitle: null, quantity: 1, resolutions: ["exchange"], exchangeVariants: [{ id: "gid://shopify/ProductVariant/9", title: "Blue" }] },
  ],
  requests: [],
  reasons: [{ value: "SIZE_TOO_SMALL", label: "Too small" }, { value: "DEFECTIVE", label: "Damaged or defective" }],
  resolutions: [{ value: "refund", label: "Refund" }, { value: "exchange", label: "Exchange" }, { value: "store_credit", label: "Store credit" }],
  ...overrides,
});

function setUp(routes: { survey?: () => Response | Promise<Response>; returns?: (init?: RequestInit) => Response | Promise<Response> }) {
  const extension = setUpExtension("customer-account.order-status.block.render");
  extension.shopify.order.value = { id: ORDER, name: "#2002" } as any;
  extension.shopify.lines.value = [];
  extension.shopify.settings.value = { heading: "How was it?", show_returns: true };
  extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("customer-token");
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    if (url.includes("/api/survey")) return routes.survey ? routes.survey() : json(survey);
    if (url.includes("/api/returns")) return routes.returns ? routes.returns(init) : json(eligibility());
    throw new Error(`unexpected ${url}`);
  });
  extension.fetch = fetch as any;
  return { extension, fetch };
}

const options = (select: Element) => [...select.querySelectorAll("s-option")].map((o) => o.textContent);
const selectLabelled = (label: string) => document.body.querySelector(`s-select[label="${label}"]`) as (HTMLElement & { value: string }) | null;

describe("order status block", () => {
  it("shows the survey on the NPS scale with the merchant's heading, via the customer account surface", async () => {
    const { extension, fetch } = setUp({});
    await extension.render();
    await waitFor(() => expect(document.body.textContent).toContain("Would you recommend us?"));
    expect(document.body.querySelector("s-heading")?.textContent).toBe("How was it?");
    const scores = [...document.body.querySelectorAll("s-button")].map((b) => b.textContent).filter((t) => /^\d+$/.test(t ?? ""));
    expect(scores).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    expect(fetch.mock.calls.map(([url]) => new URL(url).searchParams.get("surface"))).toEqual(["order-status", "order-status"]);
    extension[Symbol.dispose]();
  });

  it("offers only what every chosen item allows and sends the request", async () => {
    const posted: unknown[] = [];
    const { extension } = setUp({
      returns: (init) => {
        if (init?.method === "POST") {
          posted.push(JSON.parse(String(init.body)));
          return json({ request: { id: "r1", status: "requested" } }, 201);
        }
        return json(eligibility(posted.length ? { requests: [{ id: "r1", status: "requested", resolution: "exchange", declineReason: null, lines: [{ title: "Linen shirt — M", quantity: 1, exchangeVariantTitle: "L" }] }] } : {}));
      },
    });
    await extension.render();
    await waitFor(() => expect(document.body.querySelectorAll("s-number-field")).toHaveLength(2));
    expect(options(selectLabelled("returns.resolution")!)).toEqual(["Refund", "Exchange", "Store credit"]);

    const [shirt, socks] = [...document.body.querySelectorAll("s-number-field")] as (HTMLElement & { value: string })[];
    socks.value = "1";
    fireEvent.change(socks);
    // Socks are exchange-only: the choice narrows to exchange.
    await waitFor(() => expect(options(selectLabelled("returns.resolution")!)).toEqual(["Exchange"]));
    socks.value = "0";
    fireEvent.change(socks);
    shirt.value = "1";
    fireEvent.change(shirt);
    await waitFor(() => expect(options(selectLabelled("returns.resolution")!)).toEqual(["Refund", "Exchange", "Store credit"]));
    const resolution = selectLabelled("returns.resolution")!;
    resolution.value = "exchange";
    fireEvent.change(resolution);
    await waitFor(() => expect(selectLabelled("returns.exchangeFor")).not.toBeNull());
    const variant = selectLabelled("returns.exchangeFor")!;
    variant.value = "gid://shopify/ProductVariant/3";
    fireEvent.change(variant);
    await waitFor(() => expect(selectLabelled("returns.exchangeFor")!.value).toBe("gid://shopify/ProductVariant/3"));

    fireEvent.click([...document.body.querySelectorAll("s-button")].find((b) => b.textContent === "returns.submit")!);
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({
      orderId: ORDER,
      resolution: "exchange",
      reason: "SIZE_TOO_SMALL",
      lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/11", quantity: 1, exchangeVariantId: "gid://shopify/ProductVariant/3" }],
    });
    await waitFor(() => expect(document.body.textContent).toContain("returns.status.requested"));
    expect(document.body.textContent).toContain("1 × Linen shirt — M → L");
    extension[Symbol.dispose]();
  });

  it("shows a declined request with the store's reason", async () => {
    const { extension } = setUp({
      returns: () => json(eligibility({ lines: [], requests: [{ id: "r1", status: "declined", resolution: "refund", declineReason: "Worn items", lines: [{ title: "Linen shirt", quantity: 1, exchangeVariantTitle: null }] }] })),
    });
    await extension.render();
    await waitFor(() => expect(document.body.textContent).toContain("returns.status.declined"));
    expect(document.body.textContent).toContain("returns.declinedBecause");
    expect(document.body.textContent).toContain("returns.none");
    extension[Symbol.dispose]();
  });

  it("hides both parts when the backend is down", async () => {
    const { extension, fetch } = setUp({ survey: () => json({ error: "down" }, 503), returns: () => json({ error: "down" }, 503) });
    await extension.render();
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
    await new Promise((r) => setTimeout(r, 0));
    expect(document.body.querySelector("s-heading")).toBeNull();
    expect(document.body.querySelector("s-button")).toBeNull();
    extension[Symbol.dispose]();
  });
});
