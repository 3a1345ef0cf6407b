import { describe, expect, it } from "vitest";
import { toMilli } from "../money";
import { reversalTarget } from "./earning";
import { cartLinesFromOrder, evaluate, validateRule, ruleFormValues, type Cart, type CartLine, type Program, type Rule } from "./rules";

const at = new Date("2026-06-13T12:00:00Z"); // a Saturday
const line = (over: Omit<Partial<CartLine>, "net"> & { net: string }): CartLine => ({
  id: over.id ?? `l${Math.random()}`,
  quantity: 1,
  tags: [],
  collections: [],
  ...over,
  net: toMilli(over.net),
});
const rule = (over: Partial<Rule>): Rule => ({
  id: over.id ?? `r${Math.random()}`,
  name: over.name ?? "Rule",
  kind: "multiplier",
  target: "tag",
  value: "",
  multiplier: null,
  bonusPoints: null,
  startsAt: null,
  endsAt: null,
  active: true,
  ...over,
});
const program = (over: Partial<Program> = {}): Program => ({
  earnRate: "1",
  earnRounding: "floor",
  minOrderValue: "0",
  excludedCustomerTags: [],
  firstOrderBonus: 0,
  rules: [],
  ...over,
});
const cart = (lines: CartLine[], over: Partial<Cart> = {}): Cart => ({ lines, customerTags: [], at, firstOrder: false, ...over });

const weekend = { startsAt: new Date("2026-06-13T00:00:00Z"), endsAt: new Date("2026-06-15T00:00:00Z") };

