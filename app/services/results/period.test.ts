import { describe, expect, it } from "vitest";
import { bucketSeries, change, daysBetween, parsePeriodKey, periodFor, rate } from "./period";

describe("periodFor", () => {
  it("ends with today and compares with the same number of days before", () => {
    const p = periodFor("7d", new Date("2026-11-23T15:30:00Z"));
    expect(p.from.toISOString()).toBe("2026-11-17T00:00:00.000Z");
    expect(p.to.toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(p.previousFrom.toISOString()).toBe("2026-11-10T00:00:00.000Z");
    expect(p.previousTo.toISOString()).toBe("2026-11-17T00:00:00.000Z");
    expect(p.days).toEqual(["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]);
  });

  it("crosses month and year boundaries", () => {
    const p = periodFor("30d", new Date("2027-01-05T00:00:00Z"));
    expect(p.days[0]).toBe("2026-12-07");
    expect(p.days).toHaveLength(30);
    expect(p.days.at(-1)).toBe("2027-01-05");
  });

  it("falls back to 30 days for an unknown key", () => {
    expect(parsePeriodKey("bogus")).toBe("30d");
    expect(parsePeriodKey(null)).toBe("30d");
    expect(parsePeriodKey("90d")).toBe("90d");
  });
});

describe("change", () => {
  it.each([
    [120, 100, 20, "up"],
    [50, 100, -50, "down"],
    [0, 0, 0, "flat"],
    [5, 0, null, "up"],
    [-30, -20, -50, "down"],
  ] as const)("%d vs %d → %s%%", (current, previous, percent, direction) => {
    expect(change(current, previous)).toEqual({ current, previous, percent, direction });
  });
});

describe("rate", () => {
  it("is a one-decimal percentage and 0 on an empty base", () => {
    expect(rate(1, 3)).toBe(33.3);
    expect(rate(2, 3)).toBe(66.7);
    expect(rate(0, 0)).toBe(0);
  });
});

describe("bucketSeries", () => {
  it("keeps days up to 90 days and sums weeks beyond", () => {
    const days = daysBetween(new Date("2026-01-01T00:00:00Z"), new Date("2026-01-04T00:00:00Z"));
    expect(bucketSeries(days, new Map([["2026-01-02", 5]]))).toEqual([
      { key: "2026-01-01", value: 0 },
      { key: "2026-01-02", value: 5 },
      { key: "2026-01-03", value: 0 },
    ]);
    const year = periodFor("365d", new Date("2026-12-31T12:00:00Z")).days;
    const values = new Map(year.map((d) => [d, 1]));
    const weeks = bucketSeries(year, values);
    expect(weeks).toHaveLength(53);
    expect(weeks[0]).toEqual({ key: year[0], value: 7 });
    expect(weeks.reduce((s, w) => s + w.value, 0)).toBe(365);
  });
});
