// Exact money arithmetic. Amounts are held as bigint thousandths of a currency
// unit ("milli"), which is exact for every ISO 4217 currency (0 to 3 decimal
// places) and never goes through floating point.

export const MILLI = 1000n;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** "45.62" → 45620n. Accepts the strings Shopify sends and plain numbers. */
export function toMilli(amount: string | number | null | undefined): bigint {
  if (amount === null || amount === undefined || amount === "") return 0n;
  const text = typeof amount === "number" ? amount.toFixed(3) : amount.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new Error(`Not a decimal amount: "${amount}"`);
  const [, sign, whole, fraction = ""] = match;
  const milli = BigInt(whole) * MILLI + BigInt((fraction + "000").slice(0, 3));
  return sign ? -milli : milli;
}

/** 45620n → "45.62" (at least two decimals, three when needed). */
export function formatMilli(milli: bigint): string {
  const negative = milli < 0n;
  const abs = negative ? -milli : milli;
  const whole = abs / MILLI;
  let fraction = (abs % MILLI).toString().padStart(3, "0");
  if (fraction.endsWith("0")) fraction = fraction.slice(0, 2);
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

export interface Ratio {
  num: bigint;
  den: bigint;
}

/** A non-negative decimal string ("2.5") as an exact ratio (25/10). */
export function parseRate(rate: string): Ratio {
  const match = DECIMAL.exec(rate.trim());
  if (!match || match[1]) throw new Error(`Not a non-negative decimal: "${rate}"`);
  const [, , whole, fraction = ""] = match;
  return { num: BigInt(whole + fraction), den: 10n ** BigInt(fraction.length) };
}

export const ROUNDINGS = ["floor", "round", "ceil"] as const;
export type Rounding = (typeof ROUNDINGS)[number];

/** num/den for non-negative operands, rounded as asked (round = half up). */
export function divide(num: bigint, den: bigint, rounding: Rounding): bigint {
  if (den <= 0n || num < 0n) throw new Error("divide expects num ≥ 0 and den > 0");
  switch (rounding) {
    case "floor":
      return num / den;
    case "ceil":
      return (num + den - 1n) / den;
    case "round":
      return (2n * num + den) / (2n * den);
  }
}

export function formatMoney(amount: string, currencyCode: string, locale = "en-US"): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode }).format(Number(amount));
  } catch {
    return `${amount} ${currencyCode}`;
  }
}
