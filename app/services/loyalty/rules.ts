// The earning rules engine. Pure (no database, no Shopify), so the admin
// preview, the order webhook and the tests run exactly the same code.
//
// How an order's points are computed, step by step (every step is recorded in
// the explanation the preview shows and the award snapshot keeps):
//   1. Excluded customers (by tag) earn nothing.
//   2. Orders whose merchandise is below the minimum order value earn nothing.
//   3. Each line earns net × base rate, × the HIGHEST multiplier among the
//      product rules (tag, collection, vendor, product) that match it —
//      product multipliers never stack with each other.
//   4. × the HIGHEST multiplier among campaigns running at the order's date —
//      overlapping campaigns never stack with each other either.
//   5. × the customer's VIP tier multiplier.
//   6. + every matching fixed bonus rule, per unit bought (bonuses are
//      separate offers, so they add up; multipliers do not apply to them).
//   7. The order's total is rounded once (the shop's rounding), then the
//      first-order bonus is added.
// The three multipliers of steps 3–5 are of different kinds and multiply.
//
// Arithmetic is exact: amounts are bigint milli (app/services/money.ts) and
// every rate or multiplier is a decimal with at most 4 places, so each line's
// points are an exact fraction over one common denominator.
import { z } from "zod";
import { divide, formatMilli, parseRate, toMilli, type Rounding } from "../money";
import type { OrderPayload } from "../webhooks/payloads";
import { lineNetMilli, type AwardLine } from "./earning";

export const RULE_KINDS = ["multiplier", "bonus", "campaign"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const RULE_TARGETS = ["tag", "collection", "vendor", "product", "all"] as const;
export type RuleTarget = (typeof RULE_TARGETS)[number];

export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  multiplier: "Points multiplier",
  bonus: "Fixed bonus per item",
  campaign: "Campaign (whole order, dated)",
};
export const RULE_TARGET_LABELS: Record<RuleTarget, string> = {
  tag: "Product tag",
  collection: "Collection",
  vendor: "Vendor",
  product: "Product",
  all: "Every product",
};

export const MAX_MULTIPLIER = 100;
export const MAX_BONUS_POINTS = 100_000;

export interface Rule {
  id: string;
  name: string;
  kind: RuleKind;
  target: RuleTarget;
  value: string;
  multiplier: string | null;
  bonusPoints: number | null;
  startsAt: Date | null;
  /** Exclusive. */
  endsAt: Date | null;
  active: boolean;
}

// ---------------------------------------------------------------------------
// Validation, shared by the admin form and the engine's callers.

const DECIMAL4 = /^\d+(?:\.\d{1,4})?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const multiplierField = z
  .string()
  .trim()
  .min(1, "Enter a multiplier, such as 2 or 1.5.")
  .regex(DECIMAL4, "Enter a number with at most 4 decimal places, such as 2 or 1.5.")
  .refine((v) => toMilli(v) > 0n, "The multiplier must be more than 0.")
  .refine((v) => toMilli(v) <= BigInt(MAX_MULTIPLIER) * 1000n, `The multiplier can be at most ${MAX_MULTIPLIER}.`)
  .transform(normalizeDecimal);

const dayField = z
  .string()
  .trim()
  .regex(DAY, "Enter a date as YYYY-MM-DD.")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), "Enter a real date.");

