// GET /api/rewards — the signed-in customer's balance, rewards and codes, for
// the customer account extension (session token in the Authorization header).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { accountView } from "../services/rewards/account.server";
import { appUrlOf, errorResponse, jsonResponse, shopperContext } from "../services/rewards/shopper.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, customer, cors } = await shopperContext(db, request);
  return jsonResponse(cors, await accountView(db, shop, customer, appUrlOf(request)));
};

// Browsers preflight the cross-origin GET (it carries Authorization): Remix
// routes OPTIONS to the action, where authentication answers it.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors } = await shopperContext(db, request);
  return errorResponse(cors, 405, "method_not_allowed", "Use GET.");
};
