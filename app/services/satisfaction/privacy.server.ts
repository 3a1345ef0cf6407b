// The satisfaction features' part of Shopify's compliance topics: survey
// answers, inbox threads and return requests hold personal data.
import type { Db } from "../../db.server";

async function customerIdOf(db: Db, shopId: string, shopifyId: string) {
  const customer = await db.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } }, select: { id: true } });
  return customer?.id ?? null;
}

/** customers/data_request: the customer's answers and requests. */
export async function exportSatisfactionData(db: Db, shopId: string, shopifyId: string, orderIds: string[]) {
  const customerId = await customerIdOf(db, shopId, shopifyId);
  const byCustomer = [{ customerShopifyId: shopifyId }, { orderId: { in: orderIds } }, ...(customerId ? [{ customerId }] : [])];
  const [responses, requests] = await Promise.all([
    db.surveyResponse.findMany({ where: { shopId, OR: byCustomer }, orderBy: { createdAt: "asc" } }),
    db.returnRequest.findMany({ where: { shopId, OR: [{ customerShopifyId: shopifyId }, { orderId: { in: orderIds } }] }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    surveyAnswers: responses.map((r) => ({ orderId: r.orderId, orderName: r.orderName, scale: r.scale, score: r.score, comment: r.comment, source: r.source, date: r.createdAt.toISOString() })),
    returnRequests: requests.map((r) => ({ orderId: r.orderId, orderName: r.orderName, resolution: r.resolution, reason: r.reason, note: r.note, status: r.status, declineReason: r.declineReason, date: r.createdAt.toISOString() })),
  };
}

/**
 * customers/redact: follow-up threads and return requests go; survey scores
 * stay for the shop's figures but lose the comment and every link to the customer.
 * Runs before the customer record itself is redacted (it finds them by Shopify id).
 */
export async function redactSatisfactionCustomer(db: Db, shopId: string, shopifyId: string, orderIds: string[]) {
  const customerId = await customerIdOf(db, shopId, shopifyId);
  const mine = [{ customerShopifyId: shopifyId }, { orderId: { in: orderIds } }, ...(customerId ? [{ customerId }] : [])];
  // Messages explicitly: SQLite does not always enforce the cascade.
  await db.$transaction([
    db.inboxMessage.deleteMany({ where: { item: { shopId, OR: mine } } }),
    db.inboxItem.deleteMany({ where: { shopId, OR: mine } }),
    db.returnRequest.deleteMany({ where: { shopId, OR: [{ customerShopifyId: shopifyId }, { orderId: { in: orderIds } }] } }),
    db.surveyResponse.updateMany({ where: { shopId, OR: mine }, data: { customerId: null, customerShopifyId: null, comment: null, orderName: null } }),
  ]);
}

/** shop/redact: everything the satisfaction features hold for the shop. */
export async function eraseSatisfactionShop(db: Db, shopId: string) {
  await db.$transaction([
    db.inboxMessage.deleteMany({ where: { item: { shopId } } }),
    db.inboxItem.deleteMany({ where: { shopId } }),
    db.returnRequest.deleteMany({ where: { shopId } }),
    db.surveyResponse.deleteMany({ where: { shopId } }),
    db.satisfactionSettings.deleteMany({ where: { shopId } }),
  ]);
}