/** The rule form as submitted (all strings), validated into a rule. */
export const ruleInput = z
  .object({
    name: z.string().trim().min(1, "Give the rule a name.").max(80, "Keep the name under 80 characters."),
    kind: z.enum(RULE_KINDS, { errorMap: () => ({ message: "Choose the kind of rule." }) }),
    target: z.enum(RULE_TARGETS, { errorMap: () => ({ message: "Choose what the rule applies to." }) }),
    value: z.string().trim().max(255, "Keep this under 255 characters.").default(""),
    multiplier: z.string().optional(),
    bonusPoints: z.string().optional(),
    startsOn: z.string().optional(),
    endsOn: z.string().optional(),
    active: z.string().optional(),
  })
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (input.kind === "campaign" && input.target !== "all") issue("target", "A campaign applies to the whole order.");
    if (input.kind !== "campaign" && input.target === "all" && input.kind === "multiplier") {
      issue("target", "To multiply every product, use the base rate in Settings or a campaign.");
    }
    if (input.target !== "all" && !input.value) {
      issue("value", `Enter the ${RULE_TARGET_LABELS[input.target].toLowerCase()} this rule matches.`);
    }
    if (input.target === "product" && input.value && !/^(gid:\/\/shopify\/Product\/)?\d+$/.test(input.value)) {
      issue("value", "Enter a product ID (a number, or gid://shopify/Product/…).");
    }
    if (input.kind === "bonus") {
      const text = (input.bonusPoints ?? "").trim();
      if (!/^\d+$/.test(text) || Number(text) < 1) issue("bonusPoints", "Enter a whole number of points, 1 or more.");
      else if (Number(text) > MAX_BONUS_POINTS) issue("bonusPoints", `A bonus can be at most ${MAX_BONUS_POINTS.toLocaleString("en-US")} points.`);
    } else {
      const parsed = multiplierField.safeParse(input.multiplier ?? "");
      if (!parsed.success) issue("multiplier", parsed.error.issues[0].message);
    }
    const starts = input.startsOn?.trim() ? dayField.safeParse(input.startsOn) : null;
    const ends = input.endsOn?.trim() ? dayField.safeParse(input.endsOn) : null;
    if (starts && !starts.success) issue("startsOn", starts.error.issues[0].message);
    if (ends && !ends.success) issue("endsOn", ends.error.issues[0].message);
    if (input.kind === "campaign") {
      if (!starts) issue("startsOn", "A campaign needs a start date.");
      if (!ends) issue("endsOn", "A campaign needs an end date.");
    }
    if (starts?.success && ends?.success && ends.data < starts.data) issue("endsOn", "The end date can't be before the start date.");
  })
  .transform((input): Omit<Rule, "id"> => ({
    name: input.name,
    kind: input.kind,
    target: input.target,
    value: input.target === "all" ? "" : input.target === "product" ? productGid(input.value) : input.value,
    multiplier: input.kind === "bonus" ? null : normalizeDecimal((input.multiplier ?? "").trim()),
    bonusPoints: input.kind === "bonus" ? Number((input.bonusPoints ?? "").trim()) : null,
    startsAt: input.startsOn?.trim() ? new Date(`${input.startsOn.trim()}T00:00:00Z`) : null,
    // The end date is inclusive for the merchant: the rule runs until that day ends (UTC).
    endsAt: input.endsOn?.trim() ? new Date(Date.parse(`${input.endsOn.trim()}T00:00:00Z`) + 86_400_000) : null,
    active: !["false", "off", "0"].includes((input.active ?? "true").trim().toLowerCase()),
  }));

export type RuleFields = "name" | "kind" | "target" | "value" | "multiplier" | "bonusPoints" | "startsOn" | "endsOn";
export type RuleResult = { ok: true; value: Omit<Rule, "id"> } | { ok: false; errors: Partial<Record<RuleFields, string>> };

export function validateRule(source: Record<string, unknown>): RuleResult {
  const clean = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, typeof v === "string" ? v : v == null ? undefined : String(v)]));
  const parsed = ruleInput.safeParse(clean);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Partial<Record<RuleFields, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "name") as RuleFields;
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The rule as the form shows it (end date inclusive). */
export function ruleFormValues(rule: Pick<Rule, "name" | "kind" | "target" | "value" | "multiplier" | "bonusPoints" | "startsAt" | "endsAt" | "active">) {
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");
  return {
    name: rule.name,
    kind: rule.kind,
    target: rule.target,
    value: rule.value,
    multiplier: rule.multiplier ?? "",
    bonusPoints: rule.bonusPoints ? String(rule.bonusPoints) : "",
    startsOn: day(rule.startsAt),
    endsOn: day(rule.endsAt ? new Date(rule.endsAt.getTime() - 86_400_000) : null),
    active: rule.active ? "true" : "false",
  };
}

export function normalizeDecimal(text: string): string {
  const [whole, fraction = ""] = text.split(".");
  const w = whole.replace(/^0+(?=\d)/, "") || "0";
  const f = fraction.replace(/0+$/, "");
  return f ? `${w}.${f}` : w;
}

export const productGid = (value: string) => (value.startsWith("gid://") ? value : `gid://shopify/Product/${value.trim()}`);

export function ruleRunsAt(rule: Pick<Rule, "active" | "startsAt" | "endsAt">, at: Date): boolean {
  if (!rule.active) return false;
  if (rule.startsAt && at < rule.startsAt) return false;
  if (rule.endsAt && at >= rule.endsAt) return false;
  return true;
}

// ---------------------------------------------------------------------------
// The engine.

export interface Collection {
  id: string;
  handle?: string | null;
  title?: string | null;
}

export interface CartLine {
  id: string;
  title?: string | null;
  quantity: number;
  /** Net merchandise of the whole line in shop currency, milli. */
  net: bigint;
  productId?: string | null;
  vendor?: string | null;
  tags?: string[];
  collections?: Collection[];
}

