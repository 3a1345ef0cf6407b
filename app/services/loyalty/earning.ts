// How many points an order earns, and how many a refund takes back. Pure.
//
// Earning base: the order's merchandise after discounts, in shop currency —
// line price × quantity, less every discount allocated to the line, less the
// line's taxes when prices include tax. Shipping, taxes, tips and gift-card
// purchases earn nothing. Points = base × rate, rounded once per order.
import { divide, formatMilli, parseRate, toMilli, type Rounding } from "../money";
import type { OrderPayload } from "../webhooks/payloads";

export interface EarningSettings {
  earnRate: string;
  earnRounding: Rounding;
}

/** One line of the snapshot stored with an award. net is in milli (string for JSON). */
export interface AwardLine {
  id: string;
  quantity: number;
  net: string;
  /**
   * The line's share of the order's points (an exact numerator over a common
   * denominator, see ./rules.ts), so that reversals follow what each line
   * earned under the rules of the day. Absent on older snapshots: net is used.
   */
  weight?: string;
}

export interface Earning {
  merchandiseTotal: string;
  points: number;
  lines: AwardLine[];
}

type Line = OrderPayload["line_items"][number];

const shopAmount = (plain: string | undefined, set?: { shop_money?: { amount: string } } | null) =>
  toMilli(set?.shop_money?.amount ?? plain);

export function lineNetMilli(line: Line, taxesIncluded: boolean): bigint {
  const gross = shopAmount(line.price, line.price_set) * BigInt(line.quantity);
  const discounts = (line.discount_allocations ?? []).reduce((sum, d) => sum + shopAmount(d.amount, d.amount_set), 0n);
  const taxes = taxesIncluded ? (line.tax_lines ?? []).reduce((sum, t) => sum + shopAmount(t.price, t.price_set), 0n) : 0n;
  const net = gross - discounts - taxes;
  return net > 0n ? net : 0n;
}

export function computeEarning(order: Pick<OrderPayload, "line_items" | "taxes_included">, settings: EarningSettings): Earning {
  const lines: AwardLine[] = [];
  let total = 0n;
  for (const line of order.line_items) {
    if (line.gift_card) continue;
    const net = lineNetMilli(line, Boolean(order.taxes_included));
    lines.push({ id: line.id, quantity: line.quantity, net: net.toString() });
    total += net;
  }
  return { merchandiseTotal: formatMilli(total), points: pointsFor(total, settings), lines };
}

export function pointsFor(merchandiseMilli: bigint, { earnRate, earnRounding }: EarningSettings): number {
  const rate = parseRate(earnRate);
  return Number(divide(merchandiseMilli * rate.num, rate.den * 1000n, earnRounding));
}

/**
 * The cumulative points owed back once the given quantities of the award's
 * lines have been refunded: the refunded share of the merchandise that earned,
 * applied to what the order actually earned. Rounded down, so that the
 * customer keeps the benefit of rounding until everything is refunded, when it
 * is exactly what was awarded.
 */
export function reversalTarget(pointsAwarded: number, lines: AwardLine[], refundedQuantities: Map<string, number>): number {
  let total = 0n;
  let refunded = 0n;
  // Lines weighted by what they earned; by merchandise when the snapshot has
  // no weights or they are all zero (e.g. only a first-order bonus earned).
  const weighted = lines.some((l) => l.weight !== undefined && BigInt(l.weight) > 0n);
  for (const line of lines) {
    const net = weighted ? BigInt(line.weight ?? "0") : BigInt(line.net);
    total += net;
    const qty = Math.min(refundedQuantities.get(line.id) ?? 0, line.quantity);
    if (qty > 0 && line.quantity > 0) refunded += (net * BigInt(qty)) / BigInt(line.quantity);
  }
  if (total === 0n || pointsAwarded === 0) return 0;
  const fullyRefunded = lines.every((l) => (refundedQuantities.get(l.id) ?? 0) >= l.quantity);
  if (fullyRefunded || refunded >= total) return pointsAwarded;
  return Number((BigInt(pointsAwarded) * refunded) / total);
}

/** Merchandise (milli) refunded once the given quantities of the award's lines are refunded. */
export function refundedMerchandise(lines: AwardLine[], refundedQuantities: Map<string, number>): bigint {
  let refunded = 0n;
  for (const line of lines) {
    const qty = Math.min(refundedQuantities.get(line.id) ?? 0, line.quantity);
    if (qty > 0 && line.quantity > 0) refunded += (BigInt(line.net) * BigInt(qty)) / BigInt(line.quantity);
  }
  return refunded;
}
