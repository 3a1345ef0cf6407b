// Every webhook topic Encore subscribes to (shopify.app.toml) is delivered
// here; the work is in app/services/webhooks/.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { enqueue } from "../jobs/runtime.server";
import { receiveWebhook, webhookProcessing } from "../services/webhooks/intake.server";
import { verifyWebhook } from "../shopify.server";

// Read once at start-up, so a mistyped value stops the server at once.
const queued = webhookProcessing() === "queue";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, { db, authenticate: verifyWebhook, enqueue: queued ? enqueue : undefined });