export interface Cart {
  lines: CartLine[];
  customerTags: string[];
  /** The order's date: decides which campaigns and dated rules run. */
  at: Date;
  firstOrder: boolean;
  tier?: { name: string; multiplier: string } | null;
}

export interface Program {
  earnRate: string;
  earnRounding: Rounding;
  minOrderValue: string;
  excludedCustomerTags: string[];
  firstOrderBonus: number;
  rules: Rule[];
}

export type StepKind = "excluded" | "minimum" | "base" | "line" | "campaign" | "tier" | "bonus" | "rounding" | "first-order" | "total";

export interface Step {
  kind: StepKind;
  /** The rule that produced the step, when it came from one. */
  ruleId?: string;
  label: string;
  /** Points the step contributes (exact, up to 2 decimals), when it contributes. */
  points?: string;
}

export interface Evaluation {
  merchandiseTotal: string;
  points: number;
  eligible: boolean;
  /** Snapshot lines; weight = the line's share of the points (common denominator). */
  lines: AwardLine[];
  steps: Step[];
}

/** Every ratio is scaled to this denominator (rates and multipliers have ≤ 4 decimals). */
const SCALE = 10_000n;
const scaled = (decimal: string) => {
  const { num, den } = parseRate(decimal);
  if (den > SCALE) throw new Error(`At most 4 decimal places: ${decimal}`);
  return num * (SCALE / den);
};
// net (milli) × rate × line multiplier × campaign × tier, each over SCALE.
const DENOMINATOR = 1000n * SCALE ** 4n;

const norm = (s: string | null | undefined) => (s ?? "").trim().toLowerCase();

export function parseTags(text: string | null | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}

export function ruleMatches(rule: Pick<Rule, "target" | "value">, line: CartLine): boolean {
  const value = norm(rule.value);
  switch (rule.target) {
    case "all":
      return true;
    case "tag":
      return (line.tags ?? []).some((t) => norm(t) === value);
    case "vendor":
      return norm(line.vendor) === value;
    case "product":
      return !!line.productId && productGid(line.productId) === productGid(rule.value.trim());
    case "collection":
      return (line.collections ?? []).some((c) => norm(c.id) === value || norm(c.handle) === value || norm(c.title) === value);
  }
}

/** Which facts the rules need that order webhooks do not carry (tags and collections come from the Admin API). */
export function needsCatalog(rules: Pick<Rule, "target" | "kind">[]): boolean {
  return rules.some((r) => r.kind !== "campaign" && (r.target === "tag" || r.target === "collection"));
}

/** num/den as a decimal with 2 places, rounded half up, for explanations. */
export function fractionText(num: bigint, den: bigint): string {
  const hundredths = divide(num * 100n, den, "round");
  return formatMilli(hundredths * 10n);
}

const pointsText = (num: bigint, den: bigint) => fractionText(num, den).replace(/\.00$/, "");

