// Refund / exchange / store-credit requests from the order status page
// (customer account session tokens only: the shopper is signed in).
//   GET  /api/returns?orderId=gid&surface=order-status → eligible items and earlier requests with their status
//   POST /api/returns { orderId, resolution, reason, note?, lines: [{ fulfillmentLineItemId, quantity, exchangeVariantId? }] }
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticateExtension, json, readJson, type ExtensionContext } from "../services/satisfaction/extension-request.server";
import { notifier } from "../services/satisfaction/mail.server";
import { RETURN_REASONS, RESOLUTIONS, RESOLUTION_LABELS, ReturnError, createReturnRequest, returnEligibility } from "../services/satisfaction/returns.server";
import { ORDER_GID } from "../services/satisfaction/survey.server";
import { unauthenticated } from "../shopify.server";

async function signedIn(request: Request): Promise<ExtensionContext & { customerShopifyId: string }> {
  const context = await authenticateExtension(request);
  if (!context.customerShopifyId) throw context.cors(json({ error: "Sign in to request a return." }, { status: 401 }));
  return context as ExtensionContext & { customerShopifyId: string };
}

const failure = (cors: ExtensionContext["cors"], error: unknown) => {
  if (error instanceof ReturnError) return cors(json({ error: error.message, field: error.field ?? null }, { status: error.status }));
  throw error;
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId, customerShopifyId, cors } = await signedIn(request);
  const orderId = new URL(request.url).searchParams.get("orderId") ?? "";
  if (!ORDER_GID.test(orderId)) return cors(json({ error: "orderId must be an Order gid.", field: "orderId" }, { status: 400 }));
  try {
    const { admin } = await unauthenticated.admin(shopId);
    const { order: _order, ...eligibility } = await returnEligibility(db, admin.graphql, { shopId, orderId, customerShopifyId });
    return cors(
      json({
        ...eligibility,
        reasons: Object.entries(RETURN_REASONS).map(([value, label]) => ({ value, label })),
        resolutions: RESOLUTIONS.map((value) => ({ value, label: RESOLUTION_LABELS[value] })),
      }),
    );
  } catch (error) {
    return failure(cors, error);
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopId, customerShopifyId, cors } = await signedIn(request);
  if (request.method !== "POST") return cors(json({ error: "Method not allowed" }, { status: 405 }));
  const body = await readJson(request);
  if (!body) return cors(json({ error: "Send a JSON object." }, { status: 400 }));
  const orderId = String(body.orderId ?? "");
  if (!ORDER_GID.test(orderId)) return cors(json({ error: "orderId must be an Order gid.", field: "orderId" }, { status: 400 }));
  try {
    const { admin } = await unauthenticated.admin(shopId);
    const { request: created } = await createReturnRequest(
      db,
      admin.graphql,
      { shopId, orderId, customerShopifyId, resolution: body.resolution, reason: body.reason, note: body.note, lines: body.lines },
      { notify: notifier(db, shopId) },
    );
    return cors(json({ request: { id: created.id, status: created.status } }, { status: 201 }));
  } catch (error) {
    return failure(cors, error);
  }
};
