// Receives one webhook delivery: verify, parse, validate, deduplicate, then
// either handle it at once (the default) or, with `enqueue` (ENCORE_WEBHOOKS=
// queue), record it and leave it to the workers (./process.server.ts).
//
// Status codes, as Shopify reads them: 2xx = done (also for duplicates and
// for shops Encore does not serve, so Shopify stops retrying); 401 = not
// signed by Shopify with our secret; 400 = a body that can never be processed;
// 5xx = a transient failure, so Shopify retries (8 times over 4 hours) and the
// retry runs the idempotent handler again.
import type { Db } from "../../db.server";
import type { EnqueueMany } from "../../jobs/types";
import { cachedShop, isServed } from "../../models/shop.server";
import { claimEvent, recordDelivery } from "../../models/webhook-event.server";
import { parseShopifyJson } from "../shopify-json";
import { handlers } from "./handlers.server";
import { submitOrdersPaid } from "./batch.server";
import { describeIssues, type OrderPayload } from "./payloads";
import { runClaimed } from "./process.server";
import { recordAndEnqueue } from "./queue-intake.server";
import type { RawDelivery, VerifiedDelivery } from "./signature";

/** What a verified delivery's headers say (see ./signature.ts). */
export type WebhookContext = VerifiedDelivery;

/** The answer to Shopify: a status and a JSON body. */
export interface WebhookAnswer {
  status: number;
  body: string;
}

export interface IntakeDeps {
  db: Db;
  /** verifyWebhook from shopify.server: verifies the HMAC of the raw body and the headers, throwing a Response. */
  authenticate: (delivery: RawDelivery) => Promise<WebhookContext>;
  log?: (message: string, extra?: Record<string, unknown>) => void;
  /**
   * Given, the intake only records the event and enqueues its processing,
   * answering Shopify within its 5 s however busy the workers are.
   */
  enqueue?: EnqueueMany;
}

/** ENCORE_WEBHOOKS: "inline" (default) handles each webhook in the request; "queue" hands it to workers. */
export function webhookProcessing(value = process.env.ENCORE_WEBHOOKS): "inline" | "queue" {
  if (!value || value === "inline") return "inline";
  if (value === "queue") return "queue";
  throw new Error(`ENCORE_WEBHOOKS must be "inline" or "queue", not ${JSON.stringify(value)}`);
}

const jsonResponse = (body: unknown, status: number): WebhookAnswer => ({ status, body: JSON.stringify(body) });
const reply = (status: number, message: string) => jsonResponse({ message }, status);

/** Headers of every answer; the length tells a compression layer these few bytes are not worth zlib. */
export const answerHeaders = (answer: WebhookAnswer) => ({
  "content-type": "application/json",
  "content-length": String(Buffer.byteLength(answer.body)),
});

/** The Remix route's side (app/routes/webhooks.tsx). */
export async function receiveWebhook(request: Request, deps: IntakeDeps): Promise<Response> {
  // A missing signature is refused before the body is read.
  const answer =
    request.method === "POST" && !request.headers.get("x-shopify-hmac-sha256")
      ? missingSignature()
      : await answerWebhook({ method: request.method, headers: request.headers, body: await request.text() }, deps);
  // (Not Response.json: Remix's installGlobals polyfill lacks it.)
  return new Response(answer.body, { status: answer.status, headers: answerHeaders(answer) });
}

// Shopify's library answers a missing signature with 400; it is an
// authentication failure and gets 401 like a forged one.
const missingSignature = () => reply(401, "Missing X-Shopify-Hmac-Sha256 header");

