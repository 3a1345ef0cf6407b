import { describe, expect, it } from "vitest";
import { MAX_EARN_RATE, previewPoints, validateEarnRate, validateSettings } from "./settings";

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

describe("validateEarnRate", () => {
  it.each([
    ["1", "1"],
    ["2.5", "2.5"],
    [" 2.5 ", "2.5"],
    ["0", "0"],
    ["0.0001", "0.0001"],
    ["01.50", "1.5"],
    ["1.50000", "1.5"],
    [".5", "0.5"],
    ["3.", "3"],
    ["+2", "2"],
    ["1000", "1000"],
    ["1000.0000", "1000"],
    ["999.9999", "999.9999"],
  ])("accepts %j as %j", (input, expected) => {
    expect(validateEarnRate(input)).toEqual({ ok: true, value: expected });
  });

  it("accepts a number", () => {
    expect(validateEarnRate(2.5)).toEqual({ ok: true, value: "2.5" });
  });

  it.each([
    ["", /enter an earning rate/i],
    ["   ", /enter an earning rate/i],
    ["-1", /negative/i],
    ["-0.5", /negative/i],
    ["1,5", /period/i],
    ["abc", /enter a number/i],
    ["1e3", /enter a number/i],
    [".", /enter a number/i],
    ["1.2.3", /enter a number/i],
    ["0x10", /enter a number/i],
    ["1.23456", /4 decimal places/i],
    ["1000.0001", /at most 1,000/i],
    ["1001", /at most 1,000/i],
    ["99999999999999999999", /at most 1,000/i],
  ])("rejects %j", (input, message) => {
    const result = validateEarnRate(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it("rejects values that are not text or numbers", () => {
    expect(validateEarnRate(null).ok).toBe(false);
    expect(validateEarnRate(undefined).ok).toBe(false);
    expect(validateEarnRate(Number.NaN).ok).toBe(false);
    expect(validateEarnRate({}).ok).toBe(false);
  });

  it("uses the documented limit", () => {
    expect(MAX_EARN_RATE).toBe(1000);
  });
});

describe("validateSettings", () => {
  it("accepts a complete form and normalizes it", () => {
    const result = validateSettings(form({ earnRate: "2.50", earnRounding: "round", allowNegativeBalance: "true" }));
    expect(result).toEqual({ ok: true, value: { earnRate: "2.5", earnRounding: "round", allowNegativeBalance: true } });
  });

  it("treats an unchecked (absent) checkbox as off", () => {
    const result = validateSettings(form({ earnRate: "1", earnRounding: "floor" }));
    expect(result).toEqual({ ok: true, value: { earnRate: "1", earnRounding: "floor", allowNegativeBalance: false } });
  });

  it.each([
    ["on", true],
    ["true", true],
    ["false", false],
    ["off", false],
    ["", false],
  ])("reads the checkbox value %j as %s", (value, expected) => {
    const result = validateSettings(form({ earnRate: "1", earnRounding: "ceil", allowNegativeBalance: value }));
    expect(result.ok && result.value.allowNegativeBalance).toBe(expected);
  });

  it("accepts a plain object and URLSearchParams", () => {
    expect(validateSettings({ earnRate: "3", earnRounding: "ceil", allowNegativeBalance: true })).toEqual({
      ok: true,
      value: { earnRate: "3", earnRounding: "ceil", allowNegativeBalance: true },
    });
    expect(validateSettings(new URLSearchParams("earnRate=0.25&earnRounding=floor"))).toEqual({
      ok: true,
      value: { earnRate: "0.25", earnRounding: "floor", allowNegativeBalance: false },
    });
  });

  it("reports every invalid field at once", () => {
    const result = validateSettings(form({ earnRate: "-2", earnRounding: "up", allowNegativeBalance: "maybe" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["allowNegativeBalance", "earnRate", "earnRounding"]);
    expect(result.errors.earnRate).toMatch(/negative/i);
    expect(result.errors.earnRounding).toMatch(/rounded/i);
  });

  it("reports a missing rate and rounding", () => {
    const result = validateSettings(form({}));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.earnRate).toBeTruthy();
    expect(result.errors.earnRounding).toBeTruthy();
    expect(result.errors.allowNegativeBalance).toBeUndefined();
  });

  it("does not accept a rounding that only looks right", () => {
    const result = validateSettings({ earnRate: "1", earnRounding: "Floor" });
    expect(result.ok).toBe(false);
  });
});

describe("previewPoints", () => {
  it("computes the example order's points under each rounding", () => {
    expect(previewPoints("1", "floor")).toBe(49);
    expect(previewPoints("1", "round")).toBe(50);
    expect(previewPoints("1", "ceil")).toBe(50);
    expect(previewPoints("2.5", "floor")).toBe(124); // 124.975
    expect(previewPoints("2.5", "round")).toBe(125);
    expect(previewPoints("0", "ceil")).toBe(0);
    expect(previewPoints("10", "floor", "100")).toBe(1000);
  });

  it("is null while the rate is not valid", () => {
    expect(previewPoints("", "floor")).toBeNull();
    expect(previewPoints("-1", "floor")).toBeNull();
    expect(previewPoints("1.23456", "floor")).toBeNull();
  });
});
