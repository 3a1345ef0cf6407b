import { describe, expect, it } from "vitest";
import type { OrderPayload } from "../webhooks/payloads";
import { computeEarning, reversalTarget, type AwardLine } from "./earning";

type Line = OrderPayload["line_items"][number];
const line = (over: Partial<Line> & { price: string }): Line => ({ id: String(Math.random()), quantity: 1, ...over }) as Line;
const shop = (amount: string) => ({ shop_money: { amount } });

describe("computeEarning", () => {
  it.each([
    {
      name: "price × quantity at rate 1, floored",
      lines: [line({ price: "19.99", quantity: 2 })],
      settings: { earnRate: "1", earnRounding: "floor" as const },
      total: "39.98",
      points: 39,
    },
    {
      name: "line and order discounts allocated to lines are subtracted",
      lines: [line({ price: "50.00", discount_allocations: [{ amount: "5.00" }, { amount_set: shop("2.50") }] })],
      settings: { earnRate: "1", earnRounding: "floor" as const },
      total: "42.50",
      points: 42,
    },
    {
      name: "gift cards earn nothing",
      lines: [line({ price: "25.00", gift_card: true }), line({ price: "10.00" })],
      settings: { earnRate: "2", earnRounding: "floor" as const },
      total: "10.00",
      points: 20,
    },
    {
      name: "shop money wins over presentment money",
      lines: [line({ price: "34.67", price_set: { shop_money: { amount: "45.62" } } })],
      settings: { earnRate: "1", earnRounding: "round" as const },
      total: "45.62",
      points: 46,
    },
    {
      name: "fractional rate, rounded half up",
      lines: [line({ price: "9.00" })],
      settings: { earnRate: "1.5", earnRounding: "round" as const },
      total: "9.00",
      points: 14, // 13.5 → 14
    },
    {
      name: "a rate that floats cannot represent stays exact",
      lines: [line({ price: "30.00" })],
      settings: { earnRate: "0.1", earnRounding: "ceil" as const },
      total: "30.00",
      points: 3,
    },
    {
      name: "a discount larger than the line never makes it negative",
      lines: [line({ price: "5.00", discount_allocations: [{ amount: "8.00" }] }), line({ price: "3.00" })],
      settings: { earnRate: "1", earnRounding: "floor" as const },
      total: "3.00",
      points: 3,
    },
  ])("$name", ({ lines, settings, total, points }) => {
    const earning = computeEarning({ line_items: lines, taxes_included: false }, settings);
    expect(earning.merchandiseTotal).toBe(total);
    expect(earning.points).toBe(points);
  });

  it("subtracts taxes only when prices include them", () => {
    const lines = [line({ price: "110.00", tax_lines: [{ price: "10.00" }] })];
    const settings = { earnRate: "1", earnRounding: "floor" as const };
    expect(computeEarning({ line_items: lines, taxes_included: true }, settings).points).toBe(100);
    expect(computeEarning({ line_items: lines, taxes_included: false }, settings).points).toBe(110);
  });
});

describe("reversalTarget", () => {
  const lines: AwardLine[] = [
    { id: "a", quantity: 3, net: "30000" }, // 30.00
    { id: "b", quantity: 1, net: "70000" }, // 70.00
  ];

  it.each<[[string, number][], number]>([
    [[["a", 1]], 10],
    [[["a", 3]], 30],
    [[["b", 1]], 70],
    [[["a", 5]], 30], // more than was bought counts as all of the line
    [[["a", 3], ["b", 1]], 100],
    [[["zzz", 1]], 0], // a line that earned nothing
  ])("refunded %j → %i of 100", (refunded, expected) => {
    expect(reversalTarget(100, lines, new Map(refunded))).toBe(expected);
  });

  it("rounds down until everything is refunded, then takes back exactly the award", () => {
    const thirds: AwardLine[] = [{ id: "x", quantity: 3, net: "9990" }];
    expect(reversalTarget(10, thirds, new Map([["x", 1]]))).toBe(3);
    expect(reversalTarget(10, thirds, new Map([["x", 2]]))).toBe(6);
    expect(reversalTarget(10, thirds, new Map([["x", 3]]))).toBe(10);
  });
});
