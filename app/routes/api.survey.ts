// The survey block's backend (thank-you and order status pages).
//   GET  /api/survey?orderId=gid&surface=thank-you|order-status  → the survey and any answer given
//   POST /api/survey  { orderId, orderName?, score, comment?, source?, products? } → the stored answer
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticateExtension, json, readJson } from "../services/satisfaction/extension-request.server";
import { notifier } from "../services/satisfaction/mail.server";
import { ORDER_GID, SurveyError, normalizeOrderId, submitSurvey, surveyFor } from "../services/satisfaction/survey.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopId, customerShopifyId, cors } = await authenticateExtension(request);
  const orderId = normalizeOrderId(new URL(request.url).searchParams.get("orderId"));
  if (!ORDER_GID.test(orderId)) return cors(json({ error: "orderId must be an Order gid.", field: "orderId" }, { status: 400 }));
  try {
    return cors(json({ survey: await surveyFor(db, shopId, orderId, customerShopifyId) }));
  } catch (error) {
    if (error instanceof SurveyError) return cors(json({ error: error.message, field: error.field ?? null }, { status: error.status }));
    throw error;
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopId, customerShopifyId, surface, cors } = await authenticateExtension(request);
  if (request.method !== "POST") return cors(json({ error: "Method not allowed" }, { status: 405 }));
  const body = await readJson(request);
  if (!body) return cors(json({ error: "Send a JSON object." }, { status: 400 }));
  try {
    const result = await submitSurvey(
      db,
      {
        shopId,
        orderId: normalizeOrderId(body.orderId),
        orderName: typeof body.orderName === "string" ? body.orderName : null,
        customerShopifyId,
        score: body.score,
        comment: body.comment,
        source: body.source,
        products: body.products,
        channel: surface,
      },
      { notify: notifier(db, shopId) },
    );
    const { response } = result;
    return cors(
      json({
        answer: { score: response.score, comment: response.comment, source: response.source },
        updated: result.updated,
        pointsAwarded: result.pointsAwarded,
      }),
    );
  } catch (error) {
    if (error instanceof SurveyError) return cors(json({ error: error.message, field: error.field ?? null }, { status: error.status }));
    throw error;
  }
};
