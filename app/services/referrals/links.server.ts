// Each member's referral link: /r/<code> on the app, the code random and
// globally unique (the link names no shop).
import { randomBytes } from "node:crypto";
import type { Db } from "../../db.server";
import { isUniqueViolation } from "../../models/errors";
import { getReferralSettings } from "../../models/referral.server";

const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

export function newReferralCode(): string {
  const bytes = randomBytes(10);
  let out = "";
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export async function referralCodeFor(db: Db, shopId: string, customerId: string) {
  for (let attempt = 0; ; attempt++) {
    const existing = await db.referralCode.findUnique({ where: { shopId_customerId: { shopId, customerId } } });
    if (existing) return existing;
    try {
      return await db.referralCode.create({ data: { shopId, customerId, code: newReferralCode() } });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt > 3) throw error;
    }
  }
}

/** The member's link and what it offers, or null when the shop's program is off. */
export async function referralLinkFor(db: Db, shopId: string, customerId: string, appUrl: string) {
  const settings = await getReferralSettings(db, shopId);
  if (!settings.enabled) return null;
  const { code } = await referralCodeFor(db, shopId, customerId);
  return {
    url: `${appUrl.replace(/\/$/, "")}/r/${code}`,
    referrerPoints: settings.referrerPoints,
    friendDiscountKind: settings.friendDiscountKind,
    friendDiscountValue: settings.friendDiscountValue,
  };
}
