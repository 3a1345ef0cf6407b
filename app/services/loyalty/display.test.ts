import { describe, expect, it } from "vitest";
import {
  clampNote,
  clampOf,
  customerName,
  describeSource,
  entryTypeBadge,
  formatPointsChange,
  legacyId,
  oneOf,
  pageParam,
  rateSummary,
} from "./display";

describe("display helpers", () => {
  it("names customers, falling back to the email", () => {
    expect(customerName({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" })).toBe("Ada Lovelace");
    expect(customerName({ firstName: " ", lastName: null, email: "ada@example.com" })).toBe("ada@example.com");
    expect(customerName({})).toBe("Unnamed customer");
    expect(customerName({ firstName: "Ada", redactedAt: new Date() })).toBe("Redacted customer");
  });

  it("signs point changes", () => {
    expect(formatPointsChange(1250)).toBe("+1,250");
    expect(formatPointsChange(-20)).toBe("\u221220");
    expect(formatPointsChange(0)).toBe("0");
  });

  it("reads the clamp recorded on an entry", () => {
    expect(clampOf(JSON.stringify({ requested: -120, shortfall: 20 }))).toEqual({ requested: -120, shortfall: 20 });
    expect(clampOf(null)).toBeNull();
    expect(clampOf("not json")).toBeNull();
    expect(clampOf(JSON.stringify({ other: 1 }))).toBeNull();
    expect(clampNote({ requested: -120, shortfall: 20 })).toMatch(/120 points were due.*20 could not be deducted/);
  });

  it("describes sources", () => {
    expect(describeSource("order", "gid://shopify/Order/42")).toEqual({ label: "Order 42", url: "shopify://admin/orders/42" });
    expect(describeSource("refund", "gid://shopify/Refund/7").label).toBe("Refund 7");
    expect(describeSource("admin", "staff@example.com", "staff@example.com").label).toBe("Adjusted by staff@example.com");
    expect(legacyId("gid://shopify/Customer/9")).toBe("9");
    expect(legacyId(null)).toBeNull();
  });

  it("labels entry types, including unknown ones", () => {
    expect(entryTypeBadge("earn").label).toBe("Earned");
    expect(entryTypeBadge("mystery")).toEqual({ label: "mystery", tone: undefined });
  });

  it("summarizes the rate", () => {
    expect(rateSummary("1", "USD")).toBe("1 point per $1");
    expect(rateSummary("2.5", "EUR")).toBe("2.5 points per €1");
  });

  it("parses list parameters", () => {
    expect(pageParam("3")).toBe(3);
    expect(pageParam(null)).toBe(1);
    expect(pageParam("0")).toBe(1);
    expect(pageParam("-2")).toBe(1);
    expect(pageParam("1.5")).toBe(1);
    expect(pageParam("abc")).toBe(1);
    const sorts = ["a", "b"] as const;
    expect(oneOf("b", sorts, "a")).toBe("b");
    expect(oneOf("z", sorts, "a")).toBe("a");
    expect(oneOf(null, sorts, "a")).toBe("a");
  });
});

describe("entry type labels", () => {
  it("name every ledger entry type (the Activity filter is built from them)", async () => {
    const { ENTRY_TYPES } = await import("../../models/ledger.server");
    const { ENTRY_TYPE_LABELS } = await import("./display");
    expect(Object.keys(ENTRY_TYPE_LABELS).sort()).toEqual([...ENTRY_TYPES].sort());
  });
});
