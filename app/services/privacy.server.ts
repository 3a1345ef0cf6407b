// Shopify's mandatory compliance topics.
import type { Db } from "../db.server";
import { findCustomerByShopifyId, redactCustomer } from "../models/customer.server";
import { createDataRequest } from "../models/data-request.server";
import { eraseShop } from "../models/shop.server";
import { eraseShopEmails, redactCustomerEmails } from "./email/privacy.server";
import { eraseOffersShop, redactOffersCustomer } from "./offers/privacy.server";
import { eraseRewardsForShop, redactRewardsCustomer } from "./rewards/privacy.server";
import { eraseSatisfactionShop, exportSatisfactionData, redactSatisfactionCustomer } from "./satisfaction/privacy.server";
import { gid } from "./shopify-json";
import type { CustomersDataRequestPayload, CustomersRedactPayload } from "./webhooks/payloads";

/** Everything Encore holds about one customer, for customers/data_request. */
export async function exportCustomerData(db: Db, shopId: string, shopifyCustomerId: string, orderIds: string[]) {
  const customer = await findCustomerByShopifyId(db, shopId, shopifyCustomerId);
  const awards = await db.orderAward.findMany({
    where: { shopId, OR: [{ customerId: customer?.id ?? "-" }, { orderId: { in: orderIds } }] },
    orderBy: { createdAt: "asc" },
  });
  const entries = customer
    ? await db.ledgerEntry.findMany({ where: { customerId: customer.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })
    : [];
  const satisfaction = await exportSatisfactionData(db, shopId, shopifyCustomerId, orderIds);
  return {
    generatedAt: new Date().toISOString(),
    customer: customer && {
      shopifyId: customer.shopifyId,
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      phone: customer.phone,
      tags: customer.tags,
      emailMarketingConsent: customer.emailMarketingConsent,
      locale: customer.locale,
      pointsBalance: customer.balance,
      pendingPoints: customer.pendingBalance,
      birthday: customer.birthday,
      tierChanges: await db.tierChange.findMany({
        where: { customerId: customer.id },
        orderBy: { createdAt: "asc" },
        select: { createdAt: true, fromName: true, toName: true, reason: true },
      }),
      memberSince: customer.createdAt.toISOString(),
    },
    orders: awards.map((a) => ({
      orderId: a.orderId,
      orderName: a.orderName,
      status: a.status,
      merchandiseTotal: a.merchandiseTotal,
      currencyCode: a.currencyCode,
      pointsAwarded: a.pointsAwarded,
      pointsReversed: a.pointsReversed,
      date: a.createdAt.toISOString(),
    })),
    pointsLedger: entries.map((e) => ({
      date: e.createdAt.toISOString(),
      type: e.type,
      points: e.points,
      pendingPoints: e.pendingPoints,
      balanceAfter: e.balanceAfter,
      source: e.sourceType,
      sourceId: e.sourceId,
      reason: e.reason,
    })),
    ...satisfaction,
  };
}

export async function handleDataRequest(db: Db, shopId: string, payload: CustomersDataRequestPayload) {
  const shopifyId = gid("Customer", payload.customer.id);
  const orderIds = (payload.orders_requested ?? []).map((id) => gid("Order", id));
  const data = await exportCustomerData(db, shopId, shopifyId, orderIds);
  return createDataRequest(db, {
    shopId,
    shopifyRequestId: payload.data_request?.id ?? null,
    customerShopifyId: shopifyId,
    email: payload.customer.email ?? null,
    export: data,
  });
}

/**
 * customers/redact: every feature forgets the customer first (they find the
 * customer by Shopify id), then the customer record itself is redacted, which
 * unlinks that id from the ledger.
 */
export async function handleCustomerRedact(db: Db, shopId: string, payload: CustomersRedactPayload) {
  const customerGid = gid("Customer", payload.customer.id);
  const orderIds = (payload.orders_to_redact ?? []).map((id) => gid("Order", id));
  await redactRewardsCustomer(db, shopId, customerGid);
  await redactOffersCustomer(db, shopId, payload.customer.id);
  await redactCustomerEmails(db, shopId, payload);
  await redactSatisfactionCustomer(db, shopId, customerGid, orderIds);
  return redactCustomer(db, shopId, customerGid, orderIds);
}

/** shop/redact: every feature's data of the shop, then the shop itself. */
export async function handleShopRedact(db: Db, shopId: string) {
  await eraseRewardsForShop(db, shopId);
  await eraseOffersShop(db, shopId);
  await eraseShopEmails(db, shopId);
  await eraseSatisfactionShop(db, shopId);
  return eraseShop(db, shopId);
}
