// Validation of the offer form and the A/B test form. Pure: the admin route
// passes FormData, gets either a clean value or errors per field.
import { toMilli } from "../money";
import { TRIGGER_TYPES, type DiscountKind, type TriggerType } from "./engine";

export interface OfferInput {
  name: string;
  enabled: boolean;
  priority: number;
  triggerType: TriggerType;
  triggerValues: string[];
  minOrderValue: string | null;
  maxOrderValue: string | null;
  offeredProductIds: string[];
  discountKind: DiscountKind | null;
  discountValue: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
}

export type OfferErrors = Partial<Record<keyof OfferInput | "form", string>>;

const DECIMAL = /^\d+(\.\d{1,2})?$/;
const GID = /^gid:\/\/shopify\/(Product|Collection)\/\d+$/;

function list(value: FormDataEntryValue | null): string[] {
  if (!value) return [];
  try {
    const parsed = JSON.parse(String(value));
    return Array.isArray(parsed) ? parsed.map(String).filter(Boolean) : [];
  } catch {
    return String(value)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  }
}

function date(value: FormDataEntryValue | null): Date | null | "invalid" {
  const text = String(value ?? "").trim();
  if (!text) return null;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(d.getTime()) ? "invalid" : d;
}

export function validateOffer(form: FormData): { ok: true; value: OfferInput } | { ok: false; errors: OfferErrors } {
  const errors: OfferErrors = {};
  const name = String(form.get("name") ?? "").trim();
  if (!name) errors.name = "Give the offer a name";
  else if (name.length > 100) errors.name = "Keep the name under 100 characters";

  const triggerType = String(form.get("triggerType") ?? "any") as TriggerType;
  if (!TRIGGER_TYPES.includes(triggerType)) errors.triggerType = "Choose what triggers the offer";
  const triggerValues = list(form.get("triggerValues"));
  if ((triggerType === "product" || triggerType === "collection") && triggerValues.length === 0) {
    errors.triggerValues = `Choose at least one ${triggerType}`;
  } else if ((triggerType === "product" || triggerType === "collection") && triggerValues.some((v) => !GID.test(v))) {
    errors.triggerValues = "Choose products or collections with the picker";
  } else if (triggerType === "tag" && triggerValues.length === 0) {
    errors.triggerValues = "Enter at least one product tag";
  }

  const money = (field: "minOrderValue" | "maxOrderValue") => {
    const text = String(form.get(field) ?? "").trim();
    if (!text) return null;
    if (!DECIMAL.test(text)) {
      errors[field] = "Enter an amount such as 50 or 49.99";
      return null;
    }
    return text;
  };
  const minOrderValue = money("minOrderValue");
  const maxOrderValue = money("maxOrderValue");
  if (minOrderValue && maxOrderValue && toMilli(minOrderValue) > toMilli(maxOrderValue)) {
    errors.maxOrderValue = "The maximum must be at least the minimum";
  }
  if (triggerType === "order_value" && !minOrderValue && !maxOrderValue && !errors.minOrderValue) {
    errors.minOrderValue = "Set a minimum or a maximum order value";
  }

  const offeredProductIds = list(form.get("offeredProductIds"));
  if (offeredProductIds.length === 0) errors.offeredProductIds = "Choose at least one product to offer";
  else if (offeredProductIds.length > 10) errors.offeredProductIds = "Offer at most 10 products";
  else if (offeredProductIds.some((v) => !/^gid:\/\/shopify\/Product\/\d+$/.test(v))) errors.offeredProductIds = "Choose products with the picker";

  const kindText = String(form.get("discountKind") ?? "none");
  let discountKind: DiscountKind | null = null;
  let discountValue: string | null = null;
  if (kindText === "percent" || kindText === "amount") {
    discountKind = kindText;
    const text = String(form.get("discountValue") ?? "").trim();
    if (!DECIMAL.test(text) || toMilli(text) <= 0n) errors.discountValue = "Enter a discount greater than zero";
    else if (kindText === "percent" && toMilli(text) > 100_000n) errors.discountValue = "A percentage cannot exceed 100";
    else discountValue = text;
  } else if (kindText !== "none") {
    errors.discountKind = "Choose a discount type";
  }

  const priorityText = String(form.get("priority") ?? "0").trim() || "0";
  const priority = Number(priorityText);
  if (!Number.isInteger(priority) || priority < 0 || priority > 1000) errors.priority = "Priority is a whole number from 0 to 1000";

  const startsAt = date(form.get("startsAt"));
  const endsAt = date(form.get("endsAt"));
  if (startsAt === "invalid") errors.startsAt = "Enter a date";
  if (endsAt === "invalid") errors.endsAt = "Enter a date";
  if (startsAt instanceof Date && endsAt instanceof Date && endsAt <= startsAt) errors.endsAt = "The end must be after the start";

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name,
      enabled: form.get("enabled") !== "false",
      priority,
      triggerType,
      triggerValues: triggerType === "any" || triggerType === "order_value" ? [] : triggerValues,
      minOrderValue,
      maxOrderValue,
      offeredProductIds,
      discountKind,
      discountValue,
      startsAt: startsAt as Date | null,
      endsAt: endsAt as Date | null,
    },
  };
}
