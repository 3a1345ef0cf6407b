// Referrals end to end:
//  click   /r/<code> records the click and creates the friend's one-time code
//          (usable once; the friend is not known yet), then redirects to the
//          storefront with it applied;
//  order   the friend's first paid order carrying that code links the friend,
//          after the abuse checks (self-referral, repeat friend by customer,
//          email or shipping address), and waits out the pending window;
//  reward  a job grants the referrer's points (ledger `bonus`, one key per
//          friend) once the window has passed and the order still stands.
import { randomBytes } from "node:crypto";
import type { Db } from "../../db.server";
import { isUniqueViolation } from "../../models/errors";
import { appendEntry } from "../../models/ledger.server";
import { cachedReferralSettings, findReferralCode, getReferralSettings, referralLinkOfShopifyCustomer } from "../../models/referral.server";
import type { ShopRecord } from "../../models/shop.server";
import { getShop } from "../../models/shop.server";
import type { RewardKind } from "../rewards/catalog";
import { createDiscountCode, deterministicCode } from "../rewards/discounts.server";
import { pendingDaysOf } from "../rewards/program.server";
import type { AdminGraphql } from "../shop-details.server";
import { gid } from "../shopify-json";
import { discountCodesOf, type OrderPayload } from "../webhooks/payloads";
import { identityHash, normalizeAddress, normalizeEmail, type AddressLike } from "./identity";

const DAY_MS = 86_400_000;

export const storefrontUrl = (shopId: string, code?: string | null) =>
  code ? `https://${shopId}/discount/${encodeURIComponent(code)}?redirect=/` : `https://${shopId}/`;

export type ClickOutcome = { redirect: string; referralId: string | null };

/**
 * A friend followed a referral link. Always ends in a redirect to the
 * storefront; with the friend's code applied when one could be created.
 */
export async function recordClick(
  db: Db,
  graphqlFor: (shopId: string) => Promise<AdminGraphql>,
  code: string,
  now = new Date(),
): Promise<ClickOutcome | null> {
  const link = await findReferralCode(db, code.toLowerCase());
  if (!link) return null;
  const shop = await getShop(db, link.shopId);
  if (!shop || shop.uninstalledAt) return null;
  await db.referralCode.update({ where: { id: link.id }, data: { clicks: { increment: 1 } } });
  const settings = await getReferralSettings(db, shop.id);
  if (!settings.enabled) return { redirect: storefrontUrl(shop.id), referralId: null };

  // The token travels in the code itself: no cookie is needed to recognise
  // the friend's order later.
  const token = randomBytes(12).toString("hex");
  const discountCode = deterministicCode("FRIEND", shop.id, token);
  const referral = await db.referral.create({
    data: { shopId: shop.id, referralCodeId: link.id, referrerId: link.customerId, token, discountCode, status: "clicked" },
  });
  let graphql: AdminGraphql;
  try {
    graphql = await graphqlFor(shop.id);
  } catch {
    return { redirect: storefrontUrl(shop.id), referralId: referral.id };
  }
  const outcome = await createDiscountCode(graphql, {
    title: "Encore referral: friend's welcome discount",
    code: discountCode,
    kind: settings.friendDiscountKind as RewardKind,
    value: settings.friendDiscountValue,
    productId: null,
    minimumSubtotal: settings.friendMinimumSubtotal,
    startsAt: now,
    endsAt: new Date(now.getTime() + settings.friendCodeExpiryDays * DAY_MS),
    customerGid: null,
  });
  if (outcome.status !== "created") {
    // No code: the friend still reaches the store, without the discount.
    await db.referral.update({ where: { id: referral.id }, data: { discountCode: null, rejectReason: `code not created: ${outcome.message}`.slice(0, 500) } });
    return { redirect: storefrontUrl(shop.id), referralId: referral.id };
  }
  await db.referral.update({ where: { id: referral.id }, data: { discountId: outcome.discountId } });
  return { redirect: storefrontUrl(shop.id, discountCode), referralId: referral.id };
}

