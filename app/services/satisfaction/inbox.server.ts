// The follow-up inbox: low scores and refund/exchange requests land here; the
// merchant replies by email, notes, resolves/reopens, or grants goodwill points.
import type { Db, Tx } from "../../db.server";
import { isUniqueViolation } from "../../models/errors";
import { appendEntry } from "../../models/ledger.server";
import { notificationAddress, productsOf, type SatisfactionSettings } from "../../models/satisfaction.server";
import { textToHtml, type Notify } from "./mail.server";
import { SCALE_RANGE, type Scale } from "./settings";

export class InboxError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

const appUrl = () => (process.env.SHOPIFY_APP_URL || "").replace(/\/$/, "");
export const inboxLink = (itemId: string) => `${appUrl()}/app/inbox/${itemId}`;

const nameOf = (c: { firstName: string | null; lastName: string | null } | null) =>
  c ? [c.firstName, c.lastName].filter(Boolean).join(" ") || null : null;

interface ResponseLike {
  id: string;
  shopId: string;
  orderId: string;
  orderName: string | null;
  customerId: string | null;
  customerShopifyId: string | null;
  scale: string;
  score: number;
  comment: string | null;
  products: string;
}

/**
 * Opens (once per order) the follow-up for a low score and tells the merchant.
 * A second low answer for the same order adds to the existing thread.
 */
export async function openLowScoreItem(db: Db, settings: SatisfactionSettings, response: ResponseLike, notify: Notify) {
  const customer = response.customerId ? await db.customer.findUnique({ where: { id: response.customerId } }) : null;
  const max = SCALE_RANGE[(response.scale as Scale) ?? "csat"]?.max ?? 5;
  const order = response.orderName ?? response.orderId;
  const summary = `Scored ${response.score}/${max} on order ${order}`;
  const sourceKey = `survey:${response.orderId}`;
  const existing = await db.inboxItem.findUnique({ where: { shopId_sourceKey: { shopId: response.shopId, sourceKey } } });
  if (existing) {
    await db.inboxItem.update({
      where: { id: existing.id },
      data: { score: response.score, summary, status: "open", resolvedAt: null, messages: { create: { kind: "event", body: `The customer changed their answer to ${response.score}/${max}.` } } },
    });
    if (response.comment) await db.inboxMessage.create({ data: { itemId: existing.id, kind: "comment", body: response.comment } });
    return { item: existing, created: false };
  }
  let item;
  try {
    item = await db.inboxItem.create({
      data: {
        shopId: response.shopId,
        kind: "low_score",
        sourceKey,
        orderId: response.orderId,
        orderName: response.orderName,
        customerId: response.customerId,
        customerShopifyId: response.customerShopifyId,
        customerEmail: customer?.email ?? null,
        customerName: nameOf(customer),
        score: response.score,
        summary,
        items: JSON.stringify(productsOf(response)),
        messages: response.comment ? { create: { kind: "comment", body: response.comment } } : undefined,
      },
    });
  } catch (error) {
    // A concurrent submit opened it first.
    if (isUniqueViolation(error)) return { item: await db.inboxItem.findUniqueOrThrow({ where: { shopId_sourceKey: { shopId: response.shopId, sourceKey } } }), created: false };
    throw error;
  }

  const to = await notificationAddress(db, response.shopId, settings);
  if (to) {
    const who = nameOf(customer) ?? customer?.email ?? "A customer";
    const products = productsOf(response).map((p) => p.title);
    const text = [
      `${who} scored order ${order} ${response.score}/${max}.`,
      products.length ? `Items: ${products.join(", ")}` : "",
      response.comment ? `Their comment:\n"${response.comment}"` : "They left no comment.",
      `Follow up in Encore: ${inboxLink(item.id)}`,
    ]
      .filter(Boolean)
      .join("\n\n");
    await notify(
      {
        to,
        subject: `Low score (${response.score}/${max}) on order ${order}`,
        text,
        html: textToHtml(text),
        ...(customer?.email ? { replyTo: customer.email } : {}),
      },
      { kind: "satisfaction.low_score", key: `low_score:${response.orderId}`, ...(response.customerId ? { customerId: response.customerId } : {}) },
    );
  }
  return { item, created: true };
}

