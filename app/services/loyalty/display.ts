// How ledger entries, customers and settings read on the admin pages. Pure,
// and imported by route components, so nothing here may be server-only.

export type BadgeTone = "success" | "warning" | "info" | "attention" | "critical" | "new" | undefined;

export const ENTRY_TYPE_LABELS: Record<string, { label: string; tone: BadgeTone }> = {
  earn: { label: "Earned", tone: "success" },
  release: { label: "Now spendable", tone: "success" },
  reverse: { label: "Reversed", tone: "warning" },
  redeem: { label: "Redeemed", tone: "info" },
  adjust: { label: "Adjusted", tone: "attention" },
  expire: { label: "Expired", tone: undefined },
  bonus: { label: "Bonus", tone: "success" },
};

export function entryTypeBadge(type: string): { label: string; tone: BadgeTone } {
  return ENTRY_TYPE_LABELS[type] ?? { label: type, tone: undefined };
}

export function customerName(c: { firstName?: string | null; lastName?: string | null; email?: string | null; redactedAt?: unknown }): string {
  if (c.redactedAt) return "Redacted customer";
  const name = [c.firstName, c.lastName].filter((part) => part && part.trim()).join(" ").trim();
  return name || c.email || "Unnamed customer";
}

/** 1234 → "1,234"; the sign only for negative numbers. */
export function formatPoints(points: number): string {
  return points.toLocaleString("en-US");
}

/** A change of balance: "+50", "−20" (true minus sign), "0". */
export function formatPointsChange(points: number): string {
  if (points > 0) return `+${points.toLocaleString("en-US")}`;
  if (points < 0) return `\u2212${Math.abs(points).toLocaleString("en-US")}`;
  return "0";
}

export function formatDate(iso: string | Date): string {
  return new Date(iso).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
}

export function formatDateTime(iso: string | Date): string {
  const date = new Date(iso);
  return `${formatDate(date)}, ${date.toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit" })}`;
}

/** The numeric part of a Shopify GID ("gid://shopify/Order/123" → "123"). */
export function legacyId(gid: string | null | undefined): string | null {
  if (!gid) return null;
  const match = /\/(\d+)$/.exec(gid);
  return match ? match[1] : null;
}

export interface SourceView {
  label: string;
  /** An admin URL App Bridge can navigate to (shopify://admin/...), when known. */
  url: string | null;
}

export function describeSource(sourceType: string, sourceId: string | null, actor?: string | null): SourceView {
  const id = legacyId(sourceId);
  switch (sourceType) {
    case "order":
      return { label: id ? `Order ${id}` : "Order", url: id ? `shopify://admin/orders/${id}` : null };
    case "refund":
      return { label: id ? `Refund ${id}` : "Refund", url: null };
    case "cancellation":
      return { label: id ? `Cancelled order ${id}` : "Order cancelled", url: id ? `shopify://admin/orders/${id}` : null };
    case "admin":
      return { label: `Adjusted by ${actor || sourceId || "staff"}`, url: null };
    case "program":
      return { label: "Loyalty program", url: null };
    default:
      return { label: sourceType, url: null };
  }
}

export interface Clamp {
  requested: number;
  shortfall: number;
}

/** The clamp recorded on an entry whose debit was limited by the balance policy. */
export function clampOf(details: string | null | undefined): Clamp | null {
  if (!details) return null;
  try {
    const parsed = JSON.parse(details) as { requested?: unknown; shortfall?: unknown };
    if (typeof parsed.shortfall !== "number" || parsed.shortfall <= 0) return null;
    return { requested: typeof parsed.requested === "number" ? parsed.requested : 0, shortfall: parsed.shortfall };
  } catch {
    return null;
  }
}

export function clampNote(clamp: Clamp): string {
  const wanted = Math.abs(clamp.requested);
  return `${formatPoints(wanted)} points were due, but only what was left in the balance was taken; ${formatPoints(clamp.shortfall)} could not be deducted.`;
}

/** "$1" in the shop's currency, or "XYZ 1" when Intl does not know the code. */
export function oneUnitOf(currencyCode: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode, minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(1);
  } catch {
    return `${currencyCode} 1`;
  }
}

/** "2.5 points per $1", "1 point per €1". */
export function rateSummary(earnRate: string, currencyCode: string): string {
  const unit = earnRate === "1" ? "point" : "points";
  return `${earnRate} ${unit} per ${oneUnitOf(currencyCode)}`;
}

/** A positive page number from a query parameter; 1 when absent or invalid. */
export function pageParam(value: string | null | undefined): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** value when it is one of the allowed strings, else the fallback. */
export function oneOf<T extends string>(value: string | null | undefined, allowed: readonly T[], fallback: T): T {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