function shippingAddressOf(order: OrderPayload): AddressLike | null {
  const a = order.shipping_address;
  return a && typeof a === "object" ? (a as AddressLike) : null;
}

function identitiesOf(order: OrderPayload) {
  const email = normalizeEmail(order.email ?? order.customer?.email ?? null);
  const address = normalizeAddress(shippingAddressOf(order));
  return {
    email: email ? identityHash("email", email) : null,
    address: address ? identityHash("address", address) : null,
  };
}

/** Remembers a referrer's own email and addresses (hashed), to spot self-referrals. */
async function rememberReferrer(db: Db, shopId: string, customerShopifyId: string, order: OrderPayload) {
  const link = await referralLinkOfShopifyCustomer(db, shopId, customerShopifyId);
  if (!link) return;
  const ids = identitiesOf(order);
  const known = new Set(JSON.parse(link.identityHashes) as string[]);
  const before = known.size;
  for (const h of [ids.email, ids.address]) if (h) known.add(h);
  if (known.size !== before) {
    await db.referralCode.update({ where: { id: link.id }, data: { identityHashes: JSON.stringify([...known].slice(-20)) } });
  }
}

export type OrderOutcome = { referral: "none" } | { referral: "ordered" | "completed" | "rejected"; reason?: string };

/** orders/paid: links a friend's first order to its referral, or refuses it. */
export async function trackReferralOrder(
  db: Db,
  shop: ShopRecord,
  order: OrderPayload,
  now = new Date(),
  codes = discountCodesOf(order),
): Promise<OrderOutcome> {
  const shopifyId = order.customer ? gid("Customer", order.customer.id) : null;
  // Referrers exist only while the program is on (most shops never turn it on).
  if (shopifyId && (await cachedReferralSettings(db, shop.id)).enabled) await rememberReferrer(db, shop.id, shopifyId, order);

  if (!codes.length) return { referral: "none" };
  const referral = await db.referral.findFirst({ where: { shopId: shop.id, discountCode: { in: codes } } });
  if (!referral || referral.status !== "clicked") return { referral: "none" };
  const orderCustomer = shopifyId ? await db.customer.findUnique({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId } } }) : null;

  const orderId = gid("Order", order.id);
  const ids = identitiesOf(order);
  const reject = async (reason: string) => {
    await db.referral.updateMany({
      where: { id: referral.id, status: "clicked" },
      data: { status: "rejected", rejectReason: reason, orderId, friendCustomerId: orderCustomer?.id ?? null, friendEmail: ids.email, friendAddress: ids.address },
    });
    return { referral: "rejected", reason } as const;
  };

  // Self-referral: the referrer's own account, email or address.
  const referrer = await db.customer.findUnique({ where: { id: referral.referrerId } });
  const link = await db.referralCode.findUnique({ where: { id: referral.referralCodeId } });
  const referrerHashes = new Set<string>(link ? (JSON.parse(link.identityHashes) as string[]) : []);
  const referrerEmail = normalizeEmail(referrer?.email);
  if (referrerEmail) referrerHashes.add(identityHash("email", referrerEmail));
  if (!orderCustomer) return reject("guest checkout: the friend has no account");
  if (orderCustomer.id === referral.referrerId) return reject("self-referral: same customer");
  if (ids.email && referrerHashes.has(ids.email)) return reject("self-referral: same email");
  if (ids.address && referrerHashes.has(ids.address)) return reject("self-referral: same shipping address");

  // Repeat friend: already referred (by anyone), by account, email or address.
  const same = [
    { friendCustomerId: orderCustomer.id },
    ...(ids.email ? [{ friendEmail: ids.email }] : []),
    ...(ids.address ? [{ friendAddress: ids.address }] : []),
  ];
  const earlier = await db.referral.findFirst({
    where: { shopId: shop.id, id: { not: referral.id }, status: { in: ["ordered", "completed"] }, OR: same },
  });
  if (earlier) return reject("repeat friend: already referred");

  // A friend is a new customer: no earlier order than this one.
  const earlierOrders = await db.orderAward.count({ where: { shopId: shop.id, customerId: orderCustomer.id, orderId: { not: orderId } } });
  if (earlierOrders > 0) return reject("not a new customer");

  const dueAt = new Date(now.getTime() + pendingDaysOf(shop) * DAY_MS);
  const { count } = await db.referral.updateMany({
    where: { id: referral.id, status: "clicked" },
    data: { status: "ordered", orderId, friendCustomerId: orderCustomer.id, friendEmail: ids.email, friendAddress: ids.address, dueAt },
  });
  if (count !== 1) return { referral: "none" };
  if (dueAt <= now) {
    await completeReferral(db, referral.id, now);
    return { referral: "completed" };
  }
  return { referral: "ordered" };
}

