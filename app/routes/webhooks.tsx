// Every webhook topic Encore subscribes to (shopify.app.toml) is delivered
// here; the work is in app/services/webhooks/.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { receiveWebhook } from "../services/webhooks/intake.server";
import { authenticate } from "../shopify.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, { db, authenticate: authenticate.webhook });
