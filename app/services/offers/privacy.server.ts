// The offers feature's part of the compliance webhooks.
//
// customers/redact: the co-purchase statistics are per customer, so the
// customer's key is replaced by an opaque one (the counts stay true, the link
// to the person is gone); their offer views and clicks lose the customer id.
// shop/redact: everything the feature holds for the shop is deleted.
import { randomUUID } from "node:crypto";
import type { Db } from "../../db.server";
import { invalidateCatalog } from "../../models/offers.server";
import { invalidateShopData } from "../cache.server";

export async function redactOffersCustomer(db: Db, shopId: string, customerId: string | number) {
  const key = String(customerId).startsWith("gid://") ? String(customerId) : `gid://shopify/Customer/${customerId}`;
  const anonymous = `redacted:${randomUUID()}`;
  await db.$transaction([
    db.purchaseHistoryOrder.updateMany({ where: { shopId, buyerKey: key }, data: { buyerKey: anonymous } }),
    db.purchaseBuyerProduct.updateMany({ where: { shopId, buyerKey: key }, data: { buyerKey: anonymous } }),
    db.offerEvent.updateMany({ where: { shopId, customerId: key }, data: { customerId: null } }),
  ]);
}

export async function eraseOffersShop(db: Db, shopId: string) {
  await db.$transaction([
    db.catalogProduct.deleteMany({ where: { shopId } }),
    db.catalogVariant.deleteMany({ where: { shopId } }),
    db.offerSyncState.deleteMany({ where: { shopId } }),
    db.purchaseHistoryOrder.deleteMany({ where: { shopId } }),
    db.purchaseBuyerProduct.deleteMany({ where: { shopId } }),
    db.purchaseProductStat.deleteMany({ where: { shopId } }),
    db.purchasePair.deleteMany({ where: { shopId } }),
    db.productRecommendation.deleteMany({ where: { shopId } }),
    db.offer.deleteMany({ where: { shopId } }),
    db.offerSettings.deleteMany({ where: { shopId } }),
    db.offerEvent.deleteMany({ where: { shopId } }),
    db.offerConversion.deleteMany({ where: { shopId } }),
    db.offerTest.deleteMany({ where: { shopId } }),
  ]);
  invalidateShopData(db, shopId);
  invalidateCatalog(db, shopId);
}
