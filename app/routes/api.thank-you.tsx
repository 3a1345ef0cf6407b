// The thank-you page block's backend (purchase.thank-you.block.render):
// checkout session tokens. See app/services/offers/extension-api.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleExtensionRequest } from "../services/offers/extension-route.server";
import { authenticate } from "../shopify.server";

const handle = (request: Request) => handleExtensionRequest(request, "thank_you", (r) => authenticate.public.checkout(r));

export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
export const action = ({ request }: ActionFunctionArgs) => handle(request);
