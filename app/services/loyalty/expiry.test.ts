import { describe, expect, it } from "vitest";
import { lastActivity, openBatches } from "./expiry";

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
let seq = 0;
const e = (points: number, at: number, type = points > 0 ? "earn" : "redeem") => ({ id: `e${++seq}`, points, createdAt: day(at), type });

describe("openBatches (FIFO)", () => {
  it.each<{ name: string; entries: ReturnType<typeof e>[]; open: [number, number][] }>([
    { name: "credits stay open in order", entries: [e(100, 0), e(50, 10)], open: [[100, 0], [50, 10]] },
    { name: "a debit consumes the oldest batch first", entries: [e(100, 0), e(50, 10), e(-30, 20)], open: [[70, 0], [50, 10]] },
    { name: "a debit spanning batches empties the first", entries: [e(100, 0), e(50, 10), e(-120, 20)], open: [[30, 10]] },
    { name: "a debit before any credit is paid by the next credit", entries: [e(-20, 0, "adjust"), e(50, 5)], open: [[30, 5]] },
    { name: "pending-only entries (0 points) change nothing", entries: [e(0, 0), e(60, 14, "release")], open: [[60, 14]] },
    { name: "an expiry consumes what it expired", entries: [e(100, 0), e(40, 200), e(-100, 365, "expire")], open: [[40, 200]] },
  ])("$name", ({ entries, open }) => {
    expect(openBatches(entries).map((b) => [b.remaining, b.at.getTime()])).toEqual(open.map(([r, d]) => [r, day(d).getTime()]));
  });
});

describe("lastActivity", () => {
  it("is the latest order, redemption or adjustment, not bonuses, releases or expiries", () => {
    const entries = [e(10, 0, "bonus"), e(50, 3, "earn"), e(-5, 7, "redeem"), e(50, 20, "release"), e(20, 30, "bonus")];
    expect(lastActivity(entries)?.createdAt).toEqual(day(7));
  });
  it("falls back to the first entry for a customer who never ordered", () => {
    expect(lastActivity([e(10, 4, "bonus"), e(10, 9, "bonus")])?.createdAt).toEqual(day(4));
    expect(lastActivity([])).toBeNull();
  });
});
