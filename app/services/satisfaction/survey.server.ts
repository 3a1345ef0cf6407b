// Survey answers: one per order (a second submit updates it), optional points
// for answering (once per order), and a follow-up in the inbox for a low score.
import type { Db } from "../../db.server";
import { isUniqueViolation } from "../../models/errors";
import { appendEntry } from "../../models/ledger.server";
import { findResponse, getSatisfactionSettings, type ProductRef, type SatisfactionSettings } from "../../models/satisfaction.server";
import { openLowScoreItem, noteAnswerChanged } from "./inbox.server";
import type { Notify } from "./mail.server";
import { MAX_COMMENT, isLowScore, validScore } from "./settings";

export class SurveyError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 = 400,
    readonly field?: string,
  ) {
    super(message);
  }
}

export type SurveyChannel = "thank-you" | "order-status" | "email";

export interface SurveyAnswer {
  shopId: string;
  orderId: string;
  orderName?: string | null;
  /** The signed-in shopper (session token `sub`), if any. */
  customerShopifyId?: string | null;
  score: unknown;
  comment?: unknown;
  source?: unknown;
  products?: unknown;
  channel: SurveyChannel;
}

export const ORDER_GID = /^gid:\/\/shopify\/Order\/\d{1,20}$/;

/**
 * The order id as extensions report it. Older thank-you pages gave an
 * OrderIdentity gid with the order's numeric id; Encore keys orders by Order gid.
 */
export function normalizeOrderId(raw: unknown): string {
  const text = typeof raw === "string" ? raw.trim() : "";
  const identity = /^gid:\/\/shopify\/OrderIdentity\/(\d{1,20})$/.exec(text);
  return identity ? `gid://shopify/Order/${identity[1]}` : text;
}
const PRODUCT_GID = /^gid:\/\/shopify\/Product\/\d{1,20}$/;
export const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/\d{1,20}$/;

/** The products the extension reports for the order, checked and deduplicated. */
export function validateProducts(raw: unknown): ProductRef[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 100) throw new SurveyError("products must be a list of at most 100 items.", 400, "products");
  const seen = new Map<string, ProductRef>();
  for (const p of raw) {
    const productId = (p as { productId?: unknown })?.productId;
    const title = (p as { title?: unknown })?.title;
    if (typeof productId !== "string" || !PRODUCT_GID.test(productId) || typeof title !== "string" || !title.trim() || title.length > 255) {
      throw new SurveyError("Each product needs a Product gid and a title.", 400, "products");
    }
    if (!seen.has(productId)) seen.set(productId, { productId, title: title.trim() });
  }
  return [...seen.values()];
}

function validate(settings: SatisfactionSettings, answer: SurveyAnswer) {
  if (!settings.surveyEnabled) throw new SurveyError("The survey is closed.", 409);
  if (typeof answer.orderId !== "string" || !ORDER_GID.test(answer.orderId)) throw new SurveyError("orderId must be an Order gid.", 400, "orderId");
  if (!validScore(settings.scale, answer.score)) {
    throw new SurveyError(settings.scale === "nps" ? "Choose a score from 0 to 10." : "Choose a score from 1 to 5.", 400, "score");
  }
  let comment: string | null = null;
  if (settings.commentEnabled && answer.comment !== undefined && answer.comment !== null) {
    if (typeof answer.comment !== "string") throw new SurveyError("comment must be text.", 400, "comment");
    if (answer.comment.length > MAX_COMMENT) throw new SurveyError(`Keep the comment under ${MAX_COMMENT} characters.`, 400, "comment");
    comment = answer.comment.trim() || null;
  }
  let source: string | null = null;
  if (settings.sourceQuestionEnabled && answer.source !== undefined && answer.source !== null && answer.source !== "") {
    if (typeof answer.source !== "string" || !settings.sourceOptions.includes(answer.source)) {
      throw new SurveyError("Choose one of the answers offered.", 400, "source");
    }
    source = answer.source;
  }
  const orderName = typeof answer.orderName === "string" && answer.orderName.length <= 64 ? answer.orderName : null;
  return { score: answer.score as number, comment, source, products: validateProducts(answer.products), orderName };
}

/**
 * The buyer behind the order: the signed-in shopper, else the order's award.
 * A signed-in shopper may only answer for their own order.
 */
async function buyerOf(db: Db, answer: SurveyAnswer) {
  const award = await db.orderAward.findUnique({ where: { shopId_orderId: { shopId: answer.shopId, orderId: answer.orderId } } });
  const owner = award?.customerId ? await db.customer.findUnique({ where: { id: award.customerId } }) : null;
  if (answer.customerShopifyId) {
    if (owner && owner.shopifyId !== answer.customerShopifyId) throw new SurveyError("This order belongs to another customer.", 403);
    const signedIn =
      owner ?? (await db.customer.findUnique({ where: { shopId_shopifyId: { shopId: answer.shopId, shopifyId: answer.customerShopifyId } } }));
    return { customer: signedIn, customerShopifyId: answer.customerShopifyId, award };
  }
  return { customer: owner, customerShopifyId: owner?.shopifyId ?? null, award };
}

