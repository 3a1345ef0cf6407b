// VIP tiers, pure part: form validation and which tier a measure reaches.
import { z } from "zod";
import { formatMilli, toMilli } from "../money";
import { normalizeDecimal } from "./rules";

export const MAX_TIER_MULTIPLIER = 10;

export const tierInput = z.object({
  name: z.string().trim().min(1, "Give the tier a name.").max(40, "Keep the name under 40 characters."),
  threshold: z
    .string()
    .trim()
    .min(1, "Enter the threshold (0 for an entry tier).")
    .regex(/^\d+(\.\d{1,3})?$/, "Enter a number such as 500 or 249.99.")
    .transform((v) => normalizeDecimal(formatMilli(toMilli(v)))),
  multiplier: z
    .string()
    .trim()
    .regex(/^\d+(\.\d{1,4})?$/, "Enter a multiplier such as 1 or 1.25.")
    .refine((v) => toMilli(v) > 0n && toMilli(v) <= BigInt(MAX_TIER_MULTIPLIER) * 1000n, `Enter a multiplier above 0 and at most ${MAX_TIER_MULTIPLIER}.`)
    .transform(normalizeDecimal),
  perks: z.string().trim().max(500, "Keep the perks under 500 characters.").default(""),
});

export type TierValue = z.infer<typeof tierInput>;
export type TierField = keyof TierValue;
export type TierResult = { ok: true; value: TierValue } | { ok: false; errors: Partial<Record<TierField, string>> };

export function validateTier(source: Record<string, unknown>, others: { name: string; threshold: string }[] = []): TierResult {
  const clean = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v == null ? undefined : String(v)]));
  const parsed = tierInput.safeParse(clean);
  const errors: Partial<Record<TierField, string>> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path[0] as TierField] ??= issue.message;
    return { ok: false, errors };
  }
  if (others.some((t) => t.name.trim().toLowerCase() === parsed.data.name.toLowerCase())) errors.name = "Another tier has this name.";
  if (others.some((t) => toMilli(t.threshold) === toMilli(parsed.data.threshold))) errors.threshold = "Another tier starts at this threshold.";
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: parsed.data };
}

/** The highest tier whose threshold the measure reaches, or null. */
export function tierFor<T extends { threshold: string }>(tiers: T[], measure: bigint): T | null {
  let best: T | null = null;
  for (const tier of tiers) {
    const threshold = toMilli(tier.threshold);
    if (measure >= threshold && (!best || threshold > toMilli(best.threshold))) best = tier;
  }
  return best;
}
