import { describe, expect, it } from "vitest";
import { divide, formatMilli, parseRate, toMilli } from "./money";

describe("toMilli / formatMilli", () => {
  it.each([
    ["45.62", 45620n, "45.62"],
    ["0", 0n, "0.00"],
    ["1000", 1_000_000n, "1000.00"], // JPY-style whole amounts
    ["12.345", 12_345n, "12.345"], // three-decimal currencies (KWD, BHD)
    ["-3.50", -3_500n, "-3.50"],
  ])("%s", (text, milli, formatted) => {
    expect(toMilli(text)).toBe(milli);
    expect(formatMilli(milli)).toBe(formatted);
  });

  it("accepts numbers as Shopify's older fields send them", () => {
    expect(toMilli(89.99)).toBe(89_990n);
  });

  it("rejects what is not an amount", () => {
    expect(() => toMilli("12,50")).toThrow(/Not a decimal/);
  });
});

describe("parseRate and divide", () => {
  it("keeps rates exact", () => {
    expect(parseRate("2.5")).toEqual({ num: 25n, den: 10n });
    expect(parseRate("0.1")).toEqual({ num: 1n, den: 10n });
    expect(() => parseRate("-1")).toThrow();
  });

  it.each([
    [7n, 2n, "floor", 3n],
    [7n, 2n, "round", 4n],
    [7n, 2n, "ceil", 4n],
    [6n, 2n, "ceil", 3n],
    [5n, 4n, "round", 1n],
    [6n, 4n, "round", 2n],
  ] as const)("%s/%s %s = %s", (num, den, rounding, expected) => {
    expect(divide(num, den, rounding)).toBe(expected);
  });
});