/** A later, better answer to a followed-up order is recorded in its thread. */
export async function noteAnswerChanged(db: Db, response: ResponseLike) {
  const item = await db.inboxItem.findUnique({ where: { shopId_sourceKey: { shopId: response.shopId, sourceKey: `survey:${response.orderId}` } } });
  if (!item) return;
  const max = SCALE_RANGE[(response.scale as Scale) ?? "csat"]?.max ?? 5;
  await db.inboxItem.update({
    where: { id: item.id },
    data: { score: response.score, messages: { create: { kind: "event", body: `The customer changed their answer to ${response.score}/${max}.` } } },
  });
}

// ─── Reading ────────────────────────────────────────────────────────────────

export type InboxFilter = "open" | "low_score" | "return_request" | "resolved" | "all";
export const INBOX_FILTERS: InboxFilter[] = ["open", "low_score", "return_request", "resolved", "all"];

function filterWhere(shopId: string, filter: InboxFilter) {
  switch (filter) {
    case "open":
      return { shopId, status: "open" };
    case "resolved":
      return { shopId, status: "resolved" };
    case "low_score":
    case "return_request":
      return { shopId, kind: filter };
    default:
      return { shopId };
  }
}

export async function listInbox(db: Db, shopId: string, filter: InboxFilter, { page = 1, pageSize = 25 } = {}) {
  const where = filterWhere(shopId, filter);
  const [items, total, open] = await Promise.all([
    db.inboxItem.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (Math.max(1, page) - 1) * pageSize,
      take: pageSize,
    }),
    db.inboxItem.count({ where }),
    db.inboxItem.count({ where: { shopId, status: "open" } }),
  ]);
  return { items, total, open, page, pageSize };
}

/** One item with its thread, the return request (if any) and the customer's history. */
export async function inboxItemDetail(db: Db, shopId: string, id: string) {
  const item = await db.inboxItem.findFirst({
    where: { id, shopId },
    include: { messages: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
  });
  if (!item) return null;
  const [returnRequest, history] = await Promise.all([
    item.returnRequestId ? db.returnRequest.findFirst({ where: { id: item.returnRequestId, shopId } }) : null,
    item.customerId ? customerHistory(db, shopId, item.customerId) : null,
  ]);
  return { item, returnRequest, history };
}

/** The customer's history with the shop, from Encore's own records. */
export async function customerHistory(db: Db, shopId: string, customerId: string) {
  const customer = await db.customer.findFirst({ where: { id: customerId, shopId } });
  if (!customer) return null;
  const [orders, orderCount, earned, responses] = await Promise.all([
    db.orderAward.findMany({ where: { shopId, customerId }, orderBy: { createdAt: "desc" }, take: 10 }),
    db.orderAward.count({ where: { shopId, customerId } }),
    db.ledgerEntry.aggregate({ where: { customerId, points: { gt: 0 } }, _sum: { points: true } }),
    db.surveyResponse.findMany({ where: { shopId, customerId }, orderBy: { createdAt: "desc" }, take: 10 }),
  ]);
  return {
    customer: { id: customer.id, name: nameOf(customer), email: customer.email, balance: customer.balance },
    orderCount,
    pointsEarned: earned._sum.points ?? 0,
    orders: orders.map((o) => ({ orderId: o.orderId, orderName: o.orderName, total: o.merchandiseTotal, currencyCode: o.currencyCode, status: o.status, createdAt: o.createdAt })),
    responses: responses.map((r) => ({ orderId: r.orderId, orderName: r.orderName, score: r.score, scale: r.scale, createdAt: r.createdAt })),
  };
}

// ─── Actions ────────────────────────────────────────────────────────────────

async function itemOf(db: Db | Tx, shopId: string, id: string) {
  const item = await db.inboxItem.findFirst({ where: { id, shopId } });
  if (!item) throw new InboxError("This inbox item no longer exists.", undefined, 404);
  return item;
}

function text(raw: unknown, field: string, max: number, what: string) {
  const value = String(raw ?? "").trim();
  if (!value) throw new InboxError(`Write ${what} first.`, field);
  if (value.length > max) throw new InboxError(`Keep it under ${max} characters.`, field);
  return value;
}

export async function addNote(db: Db, shopId: string, id: string, body: unknown, actor: string) {
  await itemOf(db, shopId, id);
  const note = text(body, "note", 5000, "a note");
  return db.inboxMessage.create({ data: { itemId: id, kind: "note", body: note, actor } });
}

/** Emails the customer and records the reply in the thread (sent once per request id). */
export async function replyToCustomer(
  db: Db,
  shopId: string,
  id: string,
  input: { subject?: unknown; body: unknown; actor: string; requestId: string },
  notify: Notify,
) {
  const item = await itemOf(db, shopId, id);
  if (!item.customerEmail) throw new InboxError("We have no email address for this customer, so a reply cannot be sent.", "reply", 409);
  const body = text(input.body, "reply", 10_000, "a reply");
  const subject = String(input.subject ?? "").trim() || `About your order ${item.orderName ?? ""}`.trim();
  if (subject.length > 200) throw new InboxError("Keep the subject under 200 characters.", "subject");
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { email: true } });
  await notify(
    { to: item.customerEmail, subject, text: body, html: textToHtml(body), ...(shop?.email ? { replyTo: shop.email } : {}) },
    { kind: "satisfaction.reply", key: `reply:${id}:${input.requestId}`, ...(item.customerId ? { customerId: item.customerId } : {}) },
  );
  return db.inboxMessage.create({ data: { itemId: id, kind: "reply", body: `${subject}\n\n${body}`, emailTo: item.customerEmail, actor: input.actor } });
}

