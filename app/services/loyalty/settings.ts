// Validation of the program settings form. Pure, and safe in the browser too:
// the settings page uses it for its live example while the merchant types.
import { ROUNDINGS, toMilli, type Rounding } from "../money";
import { pointsFor } from "./earning";

export const MAX_EARN_RATE = 1000;
export const MAX_RATE_DECIMALS = 4;

export const ROUNDING_LABELS: Record<Rounding, string> = {
  floor: "Round down",
  round: "Round to nearest",
  ceil: "Round up",
};

export interface SettingsValue {
  /** Normalized decimal string, e.g. "2.5" (no sign, no trailing zeros). */
  earnRate: string;
  earnRounding: Rounding;
  allowNegativeBalance: boolean;
}

export type SettingsField = keyof SettingsValue;
export type SettingsErrors = Partial<Record<SettingsField, string>>;
export type SettingsResult = { ok: true; value: SettingsValue } | { ok: false; errors: SettingsErrors };

/** FormData, URLSearchParams, or a plain object of the submitted fields. */
export type SettingsSource = { get(name: string): unknown } | Record<string, unknown>;

function read(source: SettingsSource, name: string): unknown {
  if (typeof (source as { get?: unknown }).get === "function") {
    return (source as { get(name: string): unknown }).get(name);
  }
  return (source as Record<string, unknown>)[name];
}

export type RateResult = { ok: true; value: string } | { ok: false; error: string };

/** Checks an earning rate as typed and returns it normalized ("01.50" → "1.5"). */
export function validateEarnRate(input: unknown): RateResult {
  const text = typeof input === "number" && Number.isFinite(input) ? String(input) : typeof input === "string" ? input.trim() : "";
  if (text === "") return { ok: false, error: "Enter an earning rate, such as 1 or 2.5." };
  if (/^-/.test(text)) return { ok: false, error: "The earning rate can't be negative." };
  if (/^\+?\d*,\d+$/.test(text)) return { ok: false, error: "Use a period as the decimal separator, such as 2.5." };
  const match = /^\+?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[1] === "" && !match[2])) return { ok: false, error: "Enter a number, such as 1 or 2.5." };
  const whole = match[1].replace(/^0+(?=\d)/, "") || "0";
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > MAX_RATE_DECIMALS) {
    return { ok: false, error: `Use at most ${MAX_RATE_DECIMALS} decimal places.` };
  }
  // Compare exactly: whole digits beyond the limit, or the limit with any fraction.
  const limit = String(MAX_EARN_RATE);
  const tooBig = whole.length > limit.length || (whole.length === limit.length && (whole > limit || (whole === limit && fraction !== "")));
  if (tooBig) {
    return { ok: false, error: `The earning rate can be at most ${MAX_EARN_RATE.toLocaleString("en-US")} points per unit of currency.` };
  }
  return { ok: true, value: fraction ? `${whole}.${fraction}` : whole };
}

export function isRounding(value: unknown): value is Rounding {
  return typeof value === "string" && (ROUNDINGS as readonly string[]).includes(value);
}

/** A checkbox: present and not an explicit "false"/"off"/"0" means on. */
function readBoolean(value: unknown): boolean | null {
  if (value === null || value === undefined || value === false) return false;
  if (value === true) return true;
  if (typeof value !== "string") return null;
  const text = value.trim().toLowerCase();
  if (["", "false", "off", "0", "no"].includes(text)) return false;
  if (["true", "on", "1", "yes"].includes(text)) return true;
  return null;
}

export function validateSettings(source: SettingsSource): SettingsResult {
  const errors: SettingsErrors = {};

  const rate = validateEarnRate(read(source, "earnRate"));
  if (!rate.ok) errors.earnRate = rate.error;

  const rounding = read(source, "earnRounding");
  if (!isRounding(rounding)) errors.earnRounding = "Choose how points are rounded.";

  const allowNegativeBalance = readBoolean(read(source, "allowNegativeBalance"));
  if (allowNegativeBalance === null) errors.allowNegativeBalance = "Choose whether balances may go below zero.";

  if (!rate.ok || !isRounding(rounding) || allowNegativeBalance === null) return { ok: false, errors };
  return { ok: true, value: { earnRate: rate.value, earnRounding: rounding, allowNegativeBalance } };
}

/**
 * Points an order with the given merchandise amount earns under a rate as
 * typed, or null while the rate is not valid. Used for the live example.
 */
export function previewPoints(rawRate: unknown, rounding: Rounding, amount = "49.99"): number | null {
  const rate = validateEarnRate(rawRate);
  if (!rate.ok) return null;
  return pointsFor(toMilli(amount), { earnRate: rate.value, earnRounding: rounding });
}