export async function answerWebhook(request: RawDelivery, deps: IntakeDeps): Promise<WebhookAnswer> {
  const log = deps.log ?? ((m, e) => console.info(`[webhook] ${m}`, e ?? ""));
  if (request.method === "POST" && !request.headers.get("x-shopify-hmac-sha256")) return missingSignature();
  const raw = request.body;
  let context: WebhookContext;
  try {
    context = await deps.authenticate(request);
  } catch (error) {
    if (error instanceof Response) {
      const message =
        error.status === 401 ? "HMAC signature does not match" : error.status === 405 ? "Use POST" : "Missing or invalid Shopify webhook headers";
      return reply(error.status, message);
    }
    throw error;
  }

  const handler = handlers[context.topic];
  if (!handler) {
    log("ignored: no handler for topic", { topic: context.topic, shop: context.shop });
    return reply(200, `Topic ${context.topic} is not handled`);
  }
  const text = typeof raw === "string" ? raw : raw.toString("utf8");
  let body: unknown;
  try {
    body = parseShopifyJson(text);
  } catch (error) {
    // Signed by Shopify, yet not JSON: no retry will fix it.
    return reply(400, `Body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = handler.schema.safeParse(body);
  if (!parsed.success) {
    log("rejected: invalid payload", { topic: context.topic, shop: context.shop, issues: describeIssues(parsed.error) });
    return reply(400, `Invalid ${context.topic} payload: ${describeIssues(parsed.error)}`);
  }

  // Queued, only whether the shop is served matters here (the worker reads
  // the whole record); inline, the handler needs the record itself.
  const queued = Boolean(deps.enqueue);
  const shop = handler.needsShop && !queued ? await cachedShop(deps.db, context.shop) : null;
  const served = !handler.needsShop || (queued ? await isServed(deps.db, context.shop) : Boolean(shop && !shop.uninstalledAt));
  if (!served) {
    log("ignored: shop is not installed", { topic: context.topic, shop: context.shop });
    return reply(200, "Shop is not installed; nothing to do");
  }

  const delivery = {
    shopId: context.shop,
    topic: context.topic,
    webhookId: context.webhookId,
    eventId: context.eventId,
    apiVersion: context.apiVersion,
    triggeredAt: context.triggeredAt,
    // Queued, the text is stored at once. Inline, an orders/paid waits in
    // memory for its batch with the others in flight, and whatever each keeps
    // on the JS heap is copied by every minor garbage collection meanwhile: it
    // keeps the bytes (off the heap), decoded again only in the rare case it
    // is stored (../../models/webhook-event.server.ts).
    payload: queued ? text : raw,
  };
  // orders/paid, handled here, goes with the shop's other deliveries in
  // flight (./batch.server.ts); a delivery of an event recorded before is
  // told apart below, as for any topic.
  if (!queued && context.topic === "ORDERS_PAID" && shop) {
    const outcome = await submitOrdersPaid(deps.db, shop, { delivery, order: parsed.data as OrderPayload });
    if (outcome.kind === "processed") return jsonResponse({ message: "Processed", result: summarize(outcome.result) }, 200);
    if (outcome.kind === "failed") {
      log("failed", { topic: context.topic, shop: context.shop, error: describeError(outcome.error) });
      return reply(500, "Processing failed; Shopify will retry");
    }
  }

  if (deps.enqueue) {
    const outcome = await recordAndEnqueue(deps.db, deps.enqueue, delivery);
    if (outcome.kind === "not-queued") {
      log("could not queue", { topic: context.topic, shop: context.shop, error: describeError(outcome.error) });
      return reply(503, "Could not queue the event; Shopify will retry");
    }
    return reply(200, QUEUED_ANSWERS[outcome.kind]);
  }

  const receipt = await recordDelivery(deps.db, delivery, { claim: true });
  if (receipt.status === "processed") return reply(200, "Duplicate delivery; already processed");

  // A new row is claimed by this request already; an earlier delivery's row
  // is claimed now unless another request is processing it.
  if (receipt.status !== "new" && !(await claimEvent(deps.db, receipt.id))) {
    return reply(200, "Duplicate delivery; being processed");
  }
  try {
    const event = { id: receipt.id, shopId: context.shop, topic: context.topic };
    const result = await runClaimed(deps.db, event, handler, parsed.data, shop);
    return jsonResponse({ message: "Processed", result: summarize(result) }, 200);
  } catch (error) {
    log("failed", { topic: context.topic, shop: context.shop, error: describeError(error) });
    return reply(500, "Processing failed; Shopify will retry");
  }
}

const QUEUED_ANSWERS = {
  queued: "Accepted; queued for processing",
  requeued: "Duplicate delivery; queued again",
  processed: "Duplicate delivery; already processed",
} as const;

/**
 * One line for the log: Prisma's messages start with pages of source context,
 * the cause is on the last line (with the error code and its meta).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // (A line with no word in it is the tail of a JSON dump, not the cause.)
  const lines = error.message.split("\n").map((l) => l.trim()).filter((l) => /\w/.test(l));
  const { code, meta } = error as Error & { code?: string; meta?: unknown };
  return [code ? `[${code}]` : error.name, lines.at(-1) ?? "", meta ? JSON.stringify(meta) : ""].filter(Boolean).join(" ").slice(0, 1000);
}

const summarize = (result: unknown) =>
  result && typeof result === "object" && "status" in result ? result : undefined;
