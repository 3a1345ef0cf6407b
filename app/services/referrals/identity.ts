// Recognising the same person behind different referrals: emails and
// shipping addresses are normalized, then hashed (only the hashes are kept).
import { createHash } from "node:crypto";

/** "J.Doe+promo@GoogleMail.com " → "jdoe@gmail.com". */
export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = (email ?? "").trim().toLowerCase();
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1) return null;
  let local = trimmed.slice(0, at);
  let domain = trimmed.slice(at + 1);
  local = local.split("+")[0];
  if (domain === "googlemail.com") domain = "gmail.com";
  if (domain === "gmail.com") local = local.replace(/\./g, "");
  return local ? `${local}@${domain}` : null;
}

const WORDS: Record<string, string> = {
  street: "st",
  avenue: "ave",
  road: "rd",
  drive: "dr",
  boulevard: "blvd",
  lane: "ln",
  court: "ct",
  place: "pl",
  apartment: "apt",
  suite: "ste",
  unit: "apt",
  north: "n",
  south: "s",
  east: "e",
  west: "w",
};

export interface AddressLike {
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  country_code?: string | null;
  country?: string | null;
}

/** Street, unit, city, postcode and country, case/punctuation/abbreviation-insensitive. */
export function normalizeAddress(a: AddressLike | null | undefined): string | null {
  if (!a || !a.address1) return null;
  const words = (s: string | null | undefined) =>
    (s ?? "")
      .toLowerCase()
      .replace(/[#.,/\\'"-]/g, " ")
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => WORDS[w] ?? w)
      .join(" ");
  const zip = (a.zip ?? "").toUpperCase().replace(/\s+/g, "");
  const country = (a.country_code ?? a.country ?? "").toUpperCase().trim();
  return [words(a.address1), words(a.address2), words(a.city), zip, country].join("|");
}

export const identityHash = (kind: "email" | "address", normalized: string) =>
  createHash("sha256").update(`${kind}:${normalized}`).digest("hex");