export function evaluate(cart: Cart, program: Program): Evaluation {
  const steps: Step[] = [];
  const total = cart.lines.reduce((sum, l) => sum + (l.net > 0n ? l.net : 0n), 0n);
  const merchandiseTotal = formatMilli(total);
  const zeroLines = cart.lines.map((l) => ({ id: l.id, quantity: l.quantity, net: l.net.toString(), weight: "0" }));

  const excluded = program.excludedCustomerTags.map(norm).filter(Boolean);
  const hit = cart.customerTags.find((t) => excluded.includes(norm(t)));
  if (hit) {
    steps.push({ kind: "excluded", label: `Customers tagged “${hit}” don't earn points.`, points: "0" });
    return { merchandiseTotal, points: 0, eligible: false, lines: zeroLines, steps };
  }
  const minimum = toMilli(program.minOrderValue || "0");
  if (total < minimum) {
    steps.push({
      kind: "minimum",
      label: `Merchandise ${merchandiseTotal} is below the minimum order value of ${formatMilli(minimum)}.`,
      points: "0",
    });
    return { merchandiseTotal, points: 0, eligible: false, lines: zeroLines, steps };
  }

  const running = program.rules.filter((r) => ruleRunsAt(r, cart.at));
  const rate = scaled(program.earnRate);
  steps.push({ kind: "base", label: `Base rate: ${program.earnRate} points per 1.00 of merchandise (${merchandiseTotal}).` });

  // The highest running campaign (overlapping campaigns don't stack).
  const campaigns = running.filter((r) => r.kind === "campaign" && r.multiplier);
  const campaign = campaigns.reduce<Rule | null>((best, r) => (!best || scaled(r.multiplier!) > scaled(best.multiplier!) ? r : best), null);
  const campaignFactor = campaign ? scaled(campaign.multiplier!) : SCALE;
  const tierFactor = cart.tier ? scaled(cart.tier.multiplier) : SCALE;

  let sum = 0n;
  const lines: AwardLine[] = [];
  for (const line of cart.lines) {
    const net = line.net > 0n ? line.net : 0n;
    const matching = running.filter((r) => r.kind === "multiplier" && r.multiplier && ruleMatches(r, line));
    const best = matching.reduce<Rule | null>((b, r) => (!b || scaled(r.multiplier!) > scaled(b.multiplier!) ? r : b), null);
    const lineFactor = best ? scaled(best.multiplier!) : SCALE;
    let weight = net * rate * lineFactor * campaignFactor * tierFactor;
    const name = line.title || `Line ${line.id}`;
    const base = net * rate * SCALE ** 3n;
    const parts = [`${formatMilli(net)} × ${program.earnRate} = ${pointsText(base, DENOMINATOR)}`];
    if (best) parts.push(`× ${best.multiplier} (${best.name}${matching.length > 1 ? `, the highest of ${matching.length} matching multipliers` : ""})`);
    steps.push({ kind: "line", ruleId: best?.id, label: `${name} (qty ${line.quantity}): ${parts.join(" ")}`, points: pointsText(net * rate * lineFactor * SCALE ** 2n, DENOMINATOR) });
    for (const bonus of running.filter((r) => r.kind === "bonus" && r.bonusPoints && ruleMatches(r, line))) {
      const extra = BigInt(bonus.bonusPoints!) * BigInt(line.quantity);
      weight += extra * DENOMINATOR;
      steps.push({ kind: "bonus", ruleId: bonus.id, label: `${name}: +${bonus.bonusPoints} per item × ${line.quantity} (${bonus.name})`, points: extra.toString() });
    }
    sum += weight;
    lines.push({ id: line.id, quantity: line.quantity, net: net.toString(), weight: weight.toString() });
  }
  if (campaign) {
    const others = campaigns.length - 1;
    steps.push({
      kind: "campaign",
      ruleId: campaign.id,
      label: `Campaign “${campaign.name}”: × ${campaign.multiplier} on every line${others > 0 ? ` (the highest of ${campaigns.length} running campaigns; they don't stack)` : ""}.`,
    });
  }
  if (cart.tier && cart.tier.multiplier !== "1") {
    steps.push({ kind: "tier", label: `VIP tier “${cart.tier.name}”: × ${cart.tier.multiplier} on every line.` });
  }
  const rounded = Number(divide(sum, DENOMINATOR, program.earnRounding));
  steps.push({ kind: "rounding", label: `${pointsText(sum, DENOMINATOR)} rounded (${program.earnRounding}) to ${rounded}.`, points: String(rounded) });
  let points = rounded;
  if (cart.firstOrder && program.firstOrderBonus > 0) {
    points += program.firstOrderBonus;
    steps.push({ kind: "first-order", label: `First order bonus: +${program.firstOrderBonus}.`, points: String(program.firstOrderBonus) });
  }
  steps.push({ kind: "total", label: `Total: ${points} points.`, points: String(points) });
  return { merchandiseTotal, points, eligible: true, lines, steps };
}

// ---------------------------------------------------------------------------
// From an order webhook to the engine's cart.

export interface ProductFacts {
  tags: string[];
  collections: Collection[];
}

type OrderLine = OrderPayload["line_items"][number];

/**
 * The order's lines as the engine sees them: net merchandise in shop money
 * (never presentment money), gift cards left out, with tags and collections
 * from the Admin API where the rules need them.
 */
export function cartLinesFromOrder(
  order: Pick<OrderPayload, "line_items" | "taxes_included">,
  facts: Map<string, ProductFacts> = new Map(),
): CartLine[] {
  return order.line_items
    .filter((line: OrderLine) => !line.gift_card)
    .map((line: OrderLine) => {
      const productId = line.product_id ? productGid(String(line.product_id)) : null;
      const known = productId ? facts.get(productId) : undefined;
      return {
        id: line.id,
        title: line.title ?? null,
        quantity: line.quantity,
        net: lineNetMilli(line, Boolean(order.taxes_included)),
        productId,
        vendor: line.vendor ?? null,
        tags: known?.tags ?? [],
        collections: known?.collections ?? [],
      };
    });
}

/** The product gids of the order's earning lines (for the Admin API lookup). */
export function orderProductIds(order: Pick<OrderPayload, "line_items">): string[] {
  const ids = order.line_items.filter((l) => !l.gift_card && l.product_id).map((l) => productGid(String(l.product_id)));
  return [...new Set(ids)];
}
