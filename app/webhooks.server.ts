// The webhook intake wired to the app's database, secret and queue, once for
// both ways a delivery arrives: the Remix route (app/routes/webhooks.tsx) and
// the production server's node:http path (scripts/serve.mjs, through
// entry.server's export).
import db from "./db.server";
import { enqueueMany } from "./jobs/runtime.server";
import { receiveWebhook, webhookProcessing, type IntakeDeps } from "./services/webhooks/intake.server";
import { webhookListener } from "./services/webhooks/node-listener.server";
import { verifyWebhook } from "./shopify.server";

// Read once at start-up, so a mistyped ENCORE_WEBHOOKS stops the server at once.
const deps: IntakeDeps = { db, authenticate: verifyWebhook, enqueue: webhookProcessing() === "queue" ? enqueueMany : undefined };

export const receiveWebhookRequest = (request: Request) => receiveWebhook(request, deps);
export const handleWebhookDelivery = webhookListener(deps);
