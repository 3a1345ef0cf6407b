/// <reference types="@shopify/ui-extensions/purchase.thank-you.block.render" />
// The survey on the thank-you page, with Shopify's extension tester: the
// `shopify` global is mocked per test and the backend is a fetch mock.
import { setUpExtension } from "@shopify/ui-extensions-tester";
import { createCartLine } from "@shopify/ui-extensions-tester/checkout";
import { fireEvent, waitFor } from "@testing-library/preact";
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";

// Preact keeps its tree on document.body; unmount it so no state leaks between tests.
afterEach(() => render(null, document.body));

const ORDER = "gid://shopify/Order/1001";
const survey = (overrides: Record<string, unknown> = {}) => ({
  survey: {
    enabled: true,
    scale: "csat",
    question: "How satisfied are you?",
    commentEnabled: true,
    sourceQuestion: "How did you hear about us?",
    sourceOptions: ["Instagram", "A friend"],
    pointsForAnswer: 20,
    answer: null,
    ...overrides,
  },
});
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function setUp(fetchImpl: (url: string, init?: RequestInit) => Promise<Response>) {
  const extension = setUpExtension("purchase.thank-you.block.render");
  extension.shopify.orderConfirmation.value = { order: { id: ORDER }, number: "K7Q2ZP4XA", isFirstOrder: true };
  extension.shopify.lines.value = [
    createCartLine({ merchandise: { ...createCartLine().merchandise, title: "Linen shirt", product: { ...createCartLine().merchandise.product, id: "gid://shopify/Product/7" } } as any }),
  ];
  extension.shopify.settings.value = { heading: "" };
  extension.shopify.sessionToken.get = vi.fn().mockResolvedValue("session-token");
  const fetch = vi.fn(fetchImpl);
  extension.fetch = fetch as any;
  return { extension, fetch };
}

describe("thank-you survey", () => {
  it("renders the question, the 1–5 buttons, the second question and the comment", async () => {
    const setup = setUp(async () => json(survey()));
    await setup.extension.render();
    await waitFor(() => expect(document.body.textContent).toContain("How satisfied are you?"));
    const buttons = [...document.body.querySelectorAll("s-button")].map((b) => b.textContent);
    expect(buttons).toEqual(["1", "2", "3", "4", "5", "send"]);
    expect(document.body.querySelector("s-select")?.getAttribute("label")).toBe("How did you hear about us?");
    expect(document.body.querySelector("s-text-area")).not.toBeNull();
    expect(document.body.textContent).toContain("pointsOffer");
    const [url, init] = setup.fetch.mock.calls[0];
    expect(url).toContain("/api/survey?surface=thank-you&orderId=gid%3A%2F%2Fshopify%2FOrder%2F1001");
    expect((init?.headers as Record<string, string>).Authorization).toBe("Bearer session-token");
    setup.extension[Symbol.dispose]();
  });

  it("sends the score, comment, answer and products, then thanks the shopper", async () => {
    const { extension, fetch } = setUp(async (_url, init) => (init?.method === "POST" ? json({ answer: { score: 4 }, pointsAwarded: 20 }) : json(survey())));
    await extension.render();
    await waitFor(() => expect(document.body.querySelectorAll("s-button").length).toBe(6));
    fireEvent.click([...document.body.querySelectorAll("s-button")].find((b) => b.textContent === "4")!);
    const select = document.body.querySelector("s-select") as HTMLElement & { value: string };
    select.value = "A friend";
    fireEvent.change(select);
    const area = document.body.querySelector("s-text-area") as HTMLElement & { value: string };
    area.value = "Lovely fabric";
    fireEvent.input(area);
    await waitFor(() => expect([...document.body.querySelectorAll("s-button")].find((b) => b.textContent === "4")?.getAttribute("variant")).toBe("primary"));
    fireEvent.click([...document.body.querySelectorAll("s-button")].find((b) => b.textContent === "send")!);
    await waitFor(() => expect(document.body.querySelector("s-banner")?.getAttribute("heading")).toBe("thanksPoints"));
    const post = fetch.mock.calls.find(([, init]) => init?.method === "POST")!;
    expect(JSON.parse(String(post[1]!.body))).toEqual({
      orderId: ORDER,
      orderName: null,
      score: 4,
      comment: "Lovely fabric",
      source: "A friend",
      products: [{ productId: "gid://shopify/Product/7", title: "Linen shirt" }],
    });
    extension[Symbol.dispose]();
  });

  it("shows the thanks state for an order already answered", async () => {
    const { extension } = setUp(async () => json(survey({ answer: { score: 5, comment: null, source: null } })));
    await extension.render();
    await waitFor(() => expect(document.body.querySelector("s-banner")?.getAttribute("heading")).toBe("thanks"));
    extension[Symbol.dispose]();
  });

  it("hides itself when the backend is down or the survey is off", async () => {
    const down = setUp(async () => {
      throw new TypeError("Failed to fetch");
    });
    await down.extension.render();
    await waitFor(() => expect(down.fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    expect(document.body.querySelector("s-button")).toBeNull();
    down.extension[Symbol.dispose]();

    const off = setUp(async () => json(survey({ enabled: false })));
    await off.extension.render();
    await waitFor(() => expect(off.fetch).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 0));
    expect(document.body.querySelector("s-heading")).toBeNull();
    off.extension[Symbol.dispose]();
  });

  it("keeps the answer and says so when sending fails", async () => {
    const { extension } = setUp(async (_url, init) => (init?.method === "POST" ? json({ error: "nope" }, 500) : json(survey())));
    await extension.render();
    await waitFor(() => expect(document.body.querySelectorAll("s-button").length).toBe(6));
    fireEvent.click([...document.body.querySelectorAll("s-button")].find((b) => b.textContent === "2")!);
    await waitFor(() => expect([...document.body.querySelectorAll("s-button")].find((b) => b.textContent === "send")?.hasAttribute("disabled")).toBe(false));
    fireEvent.click([...document.body.querySelectorAll("s-button")].find((b) => b.textContent === "send")!);
    await waitFor(() => expect(document.body.querySelector("s-banner")?.getAttribute("heading")).toBe("error"));
    expect([...document.body.querySelectorAll("s-button")].find((b) => b.textContent === "2")?.getAttribute("variant")).toBe("primary");
    extension[Symbol.dispose]();
  });
});
