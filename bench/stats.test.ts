import { describe, expect, it } from "vitest";
import { cpuPerRequest, parseProcStat, percentile, runLoad } from "./stats.ts";

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

describe("parseProcStat", () => {
  it("reads the command and user + system ticks, its own and its ended children's, whatever the command holds", () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    const line = "4242 (postgres: bench (x) idle) S 1 4242 4242 0 -1 4194560 120 0 3 0 1234 567 80 9 20 0 1 0 99 0 0";
    expect(parseProcStat(line)).toEqual({ command: "postgres: bench (x) idle", ticks: 1890 });
  });
});

describe("cpuPerRequest", () => {
  it("divides each kind's CPU between the censuses by the requests, and is null without them", () => {
    const before = { sender: 100, app: 1000, database: 500, all: 2000 };
    const after = { sender: 300, app: 4000, database: 2000, all: 8000 };
    expect(cpuPerRequest(before, after, 1000)).toEqual({ sender: 0.2, app: 3, database: 1.5, all: 6 });
    expect(cpuPerRequest(null, after, 1000)).toBeNull();
  });
});