describe("evaluate", () => {
  it.each<{ name: string; cart: Cart; program: Program; points: number }>([
    { name: "base rate only", cart: cart([line({ net: "91.99" })]), program: program(), points: 91 },
    { name: "rounding up", cart: cart([line({ net: "10.01" })]), program: program({ earnRounding: "ceil" }), points: 11 },
    { name: "rounding to nearest, half up", cart: cart([line({ net: "10.50" })]), program: program({ earnRounding: "round" }), points: 11 },
    {
      name: "rounded once per order, not per line",
      cart: cart([line({ net: "0.60" }), line({ net: "0.60" })]),
      program: program(),
      points: 1,
    },
    {
      name: "exact decimals: 0.1 × 30.00 is 3, not 3.0000001",
      cart: cart([line({ net: "30.00" })]),
      program: program({ earnRate: "0.1", earnRounding: "ceil" }),
      points: 3,
    },
    {
      name: "tag multiplier applies to the tagged line only",
      cart: cart([line({ net: "10.00", tags: ["Summer"] }), line({ net: "10.00" })]),
      program: program({ rules: [rule({ target: "tag", value: "summer", multiplier: "3" })] }),
      points: 40,
    },
    {
      name: "collection multiplier matches by handle or id",
      cart: cart([
        line({ net: "10.00", collections: [{ id: "gid://shopify/Collection/1", handle: "sale" }] }),
        line({ net: "10.00", collections: [{ id: "gid://shopify/Collection/2", handle: "new" }] }),
      ]),
      program: program({
        rules: [
          rule({ target: "collection", value: "SALE", multiplier: "2" }),
          rule({ target: "collection", value: "gid://shopify/Collection/2", multiplier: "1.5" }),
        ],
      }),
      points: 35,
    },
    {
      name: "vendor and product multipliers: the highest matching one applies, they don't stack",
      cart: cart([line({ net: "10.00", vendor: "Acme", productId: "gid://shopify/Product/9" })]),
      program: program({
        rules: [
          rule({ target: "vendor", value: "acme", multiplier: "2" }),
          rule({ target: "product", value: "gid://shopify/Product/9", multiplier: "5" }),
        ],
      }),
      points: 50,
    },
    {
      name: "a campaign multiplies the whole order during its dates",
      cart: cart([line({ net: "10.00" }), line({ net: "5.00" })]),
      program: program({ rules: [rule({ kind: "campaign", target: "all", multiplier: "2", ...weekend })] }),
      points: 30,
    },
    {
      name: "a campaign outside its dates does nothing (end date exclusive)",
      cart: cart([line({ net: "10.00" })], { at: new Date("2026-06-15T00:00:00Z") }),
      program: program({ rules: [rule({ kind: "campaign", target: "all", multiplier: "2", ...weekend })] }),
      points: 10,
    },
    {
      name: "overlapping campaigns: the highest applies",
      cart: cart([line({ net: "10.00" })]),
      program: program({
        rules: [
          rule({ kind: "campaign", target: "all", multiplier: "2", ...weekend }),
          rule({ kind: "campaign", target: "all", multiplier: "3", ...weekend }),
          rule({ kind: "campaign", target: "all", multiplier: "1.5", ...weekend }),
        ],
      }),
      points: 30,
    },
    {
      name: "product multiplier × campaign × tier multiply",
      cart: cart([line({ net: "10.00", tags: ["vip"] })], { tier: { name: "Gold", multiplier: "1.5" } }),
      program: program({
        rules: [rule({ target: "tag", value: "vip", multiplier: "2" }), rule({ kind: "campaign", target: "all", multiplier: "2", ...weekend })],
      }),
      points: 60,
    },
    {
      name: "an inactive rule does nothing",
      cart: cart([line({ net: "10.00", tags: ["summer"] })]),
      program: program({ rules: [rule({ target: "tag", value: "summer", multiplier: "3", active: false })] }),
      points: 10,
    },
    {
      name: "fixed bonus per unit, not multiplied, stacking with other bonuses",
      cart: cart([line({ net: "10.00", quantity: 2, tags: ["new"], vendor: "Acme" })], { tier: { name: "Gold", multiplier: "2" } }),
      program: program({
        rules: [
          rule({ kind: "bonus", target: "tag", value: "new", bonusPoints: 25 }),
          rule({ kind: "bonus", target: "vendor", value: "acme", bonusPoints: 5 }),
        ],
      }),
      points: 20 + 50 + 10,
    },
    {
      name: "first-order bonus is added after rounding",
      cart: cart([line({ net: "10.50" })], { firstOrder: true }),
      program: program({ firstOrderBonus: 100 }),
      points: 110,
    },
    {
      name: "below the minimum order value nothing is earned, not even bonuses",
      cart: cart([line({ net: "19.99" })], { firstOrder: true }),
      program: program({ minOrderValue: "20", firstOrderBonus: 100 }),
      points: 0,
    },
    {
      name: "at the minimum order value points are earned",
      cart: cart([line({ net: "20.00" })]),
      program: program({ minOrderValue: "20" }),
      points: 20,
    },
    {
      name: "excluded customer tag earns nothing",
      cart: cart([line({ net: "100.00" })], { customerTags: ["Staff"], firstOrder: true }),
      program: program({ excludedCustomerTags: ["staff"], firstOrderBonus: 50 }),
      points: 0,
    },
  ])("$name", ({ cart: c, program: p, points }) => {
    const result = evaluate(c, p);
    expect(result.points).toBe(points);
    expect(result.steps.at(-1)?.points ?? "0").toBe(String(points));
  });

  it("explains rule by rule which rule applied and why", () => {
    const summer = rule({ id: "summer", name: "Summer x3", target: "tag", value: "summer", multiplier: "3" });
    const promo = rule({ id: "wknd", name: "Double weekend", kind: "campaign", target: "all", multiplier: "2", ...weekend });
    const result = evaluate(cart([line({ net: "10.00", title: "Hat", tags: ["summer"] })]), program({ rules: [summer, promo] }));
    expect(result.points).toBe(60);
    expect(result.steps.map((s) => s.kind)).toEqual(["base", "line", "campaign", "rounding", "total"]);
    expect(result.steps[1]).toMatchObject({ ruleId: "summer", points: "30" });
    expect(result.steps[1].label).toContain("Summer x3");
    expect(result.steps[2]).toMatchObject({ ruleId: "wknd" });
  });

  it("weights snapshot lines by what they earned, so refunds reverse the tagged line's points", () => {
    const result = evaluate(
      cart([line({ id: "a", net: "10.00", tags: ["summer"] }), line({ id: "b", net: "10.00" })]),
      program({ rules: [rule({ target: "tag", value: "summer", multiplier: "3" })] }),
    );
    expect(result.points).toBe(40);
    // Refunding the tagged line takes back its 30 points, not half of 40.
    expect(reversalTarget(result.points, result.lines, new Map([["a", 1]]))).toBe(30);
    expect(reversalTarget(result.points, result.lines, new Map([["b", 1]]))).toBe(10);
    expect(reversalTarget(result.points, result.lines, new Map([["a", 1], ["b", 1]]))).toBe(40);
  });
});

