// Bonuses outside orders: the sign-up bonus (customers/create, once per
// customer) and the birthday bonus (a daily job, once per customer and year).
// Both are spendable at once and keyed so a replay writes nothing.
import type { Db } from "../../db.server";
import { findCustomerByShopifyId } from "../../models/customer.server";
import { isUniqueViolation } from "../../models/errors";
import { appendEntry, entryExists } from "../../models/ledger.server";
import { activeShops, type ShopRecord } from "../../models/shop.server";
import { gid } from "../shopify-json";
import type { CustomerPayload } from "../webhooks/payloads";
import { parseTags } from "./rules";

const excluded = (shop: ShopRecord, tags: string) => {
  const out = parseTags(shop.excludedCustomerTags).map((t) => t.toLowerCase());
  return parseTags(tags).some((t) => out.includes(t.toLowerCase()));
};

async function grant(db: Db, shop: ShopRecord, customerId: string, points: number, key: string, reason: string, at?: Date) {
  if (await entryExists(db, shop.id, key)) return false;
  try {
    await db.$transaction((tx) =>
      appendEntry(tx, {
        shopId: shop.id,
        customerId,
        type: "bonus",
        points,
        sourceType: "program",
        idempotencyKey: key,
        reason,
        allowNegative: shop.allowNegativeBalance,
        at,
      }),
    );
    return true;
  } catch (error) {
    // A concurrent twin granted it first.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** customers/create: the sign-up bonus, once per customer (key signup:<customer gid>). */
export async function awardSignupBonus(db: Db, shop: ShopRecord, payload: CustomerPayload) {
  if (shop.signupBonus <= 0) return { status: "off" };
  const shopifyId = gid("Customer", payload.id);
  const customer = await findCustomerByShopifyId(db, shop.id, shopifyId);
  if (!customer || customer.redactedAt) return { status: "no-customer" };
  if (excluded(shop, customer.tags)) return { status: "excluded" };
  const granted = await grant(db, shop, customer.id, shop.signupBonus, `signup:${shopifyId}`, "Sign-up bonus");
  return granted ? { status: "awarded", points: shop.signupBonus } : { status: "duplicate" };
}

/** The "MM-DD" birthdays celebrated on `now`'s UTC date (29 Feb is celebrated on 28 Feb in other years). */
export function birthdaysOn(now: Date): string[] {
  const mmdd = now.toISOString().slice(5, 10);
  const year = now.getUTCFullYear();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return mmdd === "02-28" && !leap ? ["02-28", "02-29"] : [mmdd];
}

/** The daily job: birthday bonuses due today, once per customer per year (key birthday:<customer>:<year>). */
export async function awardBirthdayBonuses(db: Db, now: Date): Promise<number> {
  let granted = 0;
  const year = now.getUTCFullYear();
  for (const shop of await activeShops(db, { birthdayBonus: { gt: 0 } })) {
    const customers = await db.customer.findMany({
      where: { shopId: shop.id, redactedAt: null, birthday: { in: birthdaysOn(now) } },
      select: { id: true, tags: true },
    });
    for (const c of customers) {
      if (excluded(shop, c.tags)) continue;
      if (await grant(db, shop, c.id, shop.birthdayBonus, `birthday:${c.id}:${year}`, `Birthday bonus ${year}`, now)) granted++;
    }
  }
  return granted;
}
