// The order status page block's backend (customer-account.order-status.block.render):
// customer account session tokens. See app/services/offers/extension-api.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleExtensionRequest } from "../services/offers/extension-route.server";
import { authenticate } from "../shopify.server";

const handle = (request: Request) => handleExtensionRequest(request, "order_status", (r) => authenticate.public.customerAccount(r));

export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
export const action = ({ request }: ActionFunctionArgs) => handle(request);
