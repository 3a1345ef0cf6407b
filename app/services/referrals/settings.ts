// Validation of the referral program's settings form (pure).
import type { ReferralSettingsValues } from "../../models/referral.server";

export type ReferralField = "friendDiscountKind" | "friendDiscountValue" | "friendMinimumSubtotal" | "friendCodeExpiryDays" | "referrerPoints";
export type ReferralErrors = Partial<Record<ReferralField, string>>;

const MONEY = /^\d{1,9}(\.\d{1,2})?$/;

export function validateReferralSettings(input: Record<ReferralField | "enabled", string>):
  | { ok: true; settings: ReferralSettingsValues }
  | { ok: false; errors: ReferralErrors } {
  const errors: ReferralErrors = {};
  const kind = input.friendDiscountKind;
  if (kind !== "percentage_off" && kind !== "amount_off") errors.friendDiscountKind = "Choose a percentage or an amount off.";
  const value = input.friendDiscountValue.trim();
  if (kind === "percentage_off" && (!/^\d{1,3}(\.\d{1,2})?$/.test(value) || Number(value) <= 0 || Number(value) > 100)) {
    errors.friendDiscountValue = "Enter a percentage between 1 and 100.";
  }
  if (kind === "amount_off" && (!MONEY.test(value) || Number(value) <= 0)) errors.friendDiscountValue = "Enter an amount greater than 0.";
  const min = input.friendMinimumSubtotal.trim();
  if (min && !MONEY.test(min)) errors.friendMinimumSubtotal = "Enter an amount like 50, or leave it empty.";
  const days = input.friendCodeExpiryDays.trim();
  if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 365) errors.friendCodeExpiryDays = "Enter between 1 and 365 days.";
  const points = input.referrerPoints.trim();
  if (!/^\d+$/.test(points) || Number(points) > 1_000_000) errors.referrerPoints = "Enter a whole number of points (0 for none).";
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      enabled: input.enabled === "true",
      friendDiscountKind: kind,
      friendDiscountValue: value,
      friendMinimumSubtotal: min && Number(min) > 0 ? min : null,
      friendCodeExpiryDays: Number(days),
      referrerPoints: Number(points),
    },
  };
}
