// POST /api/rewards/redeem {rewardId, requestId} — spends the signed-in
// customer's points on a reward and answers with the code. The request id is
// chosen once per click by the extension, so a retry returns the same code.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { redeemForShopper } from "../services/rewards/account.server";
import { RedemptionError } from "../services/rewards/redemption.server";
import { errorResponse, jsonResponse, shopperContext } from "../services/rewards/shopper.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, customer, cors } = await shopperContext(db, request);
  if (request.method !== "POST") return errorResponse(cors, 405, "method_not_allowed", "Use POST.");
  let body: Record<string, unknown>;
  try {
    body = (await request.json()) as Record<string, unknown>;
    if (!body || typeof body !== "object") throw new Error("not an object");
  } catch {
    return errorResponse(cors, 400, "invalid_request", "Send a JSON body with rewardId and requestId.");
  }
  try {
    return jsonResponse(cors, await redeemForShopper(db, shop, customer, body));
  } catch (error) {
    if (error instanceof RedemptionError) return errorResponse(cors, error.status, error.code, error.message);
    throw error;
  }
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { cors } = await shopperContext(db, request);
  return errorResponse(cors, 405, "method_not_allowed", "Use POST.");
};