/** Grants the referrer's points for one referral whose window has passed, once. */
export async function completeReferral(db: Db, referralId: string, now = new Date()) {
  const referral = await db.referral.findUnique({ where: { id: referralId } });
  if (!referral || referral.status !== "ordered" || !referral.dueAt || referral.dueAt > now) return "skipped" as const;
  const award = referral.orderId
    ? await db.orderAward.findUnique({ where: { shopId_orderId: { shopId: referral.shopId, orderId: referral.orderId } } })
    : null;
  // The order must still stand: not cancelled, not entirely refunded.
  if (award && (award.status === "cancelled" || (award.pointsAwarded > 0 && award.pointsReversed >= award.pointsAwarded))) {
    await db.referral.updateMany({ where: { id: referral.id, status: "ordered" }, data: { status: "rejected", rejectReason: "the friend's order was cancelled or refunded" } });
    return "rejected" as const;
  }
  const shop = await getShop(db, referral.shopId);
  const settings = await getReferralSettings(db, referral.shopId);
  const referrer = await db.customer.findUnique({ where: { id: referral.referrerId } });
  if (!shop || !referrer || referrer.redactedAt) {
    await db.referral.updateMany({ where: { id: referral.id, status: "ordered" }, data: { status: "rejected", rejectReason: "the referrer's account is gone" } });
    return "rejected" as const;
  }
  const points = settings.referrerPoints;
  try {
    await db.$transaction(async (tx) => {
      const { count } = await tx.referral.updateMany({
        where: { id: referral.id, status: "ordered" },
        data: { status: "completed", completedAt: now, pointsGranted: points },
      });
      if (count !== 1) return;
      if (points > 0) {
        await appendEntry(tx, {
          shopId: referral.shopId,
          customerId: referrer.id,
          type: "bonus",
          points,
          sourceType: "referral",
          sourceId: referral.id,
          // One bonus per friend, whatever link or click they came through.
          idempotencyKey: `referral:${referral.friendCustomerId ?? referral.id}`,
          reason: "Referral: a friend's first order",
          allowNegative: shop.allowNegativeBalance,
        });
      }
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await db.referral.updateMany({ where: { id: referral.id, status: "ordered" }, data: { status: "rejected", rejectReason: "repeat friend: already rewarded" } });
    return "rejected" as const;
  }
  return "completed" as const;
}

/** The job body: every referral whose pending window has passed. */
export async function completeDueReferrals(db: Db, now: Date, take = 200) {
  const due = await db.referral.findMany({
    where: { status: "ordered", dueAt: { lte: now } },
    orderBy: { dueAt: "asc" },
    take,
    select: { id: true },
  });
  const results = { completed: 0, rejected: 0 };
  for (const { id } of due) {
    const outcome = await completeReferral(db, id, now);
    if (outcome !== "skipped") results[outcome]++;
  }
  return results;
}