export interface SubmitResult {
  response: NonNullable<Awaited<ReturnType<typeof findResponse>>>;
  updated: boolean;
  pointsAwarded: number;
  followUpOpened: boolean;
}

export async function submitSurvey(db: Db, answer: SurveyAnswer, deps: { notify: Notify }): Promise<SubmitResult> {
  const settings = await getSatisfactionSettings(db, answer.shopId);
  const valid = validate(settings, answer);
  const { customer, customerShopifyId, award } = await buyerOf(db, answer);
  const products = valid.products;

  const previous = await findResponse(db, answer.shopId, answer.orderId);
  const data = {
    orderName: valid.orderName ?? previous?.orderName ?? award?.orderName ?? null,
    customerId: customer?.id ?? previous?.customerId ?? null,
    customerShopifyId: customerShopifyId ?? previous?.customerShopifyId ?? null,
    scale: settings.scale,
    score: valid.score,
    comment: valid.comment,
    source: valid.source ?? previous?.source ?? null,
    // A later submit without products (the email link) keeps what the extension sent.
    products: products.length || !previous ? JSON.stringify(products) : previous.products,
    channel: answer.channel,
  };
  const upsert = () =>
    db.surveyResponse.upsert({
      where: { shopId_orderId: { shopId: answer.shopId, orderId: answer.orderId } },
      create: { shopId: answer.shopId, orderId: answer.orderId, ...data },
      update: data,
    });
  // Two submits racing may both try to insert; the loser updates instead.
  const response = await upsert().catch((error) => {
    if (isUniqueViolation(error)) return upsert();
    throw error;
  });

  const pointsAwarded = await awardAnswerPoints(db, settings, response);

  let followUpOpened = false;
  if (isLowScore(settings, response.score)) {
    followUpOpened = (await openLowScoreItem(db, settings, response, deps.notify)).created;
  } else if (previous) {
    await noteAnswerChanged(db, response);
  }
  return { response, updated: Boolean(previous), pointsAwarded, followUpOpened };
}

/** The points for answering, once per order whatever the number of submits. */
async function awardAnswerPoints(db: Db, settings: SatisfactionSettings, response: { shopId: string; orderId: string; customerId: string | null }) {
  if (settings.pointsForAnswer <= 0 || !response.customerId) return 0;
  const shop = await db.shop.findUnique({ where: { id: response.shopId } });
  if (!shop) return 0;
  const idempotencyKey = `survey:${response.orderId}`;
  try {
    await db.$transaction(async (tx) => {
      const existing = await tx.ledgerEntry.findUnique({ where: { shopId_idempotencyKey: { shopId: shop.id, idempotencyKey } } });
      if (existing) throw new AlreadyAwarded();
      await appendEntry(tx, {
        shopId: shop.id,
        customerId: response.customerId!,
        type: "bonus",
        points: settings.pointsForAnswer,
        sourceType: "order",
        sourceId: response.orderId,
        idempotencyKey,
        reason: "Answered the satisfaction survey",
        allowNegative: shop.allowNegativeBalance,
      });
    });
    return settings.pointsForAnswer;
  } catch (error) {
    // Already credited (by this submit's twin racing, or an earlier one).
    if (error instanceof AlreadyAwarded || isUniqueViolation(error)) return 0;
    throw error;
  }
}

class AlreadyAwarded extends Error {}

/**
 * What the extension needs to render the survey for an order. An earlier
 * answer is shown only to its own customer: a signed-in shopper asking about
 * someone else's order is refused, and an answer tied to a customer is never
 * shown to a guest's token.
 */
export async function surveyFor(db: Db, shopId: string, orderId: string, customerShopifyId: string | null = null) {
  const settings = await getSatisfactionSettings(db, shopId);
  let existing = ORDER_GID.test(orderId) ? await findResponse(db, shopId, orderId) : null;
  if (customerShopifyId) {
    await buyerOf(db, { shopId, orderId, customerShopifyId, score: null, channel: "order-status" });
    if (existing?.customerShopifyId && existing.customerShopifyId !== customerShopifyId) throw new SurveyError("This order belongs to another customer.", 403);
  } else if (existing?.customerShopifyId) {
    existing = null;
  }
  return {
    enabled: settings.surveyEnabled,
    scale: settings.scale,
    question: settings.question,
    commentEnabled: settings.commentEnabled,
    sourceQuestion: settings.sourceQuestionEnabled ? settings.sourceQuestion : null,
    sourceOptions: settings.sourceQuestionEnabled ? settings.sourceOptions : [],
    pointsForAnswer: settings.pointsForAnswer,
    answer: existing ? { score: existing.score, comment: existing.comment, source: existing.source } : null,
  };
}