export async function setStatus(db: Db, shopId: string, id: string, status: "open" | "resolved", actor: string) {
  const item = await itemOf(db, shopId, id);
  if (item.status === status) return item;
  return db.inboxItem.update({
    where: { id },
    data: {
      status,
      resolvedAt: status === "resolved" ? new Date() : null,
      messages: { create: { kind: "event", body: status === "resolved" ? "Marked resolved." : "Reopened.", actor } },
    },
  });
}

/** Goodwill points for the item's customer; a double-submitted form grants once (requestId). */
export async function grantGoodwill(
  db: Db,
  shopId: string,
  id: string,
  input: { points: unknown; reason: unknown; actor: string; requestId: string },
) {
  const item = await itemOf(db, shopId, id);
  if (!item.customerId) throw new InboxError("This customer is not a loyalty member, so points cannot be granted.", "points", 409);
  const points = Number(String(input.points ?? "").trim());
  if (!Number.isInteger(points) || points <= 0 || points > 100_000) throw new InboxError("Enter a whole number of points from 1 to 100,000.", "points");
  const reason = String(input.reason ?? "").trim() || `Goodwill for order ${item.orderName ?? item.orderId}`;
  if (reason.length > 500) throw new InboxError("Keep the reason under 500 characters.", "reason");
  const shop = await db.shop.findUnique({ where: { id: shopId } });
  const idempotencyKey = `goodwill:${id}:${input.requestId}`;
  try {
    return await db.$transaction(async (tx) => {
      const entry = await appendEntry(tx, {
        shopId,
        customerId: item.customerId!,
        type: "bonus",
        points,
        sourceType: "admin",
        sourceId: item.orderId,
        idempotencyKey,
        reason,
        actor: input.actor,
        allowNegative: shop?.allowNegativeBalance ?? false,
      });
      await tx.inboxMessage.create({ data: { itemId: id, kind: "event", body: `Granted ${points} goodwill points: ${reason}`, actor: input.actor } });
      return entry;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return db.ledgerEntry.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey } } });
    throw error;
  }
}

