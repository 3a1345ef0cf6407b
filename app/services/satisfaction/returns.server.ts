// Refund, exchange and store-credit requests from the order status page.
// Eligibility is computed from the order as Shopify reports it (returnable
// fulfillments: fulfilled and not yet returned or refunded), the merchant's
// return window and product tags; approving creates the return in Shopify.
import type { Db } from "../../db.server";
import { RETURN_CREATE_MUTATION, RETURN_ELIGIBILITY_QUERY } from "../../graphql/returns";
import { getSatisfactionSettings, notificationAddress } from "../../models/satisfaction.server";
import type { AdminGraphql } from "../shop-details.server";
import { inboxLink } from "./inbox.server";
import { textToHtml, type Notify } from "./mail.server";

export class ReturnError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 502 = 400,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Shopify's ReturnReason values, with the words the shopper sees. */
export const RETURN_REASONS = {
  SIZE_TOO_SMALL: "Too small",
  SIZE_TOO_LARGE: "Too large",
  UNWANTED: "Changed my mind",
  NOT_AS_DESCRIBED: "Not as described",
  WRONG_ITEM: "Received the wrong item",
  DEFECTIVE: "Damaged or defective",
  STYLE: "Didn't like the style",
  COLOR: "Didn't like the colour",
  OTHER: "Other",
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;

export const RESOLUTIONS = ["refund", "exchange", "store_credit"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const RESOLUTION_LABELS: Record<Resolution, string> = { refund: "Refund", exchange: "Exchange", store_credit: "Store credit" };

export const FINAL_SALE_TAG = "final-sale";
export const EXCHANGE_ONLY_TAG = "exchange-only";

export interface EligibleLine {
  fulfillmentLineItemId: string;
  lineItemId: string;
  productId: string | null;
  title: string;
  variantTitle: string | null;
  /** How many can still be requested (returnable less what is already requested). */
  quantity: number;
  resolutions: Resolution[];
  exchangeVariants: { id: string; title: string }[];
}

export interface RequestLine {
  fulfillmentLineItemId: string;
  lineItemId: string;
  title: string;
  quantity: number;
  exchangeVariantId?: string | null;
  exchangeVariantTitle?: string | null;
}

interface OrderNode {
  id: string;
  name: string;
  email: string | null;
  cancelledAt: string | null;
  customer: { id: string; email: string | null } | null;
  returnableFulfillments: {
    nodes: {
      id: string;
      fulfillment: { id: string; createdAt: string; deliveredAt: string | null };
      returnableFulfillmentLineItems: {
        nodes: {
          quantity: number;
          fulfillmentLineItem: {
            id: string;
            lineItem: {
              id: string;
              name: string;
              product: { id: string; title: string; tags: string[]; variants: { nodes: { id: string; title: string; availableForSale: boolean }[] } } | null;
              variant: { id: string; title: string } | null;
            };
          };
        }[];
      };
    }[];
  };
}

async function fetchOrder(graphql: AdminGraphql, orderId: string): Promise<OrderNode | null> {
  let body: { data?: { order?: OrderNode | null }; errors?: unknown };
  try {
    const response = await graphql(RETURN_ELIGIBILITY_QUERY, { variables: { id: orderId } });
    body = await response.json();
  } catch (error) {
    throw new ReturnError(`Shopify could not be reached: ${String(error)}`, 502);
  }
  if (body.errors) throw new ReturnError("Shopify could not load the order.", 502);
  return body.data?.order ?? null;
}

const DAY = 86_400_000;
const STALE_CLAIM_MS = 5 * 60_000;

export function requestLinesOf(row: { lines: string }): RequestLine[] {
  try {
    const parsed = JSON.parse(row.lines);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export interface EligibilityQuery {
  shopId: string;
  orderId: string;
  /** The signed-in shopper (customer account session token `sub`). */
  customerShopifyId: string;
  now?: Date;
}

export async function returnEligibility(db: Db, graphql: AdminGraphql, q: EligibilityQuery) {
  const settings = await getSatisfactionSettings(db, q.shopId);
  const requests = await db.returnRequest.findMany({ where: { shopId: q.shopId, orderId: q.orderId }, orderBy: { createdAt: "desc" } });
  const shown = requests.map((r) => ({
    id: r.id,
    status: r.status,
    resolution: r.resolution,
    reason: r.reason,
    declineReason: r.declineReason,
    lines: requestLinesOf(r).map((l) => ({ title: l.title, quantity: l.quantity, exchangeVariantTitle: l.exchangeVariantTitle ?? null })),
    createdAt: r.createdAt.toISOString(),
  }));
  if (!settings.returnsEnabled) return { enabled: false, windowDays: settings.returnWindowDays, lines: [] as EligibleLine[], requests: shown, order: null };

  const order = await fetchOrder(graphql, q.orderId);
  if (!order) throw new ReturnError("Order not found.", 404);
  if (!order.customer || order.customer.id !== q.customerShopifyId) throw new ReturnError("This order belongs to another customer.", 403);

  // Quantities already asked for and not yet decided are not offered twice.
  const pending = new Map<string, number>();
  for (const r of requests.filter((r) => r.status === "requested")) {
    for (const l of requestLinesOf(r)) pending.set(l.fulfillmentLineItemId, (pending.get(l.fulfillmentLineItemId) ?? 0) + l.quantity);
  }
  const now = q.now ?? new Date();
  const lines: EligibleLine[] = [];
  if (!order.cancelledAt) {
    for (const rf of order.returnableFulfillments.nodes) {
      const shipped = new Date(rf.fulfillment.deliveredAt ?? rf.fulfillment.createdAt);
      if (now.getTime() - shipped.getTime() > settings.returnWindowDays * DAY) continue;
      for (const rfli of rf.returnableFulfillmentLineItems.nodes) {
        const li = rfli.fulfillmentLineItem.lineItem;
        const tags = (li.product?.tags ?? []).map((t) => t.trim().toLowerCase());
        if (tags.includes(FINAL_SALE_TAG)) continue;
        const quantity = rfli.quantity - (pending.get(rfli.fulfillmentLineItem.id) ?? 0);
        if (quantity <= 0) continue;
        const exchangeVariants = (li.product?.variants.nodes ?? []).filter((v) => v.availableForSale).map((v) => ({ id: v.id, title: v.title }));
        let resolutions: Resolution[] = tags.includes(EXCHANGE_ONLY_TAG) ? ["exchange"] : [...RESOLUTIONS];
        if (!exchangeVariants.length) resolutions = resolutions.filter((r) => r !== "exchange");
        if (!resolutions.length) continue;
        lines.push({
          fulfillmentLineItemId: rfli.fulfillmentLineItem.id,
          lineItemId: li.id,
          productId: li.product?.id ?? null,
          title: li.product?.title ?? li.name,
          variantTitle: li.variant?.title ?? null,
          quantity,
          resolutions,
          exchangeVariants,
        });
      }
    }
  }
  return { enabled: true, windowDays: settings.returnWindowDays, lines, requests: shown, order };
}

export interface NewReturnRequest extends EligibilityQuery {
  resolution: unknown;
  reason: unknown;
  note?: unknown;
  lines: unknown;
}

export async function createReturnRequest(db: Db, graphql: AdminGraphql, input: NewReturnRequest, deps: { notify: Notify }) {
  const resolution = input.resolution as Resolution;
  if (!RESOLUTIONS.includes(resolution)) throw new ReturnError("Choose refund, exchange or store credit.", 400, "resolution");
  if (typeof input.reason !== "string" || !(input.reason in RETURN_REASONS)) throw new ReturnError("Choose a reason.", 400, "reason");
  const reason = input.reason as ReturnReason;
  let note: string | null = null;
  if (input.note !== undefined && input.note !== null && input.note !== "") {
    if (typeof input.note !== "string" || input.note.length > 255) throw new ReturnError("Keep the note under 255 characters.", 400, "note");
    note = input.note.trim() || null;
  }
  if (!Array.isArray(input.lines) || input.lines.length === 0) throw new ReturnError("Choose at least one item.", 400, "lines");

  const eligibility = await returnEligibility(db, graphql, input);
  if (!eligibility.enabled || !eligibility.order) throw new ReturnError("Returns are not offered by this store.", 409);
  const byId = new Map(eligibility.lines.map((l) => [l.fulfillmentLineItemId, l]));
  const lines: RequestLine[] = [];
  const seen = new Set<string>();
  for (const raw of input.lines as { fulfillmentLineItemId?: unknown; quantity?: unknown; exchangeVariantId?: unknown }[]) {
    const line = typeof raw?.fulfillmentLineItemId === "string" ? byId.get(raw.fulfillmentLineItemId) : undefined;
    if (!line || seen.has(line.fulfillmentLineItemId)) throw new ReturnError("One of the items can no longer be returned. Refresh and try again.", 409, "lines");
    seen.add(line.fulfillmentLineItemId);
    const quantity = raw.quantity;
    if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1 || quantity > line.quantity) {
      throw new ReturnError(`Choose from 1 to ${line.quantity} of ${line.title}.`, 400, "lines");
    }
    if (!line.resolutions.includes(resolution)) {
      throw new ReturnError(
        line.resolutions.length === 1 && line.resolutions[0] === "exchange" ? `${line.title} can only be exchanged.` : `${line.title} cannot be exchanged.`,
        400,
        "resolution",
      );
    }
    let exchange: { id: string; title: string } | undefined;
    if (resolution === "exchange") {
      exchange = line.exchangeVariants.find((v) => v.id === raw.exchangeVariantId);
      if (!exchange) throw new ReturnError(`Choose the variant you want instead of ${line.title}.`, 400, "exchangeVariantId");
    }
    lines.push({
      fulfillmentLineItemId: line.fulfillmentLineItemId,
      lineItemId: line.lineItemId,
      title: line.variantTitle && line.variantTitle !== "Default Title" ? `${line.title} — ${line.variantTitle}` : line.title,
      quantity,
      exchangeVariantId: exchange?.id ?? null,
      exchangeVariantTitle: exchange?.title ?? null,
    });
  }

  const order = eligibility.order;
  const customer = await db.customer.findUnique({ where: { shopId_shopifyId: { shopId: input.shopId, shopifyId: input.customerShopifyId } } });
  const email = order.email ?? order.customer?.email ?? customer?.email ?? null;
  const summary = `${RESOLUTION_LABELS[resolution]} requested for ${lines.reduce((s, l) => s + l.quantity, 0)} item(s) on order ${order.name}: ${RETURN_REASONS[reason]}`;
  const { request, item } = await db.$transaction(async (tx) => {
    const request = await tx.returnRequest.create({
      data: {
        shopId: input.shopId,
        orderId: input.orderId,
        orderName: order.name,
        customerShopifyId: input.customerShopifyId,
        customerEmail: email,
        resolution,
        reason,
        note,
        lines: JSON.stringify(lines),
      },
    });
    const item = await tx.inboxItem.create({
      data: {
        shopId: input.shopId,
        kind: "return_request",
        sourceKey: `return:${request.id}`,
        orderId: input.orderId,
        orderName: order.name,
        customerId: customer?.id ?? null,
        customerShopifyId: input.customerShopifyId,
        customerEmail: email,
        customerName: customer ? [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null : null,
        summary,
        items: JSON.stringify(lines.map((l) => ({ title: l.title, quantity: l.quantity, exchangeVariantTitle: l.exchangeVariantTitle }))),
        returnRequestId: request.id,
        messages: note ? { create: { kind: "comment", body: note } } : undefined,
      },
    });
    return { request, item };
  });

  const settings = await getSatisfactionSettings(db, input.shopId);
  const to = await notificationAddress(db, input.shopId, settings);
  if (to) {
    const text = [
      summary,
      lines.map((l) => `• ${l.quantity} × ${l.title}${l.exchangeVariantTitle ? ` → ${l.exchangeVariantTitle}` : ""}`).join("\n"),
      note ? `The customer wrote:\n"${note}"` : "",
      `Approve or decline in Encore: ${inboxLink(item.id)}`,
    ]
      .filter(Boolean)
      .join("\n\n");
    await deps.notify(
      { to, subject: `${RESOLUTION_LABELS[resolution]} request on order ${order.name}`, text, html: textToHtml(text), ...(email ? { replyTo: email } : {}) },
      { kind: "returns.requested", key: `return_requested:${request.id}`, ...(customer ? { customerId: customer.id } : {}) },
    );
  }
  return { request, item };
}

interface ReturnCreatePayload {
  return: { id: string; name: string; status: string } | null;
  userErrors: { field: string[] | null; message: string; code: string | null }[];
}

/**
 * Creates the return in Shopify. The request is claimed first (requested →
 * approving) so two clicks create one return; a refusal from Shopify puts it
 * back to requested with the reason shown to the merchant.
 */
export async function approveReturnRequest(db: Db, graphql: AdminGraphql, shopId: string, requestId: string, actor: string, deps: { notify: Notify }) {
  const request = await db.returnRequest.findFirst({ where: { id: requestId, shopId } });
  if (!request) throw new ReturnError("This request no longer exists.", 404);
  // decidedAt marks the claim; a claim left behind by a crash (the process died
  // while talking to Shopify) may be taken again after a few minutes. Should
  // Shopify have created that return, it refuses the quantity and says so.
  const stale = new Date(Date.now() - STALE_CLAIM_MS);
  const claimed = await db.returnRequest.updateMany({
    where: { id: requestId, OR: [{ status: "requested" }, { status: "approving", decidedAt: { lt: stale } }] },
    data: { status: "approving", decidedAt: new Date() },
  });
  if (claimed.count === 0) {
    throw new ReturnError(request.status === "approving" ? "This request is being approved." : `This request is already ${request.status}.`, 409);
  }

  const lines = requestLinesOf(request);
  const note = request.note ? `${RESOLUTION_LABELS[request.resolution as Resolution]}: ${request.note}` : RESOLUTION_LABELS[request.resolution as Resolution];
  const returnInput = {
    orderId: request.orderId,
    requestedAt: request.createdAt.toISOString(),
    returnLineItems: lines.map((l) => ({
      fulfillmentLineItemId: l.fulfillmentLineItemId,
      quantity: l.quantity,
      returnReason: request.reason,
      returnReasonNote: note.slice(0, 255),
    })),
    ...(request.resolution === "exchange"
      ? { exchangeLineItems: lines.filter((l) => l.exchangeVariantId).map((l) => ({ variantId: l.exchangeVariantId, quantity: l.quantity })) }
      : {}),
  };

  let payload: ReturnCreatePayload | undefined;
  let failure: string | null = null;
  try {
    const response = await graphql(RETURN_CREATE_MUTATION, { variables: { returnInput } });
    const body = (await response.json()) as { data?: { returnCreate?: ReturnCreatePayload }; errors?: { message: string }[] };
    payload = body.data?.returnCreate;
    if (body.errors?.length) failure = body.errors.map((e) => e.message).join("; ");
    else if (!payload) failure = "Shopify returned no result.";
    else if (payload.userErrors.length) failure = payload.userErrors.map((e) => e.message).join("; ");
  } catch (error) {
    failure = `Shopify could not be reached: ${String(error instanceof Error ? error.message : error)}`;
  }
  const item = await db.inboxItem.findFirst({ where: { shopId, returnRequestId: requestId } });
  if (failure || !payload?.return) {
    await db.returnRequest.update({ where: { id: requestId }, data: { status: "requested", decidedAt: null } });
    if (item) await db.inboxMessage.create({ data: { itemId: item.id, kind: "event", body: `Shopify did not create the return: ${failure}`, actor } });
    throw new ReturnError(`Shopify did not create the return: ${failure}`, 502);
  }
  const approved = await db.returnRequest.update({
    where: { id: requestId },
    data: { status: "approved", decidedAt: new Date(), shopifyReturnId: payload.return.id, shopifyReturnName: payload.return.name },
  });
  if (item) {
    await db.inboxItem.update({
      where: { id: item.id },
      data: { status: "resolved", resolvedAt: new Date(), messages: { create: { kind: "event", body: `Approved: return ${payload.return.name} created in Shopify.`, actor } } },
    });
  }
  if (request.customerEmail) {
    const text = `Your ${RESOLUTION_LABELS[request.resolution as Resolution].toLowerCase()} request for order ${request.orderName ?? ""} is approved (return ${payload.return.name}). You can follow it on your order status page.`;
    await deps.notify(
      { to: request.customerEmail, subject: `Your request for order ${request.orderName ?? ""} is approved`, text, html: textToHtml(text) },
      { kind: "returns.approved", key: `return_approved:${requestId}`, ...(item?.customerId ? { customerId: item.customerId } : {}) },
    );
  }
  return approved;
}

export async function declineReturnRequest(db: Db, shopId: string, requestId: string, reason: unknown, actor: string, deps: { notify: Notify }) {
  const text = String(reason ?? "").trim();
  if (!text) throw new ReturnError("Give the customer a reason; they see it on their order status page.", 400, "declineReason");
  if (text.length > 500) throw new ReturnError("Keep the reason under 500 characters.", 400, "declineReason");
  const request = await db.returnRequest.findFirst({ where: { id: requestId, shopId } });
  if (!request) throw new ReturnError("This request no longer exists.", 404);
  const claimed = await db.returnRequest.updateMany({
    where: { id: requestId, status: "requested" },
    data: { status: "declined", declineReason: text, decidedAt: new Date() },
  });
  if (claimed.count === 0) throw new ReturnError(`This request is already ${request.status}.`, 409);
  const item = await db.inboxItem.findFirst({ where: { shopId, returnRequestId: requestId } });
  if (item) {
    await db.inboxItem.update({
      where: { id: item.id },
      data: { status: "resolved", resolvedAt: new Date(), messages: { create: { kind: "event", body: `Declined: ${text}`, actor } } },
    });
  }
  if (request.customerEmail) {
    const body = `Your request for order ${request.orderName ?? ""} was declined.\n\nReason: ${text}`;
    await deps.notify(
      { to: request.customerEmail, subject: `About your request for order ${request.orderName ?? ""}`, text: body, html: textToHtml(body) },
      { kind: "returns.declined", key: `return_declined:${requestId}`, ...(item?.customerId ? { customerId: item.customerId } : {}) },
    );
  }
  return db.returnRequest.findUniqueOrThrow({ where: { id: requestId } });
}
