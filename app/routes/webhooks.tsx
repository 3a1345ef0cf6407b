// Every webhook topic Encore subscribes to (shopify.app.toml) is delivered
// here; the work is in app/services/webhooks/. In production the server
// (scripts/serve.mjs) answers POST /webhooks before Remix with the same intake.
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhookRequest } from "../webhooks.server";

export const action = ({ request }: ActionFunctionArgs) => receiveWebhookRequest(request);