describe("cartLinesFromOrder", () => {
  it("uses shop money, not presentment money, and skips gift cards (multi-currency)", () => {
    const order = {
      taxes_included: false,
      line_items: [
        { id: "1", quantity: 2, price: "26.00", price_set: { shop_money: { amount: "40.00" } }, product_id: "7", vendor: "Acme" },
        { id: "2", quantity: 1, price: "50.00", gift_card: true },
      ],
    };
    const lines = cartLinesFromOrder(order as never, new Map([["gid://shopify/Product/7", { tags: ["summer"], collections: [] }]]));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ net: 80_000n, productId: "gid://shopify/Product/7", tags: ["summer"], vendor: "Acme" });
    const result = evaluate(cart(lines), program({ rules: [rule({ target: "tag", value: "summer", multiplier: "2" })] }));
    expect(result.points).toBe(160);
  });
});

describe("validateRule", () => {
  it.each<[Record<string, string>, string]>([
    [{ name: "", kind: "multiplier", target: "tag", value: "x", multiplier: "2" }, "name"],
    [{ name: "A", kind: "multiplier", target: "tag", value: "", multiplier: "2" }, "value"],
    [{ name: "A", kind: "multiplier", target: "tag", value: "x", multiplier: "0" }, "multiplier"],
    [{ name: "A", kind: "multiplier", target: "tag", value: "x", multiplier: "1.23456" }, "multiplier"],
    [{ name: "A", kind: "multiplier", target: "tag", value: "x", multiplier: "101" }, "multiplier"],
    [{ name: "A", kind: "bonus", target: "vendor", value: "x", bonusPoints: "1.5" }, "bonusPoints"],
    [{ name: "A", kind: "campaign", target: "all", multiplier: "2", startsOn: "2026-06-13" }, "endsOn"],
    [{ name: "A", kind: "campaign", target: "all", multiplier: "2", startsOn: "2026-06-13", endsOn: "2026-06-12" }, "endsOn"],
    [{ name: "A", kind: "campaign", target: "all", multiplier: "2", startsOn: "2026-02-30", endsOn: "2026-03-01" }, "startsOn"],
    [{ name: "A", kind: "campaign", target: "tag", value: "x", multiplier: "2", startsOn: "2026-06-13", endsOn: "2026-06-14" }, "target"],
    [{ name: "A", kind: "multiplier", target: "product", value: "shirt", multiplier: "2" }, "value"],
  ])("rejects %j on %s", (input, field) => {
    const result = validateRule(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field as keyof typeof result.errors]).toBeTruthy();
  });

  it("normalizes a valid campaign, with an inclusive end date, and round-trips through the form", () => {
    const result = validateRule({ name: " Double weekend ", kind: "campaign", target: "all", multiplier: "2.50", startsOn: "2026-06-13", endsOn: "2026-06-14" });
    expect(result).toMatchObject({
      ok: true,
      value: { name: "Double weekend", multiplier: "2.5", startsAt: new Date("2026-06-13T00:00:00Z"), endsAt: new Date("2026-06-15T00:00:00Z"), active: true },
    });
    if (result.ok) expect(ruleFormValues(result.value)).toMatchObject({ startsOn: "2026-06-13", endsOn: "2026-06-14", multiplier: "2.5" });
  });

  it("stores product ids as gids", () => {
    const result = validateRule({ name: "Hat", kind: "bonus", target: "product", value: "123", bonusPoints: "10" });
    expect(result).toMatchObject({ ok: true, value: { value: "gid://shopify/Product/123", bonusPoints: 10, multiplier: null } });
  });
});
