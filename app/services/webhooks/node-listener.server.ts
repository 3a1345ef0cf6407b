// The production server's path for webhook deliveries (scripts/serve.mjs):
// node:http hands the request straight to the intake. On a flash sale the
// webhooks are nearly all of the app's traffic, and each one through Express,
// Remix's Request conversion and route matching cost more CPU than verifying,
// parsing and batching it; the answer is the same as the Remix route's
// (app/routes/webhooks.tsx, which `npm run dev` still uses).
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerHeaders, answerWebhook, describeError, type IntakeDeps, type WebhookAnswer } from "./intake.server";
import type { HeaderSource } from "./signature";

/** Node's header object (names lower-cased, repeated headers as arrays) read as fetch's Headers reads. */
export function nodeHeaders(headers: IncomingMessage["headers"]): HeaderSource {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

/**
 * The request's body as sent. (Events, not `for await`: the async iterator's
 * machinery cost each delivery more than its one or two chunks.)
 */
function bytesOf(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req
      .on("data", (chunk: Buffer) => chunks.push(chunk))
      .once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)))
      // (A connection lost mid-body ends here, ECONNRESET "aborted".)
      .once("error", reject);
  });
}

export function webhookListener(deps: IntakeDeps) {
  const log = deps.log ?? ((m, e) => console.error(`[webhook] ${m}`, e ?? ""));
  return async (req: IncomingMessage, res: ServerResponse) => {
    let answer: WebhookAnswer;
    try {
      answer = await answerWebhook({ method: req.method ?? "GET", headers: nodeHeaders(req.headers), body: await bytesOf(req) }, deps);
    } catch (error) {
      // What the intake did not answer itself (a lost connection to the
      // database, say) is transient: 500, and Shopify retries.
      log("failed", { error: describeError(error) });
      answer = { status: 500, body: JSON.stringify({ message: "Processing failed; Shopify will retry" }) };
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, answerHeaders(answer)).end(answer.body);
  };
}
