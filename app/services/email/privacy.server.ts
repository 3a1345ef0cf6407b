// The emails feature's part of Shopify's privacy webhooks: the send log and
// the suppression list hold email addresses, so they go with the customer or
// the shop. (A redacted customer is never emailed again: every email looks
// customers up with `redactedAt: null`.)
import type { Db } from "../../db.server";
import { invalidateShopData } from "../cache.server";
import { gid } from "../shopify-json";
import type { CustomersRedactPayload } from "../webhooks/payloads";

export async function redactCustomerEmails(db: Db, shopId: string, payload: CustomersRedactPayload) {
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: gid("Customer", payload.customer.id) } },
    select: { id: true },
  });
  const email = payload.customer.email?.trim();
  const byAddress = email ? [{ toAddress: email }, { toAddress: email.toLowerCase() }] : [];
  await db.emailMessage.deleteMany({ where: { shopId, OR: [...(customer ? [{ customerId: customer.id }] : []), ...byAddress] } });
  if (email) await db.emailSuppression.deleteMany({ where: { shopId, email: email.toLowerCase() } });
}

export async function eraseShopEmails(db: Db, shopId: string) {
  await db.emailMessage.deleteMany({ where: { shopId } });
  await db.emailSuppression.deleteMany({ where: { shopId } });
  await db.emailSettings.deleteMany({ where: { shopId } });
  invalidateShopData(db, shopId, "email-settings");
}
