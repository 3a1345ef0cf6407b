// The program's earning settings beyond the base rate (Program page): the
// pending window, minimum order, exclusions, bonuses, expiry and the tier
// basis. Validation is pure and shared by the form and the services.
import { z } from "zod";
import { formatMilli, toMilli } from "../money";
import { parseTags, type Program, type Rule } from "./rules";
import type { Rounding } from "../money";

export const EXPIRY_POLICIES = ["none", "inactivity", "fifo"] as const;
export type ExpiryPolicy = (typeof EXPIRY_POLICIES)[number];
export const EXPIRY_LABELS: Record<ExpiryPolicy, string> = {
  none: "Points never expire",
  inactivity: "The whole balance expires after a period without orders or redemptions",
  fifo: "Each batch of points expires a set time after it became spendable (oldest first)",
};

export const TIER_BASES = ["spend", "points"] as const;
export type TierBasis = (typeof TIER_BASES)[number];
export const TIER_BASIS_LABELS: Record<TierBasis, string> = {
  spend: "Lifetime spend (merchandise after refunds, shop currency)",
  points: "Points earned from orders in a rolling window",
};

export const MAX_PENDING_DAYS = 365;
export const MAX_BONUS = 100_000;

export interface ProgramValue {
  pendingDays: number;
  minOrderValue: string;
  excludedCustomerTags: string;
  firstOrderBonus: number;
  signupBonus: number;
  birthdayBonus: number;
  expiryPolicy: ExpiryPolicy;
  expiryMonths: number;
  tierBasis: TierBasis;
  tierWindowMonths: number;
}

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${label}: enter a whole number.`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${label}: enter a number from ${min} to ${max.toLocaleString("en-US")}.`);

export const programInput = z.object({
  pendingDays: wholeNumber("Pending days", 0, MAX_PENDING_DAYS),
  minOrderValue: z
    .string()
    .trim()
    .transform((v) => (v === "" ? "0" : v))
    .refine((v) => /^\d+(\.\d{1,3})?$/.test(v), "Enter an amount such as 20 or 19.99 (0 for no minimum).")
    .transform((v) => formatMilli(toMilli(v))),
  excludedCustomerTags: z
    .string()
    .max(1000, "Keep the list under 1,000 characters.")
    .transform((v) => parseTags(v).join(", ")),
  firstOrderBonus: wholeNumber("First order bonus", 0, MAX_BONUS),
  signupBonus: wholeNumber("Sign-up bonus", 0, MAX_BONUS),
  birthdayBonus: wholeNumber("Birthday bonus", 0, MAX_BONUS),
  expiryPolicy: z.enum(EXPIRY_POLICIES, { errorMap: () => ({ message: "Choose an expiry policy." }) }),
  expiryMonths: wholeNumber("Months", 1, 120),
  tierBasis: z.enum(TIER_BASES, { errorMap: () => ({ message: "Choose what tiers are based on." }) }),
  tierWindowMonths: wholeNumber("Months", 1, 60),
});

export type ProgramField = keyof ProgramValue;
export type ProgramResult = { ok: true; value: ProgramValue } | { ok: false; errors: Partial<Record<ProgramField, string>> };

export function validateProgram(source: Record<string, unknown>, current: ProgramValue): ProgramResult {
  // Fields the form did not send keep their current value (the Tiers page sends only the tier basis).
  const merged: Record<string, string> = {};
  for (const key of Object.keys(programInput.shape) as ProgramField[]) {
    const raw = source[key];
    merged[key] = raw === undefined || raw === null ? String(current[key]) : String(raw);
  }
  const parsed = programInput.safeParse(merged);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Partial<Record<ProgramField, string>> = {};
  for (const issue of parsed.error.issues) errors[issue.path[0] as ProgramField] ??= issue.message.replace(/^[^:]+: /, "");
  return { ok: false, errors };
}

export interface ShopProgramColumns extends Omit<ProgramValue, "expiryPolicy" | "tierBasis"> {
  earnRate: string;
  earnRounding: string;
  expiryPolicy: string;
  tierBasis: string;
}

export function programValueOf(shop: ShopProgramColumns): ProgramValue {
  return {
    pendingDays: shop.pendingDays,
    minOrderValue: shop.minOrderValue,
    excludedCustomerTags: shop.excludedCustomerTags,
    firstOrderBonus: shop.firstOrderBonus,
    signupBonus: shop.signupBonus,
    birthdayBonus: shop.birthdayBonus,
    expiryPolicy: shop.expiryPolicy as ExpiryPolicy,
    expiryMonths: shop.expiryMonths,
    tierBasis: shop.tierBasis as TierBasis,
    tierWindowMonths: shop.tierWindowMonths,
  };
}

/** What the engine needs from the shop and its rules. */
export function engineProgram(shop: ShopProgramColumns, rules: Rule[]): Program {
  return {
    earnRate: shop.earnRate,
    earnRounding: shop.earnRounding as Rounding,
    minOrderValue: shop.minOrderValue,
    excludedCustomerTags: parseTags(shop.excludedCustomerTags),
    firstOrderBonus: shop.firstOrderBonus,
    rules,
  };
}

/** Calendar months added in UTC, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);

/** A birthday as typed ("MM-DD", or a full date whose year is ignored) normalized to "MM-DD"; null when empty. */
export function parseBirthday(input: string): { ok: true; value: string | null } | { ok: false; error: string } {
  const text = input.trim();
  if (!text) return { ok: true, value: null };
  const match = /^(?:\d{4}-)?(\d{2})-(\d{2})$/.exec(text);
  if (!match) return { ok: false, error: "Enter the birthday as MM-DD (e.g. 07-14) or YYYY-MM-DD." };
  const [, mm, dd] = match;
  const month = Number(mm);
  const day = Number(dd);
  // 2024 is a leap year, so 02-29 is a valid birthday.
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(2024, month, 0)).getUTCDate();
  if (!valid) return { ok: false, error: "That is not a real date." };
  return { ok: true, value: `${mm}-${dd}` };
}
