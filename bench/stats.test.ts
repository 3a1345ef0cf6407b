import { describe, expect, it } from "vitest";
import { percentile, runLoad } from "./stats.ts";

describe("percentile", () => {
  it("takes the nearest-rank value", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe("runLoad", () => {
  it("sends every request once, with at most `concurrency` in flight, and counts failures", async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const result = await runLoad(50, 4, async (i) => {
      seen.push(i);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return i % 10 !== 0;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(maxInFlight).toBe(4);
    expect(result).toMatchObject({ requests: 50, concurrency: 4, errors: 5 });
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
  });
});
