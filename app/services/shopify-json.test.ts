import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { legacyId, parseShopifyJson } from "./shopify-json";

describe("parseShopifyJson", () => {
  it("keeps ids above 2^53 exact, as decimal strings", () => {
    const parsed = parseShopifyJson('{"id": 820982911946154508, "order_id": 9007199254740993, "total": 12.5}') as Record<string, unknown>;
    expect(parsed.id).toBe("820982911946154508");
    expect(parsed.order_id).toBe("9007199254740993");
    expect(parsed.total).toBe(12.5);
  });

  it("keeps every id exact when a safe one comes before one beyond 2^53", () => {
    const parsed = parseShopifyJson('{"id": 7, "line_items": [{"id": 487817672276298554, "order_id": 7.5}], "user_id": -3}') as any;
    expect(parsed).toEqual({ id: "7", line_items: [{ id: "487817672276298554", order_id: "7.5" }], user_id: "-3" });
  });

  it("reaches nested ids and leaves string ids alone", () => {
    const parsed = parseShopifyJson('{"line_items": [{"id": 487817672276298554, "product_id": "7"}]}') as any;
    expect(parsed.line_items[0]).toEqual({ id: "487817672276298554", product_id: "7" });
  });

  it("leaves id-like text inside strings, id arrays and other numbers alone", () => {
    const body = String.raw`{"note": "{\"id\": 1, \"x_id\": 2}", "tags": ", \"id\": 3", "variant_ids": [9007199254740993], "idx": 4, "a": {"zip_id":-5 ,"id":6}, "b": [{"id": 7}], "id": 8}`;
    const parsed = parseShopifyJson(body) as any;
    expect(parsed.note).toBe('{"id": 1, "x_id": 2}');
    expect(parsed.tags).toBe(', "id": 3');
    expect(parsed.variant_ids).toEqual([9007199254740992]);
    expect(parsed.idx).toBe(4);
    expect(parsed.a).toEqual({ zip_id: "-5", id: "6" });
    expect(parsed.b).toEqual([{ id: "7" }]);
    expect(parsed.id).toBe("8");
  });

  it("parses every real webhook body as the reviver-based reading does", () => {
    const reviver = (text: string) =>
      JSON.parse(text, function (key: string, value: unknown, context?: { source?: string }) {
        return typeof value === "number" && (key === "id" || key.endsWith("_id")) ? (context?.source ?? String(value)) : value;
      } as (key: string, value: unknown) => unknown);
    const dir = path.join(__dirname, "../../test/fixtures/shopify-webhooks");
    const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      expect(parseShopifyJson(text), file).toEqual(reviver(text));
    }
  });

  it("throws SyntaxError on malformed JSON", () => {
    expect(() => parseShopifyJson("{")).toThrow(SyntaxError);
  });

  it("legacyId strips the gid prefix", () => {
    expect(legacyId("gid://shopify/Customer/42")).toBe("42");
    expect(legacyId("42")).toBe("42");
  });
});
