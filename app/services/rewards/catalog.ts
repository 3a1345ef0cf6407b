// The reward catalog's rules, pure so the admin form, the service and the
// tests agree on what a valid reward is.
import { formatMoney, toMilli } from "../money";

export const REWARD_KINDS = ["amount_off", "percentage_off", "free_shipping", "free_product"] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

export const KIND_LABELS: Record<RewardKind, string> = {
  amount_off: "Amount off",
  percentage_off: "Percentage off",
  free_shipping: "Free shipping",
  free_product: "Free product",
};

/** What a redemption keeps of its reward: later edits never change an issued code. */
export interface RewardSnapshot {
  id: string;
  title: string;
  kind: RewardKind;
  pointsCost: number;
  value: string | null;
  productId: string | null;
  productTitle: string | null;
  minimumSubtotal: string | null;
  expiryDays: number | null;
}

export interface RewardInput {
  title: string;
  kind: string;
  pointsCost: string;
  value?: string;
  productId?: string;
  productTitle?: string;
  minimumSubtotal?: string;
  expiryDays?: string;
}

export type RewardField = "title" | "kind" | "pointsCost" | "value" | "productId" | "minimumSubtotal" | "expiryDays";
export type RewardErrors = Partial<Record<RewardField, string>>;

export type ValidReward = Omit<RewardSnapshot, "id">;

const MONEY = /^\d{1,9}(\.\d{1,2})?$/;
const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;
const WHOLE = /^\d+$/;

export function validateReward(input: RewardInput): { ok: true; reward: ValidReward } | { ok: false; errors: RewardErrors } {
  const errors: RewardErrors = {};
  const title = input.title.trim();
  if (!title) errors.title = "Give the reward a name customers will recognise.";
  else if (title.length > 100) errors.title = "Keep the name under 100 characters.";

  const kind = input.kind as RewardKind;
  if (!REWARD_KINDS.includes(kind)) errors.kind = "Choose what the reward gives.";

  const cost = input.pointsCost.trim();
  if (!WHOLE.test(cost) || Number(cost) < 1) errors.pointsCost = "Enter a whole number of points, at least 1.";
  else if (Number(cost) > 10_000_000) errors.pointsCost = "That is more points than any balance could hold.";

  let value: string | null = null;
  const rawValue = (input.value ?? "").trim();
  if (kind === "amount_off") {
    if (!MONEY.test(rawValue) || toMilli(rawValue) <= 0n) errors.value = "Enter an amount greater than 0, like 5 or 7.50.";
    else value = rawValue;
  } else if (kind === "percentage_off") {
    if (!PERCENT.test(rawValue) || Number(rawValue) <= 0 || Number(rawValue) > 100) {
      errors.value = "Enter a percentage between 1 and 100.";
    } else value = rawValue;
  }

  let productId: string | null = null;
  let productTitle: string | null = null;
  if (kind === "free_product") {
    const id = (input.productId ?? "").trim();
    if (!/^gid:\/\/shopify\/Product\/\d+$/.test(id)) errors.productId = "Pick the product customers get for free.";
    else {
      productId = id;
      productTitle = (input.productTitle ?? "").trim().slice(0, 255) || null;
    }
  }

  let minimumSubtotal: string | null = null;
  const min = (input.minimumSubtotal ?? "").trim();
  if (min) {
    if (!MONEY.test(min)) errors.minimumSubtotal = "Enter an amount like 50 or 49.99, or leave it empty.";
    else if (toMilli(min) > 0n) minimumSubtotal = min;
  }

  let expiryDays: number | null = null;
  const days = (input.expiryDays ?? "").trim();
  if (days) {
    if (!WHOLE.test(days) || Number(days) < 1 || Number(days) > 3650) {
      errors.expiryDays = "Enter a number of days between 1 and 3650, or leave it empty for codes that never expire.";
    } else expiryDays = Number(days);
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, reward: { title, kind, pointsCost: Number(cost), value, productId, productTitle, minimumSubtotal, expiryDays } };
}

/** "$5.00 off", "10% off", "Free shipping", "Free Snowboard". */
export function describeReward(r: Pick<RewardSnapshot, "kind" | "value" | "productTitle" | "minimumSubtotal">, currencyCode: string): string {
  let text: string;
  switch (r.kind) {
    case "amount_off":
      text = `${formatMoney(r.value ?? "0", currencyCode)} off`;
      break;
    case "percentage_off":
      text = `${Number(r.value)}% off`;
      break;
    case "free_shipping":
      text = "Free shipping";
      break;
    case "free_product":
      text = `Free ${r.productTitle ?? "product"}`;
      break;
  }
  return r.minimumSubtotal ? `${text} on orders of ${formatMoney(r.minimumSubtotal, currencyCode)} or more` : text;
}
