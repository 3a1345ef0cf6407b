import { describe, expect, it } from "vitest";
import { addMonths, parseBirthday, validateProgram, type ProgramValue } from "./program";
import { tierFor, validateTier } from "./tiers";
import { csvCell } from "./export.server";

const current: ProgramValue = {
  pendingDays: 0,
  minOrderValue: "0.00",
  excludedCustomerTags: "",
  firstOrderBonus: 0,
  signupBonus: 0,
  birthdayBonus: 0,
  expiryPolicy: "none",
  expiryMonths: 12,
  tierBasis: "spend",
  tierWindowMonths: 12,
};

describe("validateProgram", () => {
  it("normalizes valid input and keeps fields the form did not send", () => {
    const result = validateProgram({ pendingDays: " 14 ", minOrderValue: "19.9", excludedCustomerTags: "staff,, wholesale ", tierBasis: "points" }, current);
    expect(result).toEqual({ ok: true, value: { ...current, pendingDays: 14, minOrderValue: "19.90", excludedCustomerTags: "staff, wholesale", tierBasis: "points" } });
  });
  it.each([
    ["pendingDays", "-1"],
    ["pendingDays", "366"],
    ["minOrderValue", "abc"],
    ["expiryMonths", "121"],
    ["tierWindowMonths", "0"],
    ["birthdayBonus", "100001"],
  ])("rejects %s = %s", (field, value) => {
    const result = validateProgram({ [field]: value }, current);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual([field]);
  });
});

describe("addMonths", () => {
  it.each([
    ["2026-01-31T10:00:00Z", 1, "2026-02-28T10:00:00.000Z"],
    ["2024-01-31T00:00:00Z", 1, "2024-02-29T00:00:00.000Z"],
    ["2026-11-15T00:00:00Z", 3, "2027-02-15T00:00:00.000Z"],
    ["2026-03-31T00:00:00Z", -1, "2026-02-28T00:00:00.000Z"],
  ])("%s + %i months = %s", (from, months, to) => {
    expect(addMonths(new Date(from), months).toISOString()).toBe(to);
  });
});

describe("parseBirthday", () => {
  it.each([
    ["07-14", "07-14"],
    ["1990-07-14", "07-14"],
    ["02-29", "02-29"],
    ["", null],
  ])("%s → %s", (input, value) => expect(parseBirthday(input)).toEqual({ ok: true, value }));
  it.each(["13-01", "02-30", "7/14", "00-10"])("rejects %s", (input) => expect(parseBirthday(input).ok).toBe(false));
});

describe("tiers", () => {
  it("picks the highest tier reached", () => {
    const tiers = [{ threshold: "0", n: "Member" }, { threshold: "500", n: "Gold" }, { threshold: "100", n: "Silver" }];
    expect(tierFor(tiers, 99_999n)?.n).toBe("Member");
    expect(tierFor(tiers, 100_000n)?.n).toBe("Silver");
    expect(tierFor(tiers, 10_000_000n)?.n).toBe("Gold");
    expect(tierFor(tiers.slice(1), 0n)).toBeNull();
  });
  it("validates a tier against the others", () => {
    expect(validateTier({ name: "Gold", threshold: "500.50", multiplier: "1.50", perks: "" })).toEqual({
      ok: true,
      value: { name: "Gold", threshold: "500.5", multiplier: "1.5", perks: "" },
    });
    const clash = validateTier({ name: "gold", threshold: "500", multiplier: "2" }, [{ name: "Gold", threshold: "500.000" }]);
    expect(clash).toMatchObject({ ok: false, errors: { name: expect.any(String), threshold: expect.any(String) } });
    expect(validateTier({ name: "X", threshold: "1", multiplier: "11" })).toMatchObject({ ok: false, errors: { multiplier: expect.any(String) } });
  });
});

describe("csvCell", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["=SUM(A1)", "'=SUM(A1)"],
    ["-42", "-42"],
    ["@x", "'@x"],
    [null, ""],
    [12, "12"],
  ])("%s → %s", (input, out) => expect(csvCell(input as string)).toBe(out));
});
