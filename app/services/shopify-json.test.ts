import { describe, expect, it } from "vitest";
import { legacyId, parseShopifyJson } from "./shopify-json";

describe("parseShopifyJson", () => {
  it("keeps ids above 2^53 exact, as decimal strings", () => {
    const parsed = parseShopifyJson('{"id": 820982911946154508, "order_id": 9007199254740993, "total": 12.5}') as Record<string, unknown>;
    expect(parsed.id).toBe("820982911946154508");
    expect(parsed.order_id).toBe("9007199254740993");
    expect(parsed.total).toBe(12.5);
  });

  it("reaches nested ids and leaves string ids alone", () => {
    const parsed = parseShopifyJson('{"line_items": [{"id": 487817672276298554, "product_id": "7"}]}') as any;
    expect(parsed.line_items[0]).toEqual({ id: "487817672276298554", product_id: "7" });
  });

  it("throws SyntaxError on malformed JSON", () => {
    expect(() => parseShopifyJson("{")).toThrow(SyntaxError);
  });

  it("legacyId strips the gid prefix", () => {
    expect(legacyId("gid://shopify/Customer/42")).toBe("42");
    expect(legacyId("42")).toBe("42");
  });
});
