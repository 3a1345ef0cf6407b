// The rewards and referrals part of the compliance topics. Runs before the
// loyalty program's own redaction (which unlinks the customer's identity).
import type { Db } from "../../db.server";
import { findCustomerByShopifyId } from "../../models/customer.server";

/** customers/redact: the hashed email/address kept for abuse checks goes; codes stay (they hold no personal data). */
export async function redactRewardsCustomer(db: Db, shopId: string, customerGid: string) {
  const customer = await findCustomerByShopifyId(db, shopId, customerGid);
  if (!customer) return;
  await db.$transaction([
    db.referral.updateMany({ where: { shopId, friendCustomerId: customer.id }, data: { friendEmail: null, friendAddress: null } }),
    db.referralCode.updateMany({ where: { shopId, customerId: customer.id }, data: { identityHashes: "[]" } }),
    db.metafieldSync.deleteMany({ where: { customerId: customer.id } }),
  ]);
}

/** shop/redact: everything the rewards feature holds for the shop. */
export async function eraseRewardsForShop(db: Db, shopId: string) {
  await db.$transaction([
    db.redemption.deleteMany({ where: { shopId } }),
    db.reward.deleteMany({ where: { shopId } }),
    db.metafieldSync.deleteMany({ where: { shopId } }),
    db.referral.deleteMany({ where: { shopId } }),
    db.referralCode.deleteMany({ where: { shopId } }),
    db.referralSettings.deleteMany({ where: { shopId } }),
  ]);
}
