// The survey from an email link, answered without logging in. The token in the
// URL is signed for one shop's order (app/services/email/links.server.ts).
// `?score=N` (the email's one-click buttons) only preselects: a GET never
// records an answer, since mail scanners open links.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import db from "../db.server";
import { findResponse, getSatisfactionSettings } from "../models/satisfaction.server";
import { verifySurveyLinkToken } from "../services/email/links.server";
import { notifier } from "../services/satisfaction/mail.server";
import { MAX_COMMENT, SCALE_RANGE, validScore } from "../services/satisfaction/settings";
import { SurveyError, submitSurvey } from "../services/satisfaction/survey.server";

export const meta: MetaFunction = () => [{ title: "How did we do?" }, { name: "robots", content: "noindex" }];

function notFound(): never {
  throw new Response("This survey link is not valid.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

async function surveyOf(token: string | undefined) {
  const claims = verifySurveyLinkToken(token ?? "");
  if (!claims) notFound();
  const shop = await db.shop.findUnique({ where: { id: claims.shopId } });
  if (!shop || shop.uninstalledAt) notFound();
  const settings = await getSatisfactionSettings(db, shop.id);
  return { claims, shop, settings };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { claims, shop, settings } = await surveyOf(params.token);
  const [existing, award] = await Promise.all([
    findResponse(db, shop.id, claims.orderId),
    db.orderAward.findUnique({ where: { shopId_orderId: { shopId: shop.id, orderId: claims.orderId } }, select: { orderName: true } }),
  ]);
  const preselect = Number(new URL(request.url).searchParams.get("score"));
  const fromLink = new URL(request.url).searchParams.has("score") && validScore(settings.scale, preselect) ? preselect : null;
  return {
    shopName: shop.name ?? shop.id.replace(".myshopify.com", ""),
    orderName: existing?.orderName ?? award?.orderName ?? null,
    enabled: settings.surveyEnabled,
    scale: settings.scale,
    question: settings.question,
    commentEnabled: settings.commentEnabled,
    sourceQuestion: settings.sourceQuestionEnabled ? settings.sourceQuestion : null,
    sourceOptions: settings.sourceQuestionEnabled ? settings.sourceOptions : [],
    score: fromLink ?? existing?.score ?? null,
    comment: existing?.comment ?? "",
    source: existing?.source ?? "",
    answered: Boolean(existing),
  };
};

type ActionResult = { ok: true } | { ok: false; error: string; field: string | null };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionResult> => {
  const { claims, shop } = await surveyOf(params.token);
  const form = await request.formData();
  const scoreText = String(form.get("score") ?? "");
  try {
    await submitSurvey(
      db,
      {
        shopId: shop.id,
        orderId: claims.orderId,
        score: /^\d{1,2}$/.test(scoreText) ? Number(scoreText) : null,
        comment: form.get("comment") === null ? undefined : String(form.get("comment")),
        source: form.get("source") === null ? undefined : String(form.get("source")),
        channel: "email",
      },
      { notify: notifier(db, shop.id) },
    );
    return { ok: true };
  } catch (error) {
    if (error instanceof SurveyError) return { ok: false, error: error.message, field: error.field ?? null };
    throw error;
  }
};

const styles = `
  body { margin: 0; }
  .survey { font-family: Inter, system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; background: #f4f4f5; min-height: 100vh; margin: 0; padding: 48px 16px; box-sizing: border-box; }
  .card { max-width: 560px; margin: 0 auto; background: #fff; border-radius: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.08), 0 8px 24px rgba(0,0,0,.06); padding: 32px; }
  .shop { font-size: 14px; color: #616161; margin: 0 0 8px; letter-spacing: .02em; text-transform: uppercase; }
  h1 { font-size: 24px; line-height: 1.3; margin: 0 0 24px; }
  fieldset { border: 0; padding: 0; margin: 0 0 24px; }
  legend { font-weight: 600; margin-bottom: 12px; }
  .scores { display: flex; flex-wrap: wrap; gap: 8px; }
  .scores label { flex: 1 0 40px; }
  .scores input { position: absolute; opacity: 0; pointer-events: none; }
  .scores span { display: block; text-align: center; padding: 12px 0; border: 1px solid #d4d4d8; border-radius: 10px; cursor: pointer; font-weight: 600; transition: all .15s; }
  .scores input:checked + span { background: #1a1a1a; border-color: #1a1a1a; color: #fff; }
  .scores input:focus-visible + span { outline: 2px solid #2563eb; outline-offset: 2px; }
  .ends { display: flex; justify-content: space-between; font-size: 13px; color: #616161; margin-top: 8px; }
  textarea, select { width: 100%; box-sizing: border-box; border: 1px solid #d4d4d8; border-radius: 10px; padding: 12px; font: inherit; }
  textarea { min-height: 110px; resize: vertical; }
  button { width: 100%; border: 0; border-radius: 10px; background: #1a1a1a; color: #fff; font: inherit; font-weight: 600; padding: 14px; cursor: pointer; }
  button[disabled] { opacity: .6; cursor: default; }
  .error { background: #fef2f2; color: #991b1b; border-radius: 10px; padding: 12px 16px; margin-bottom: 16px; }
  .thanks { text-align: center; }
  .thanks p { color: #3f3f46; }
  .link { background: none; color: #1a1a1a; text-decoration: underline; width: auto; padding: 0; font-weight: 400; }
`;

export default function SurveyPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [editing, setEditing] = useState(false);
  const [score, setScore] = useState<number | null>(data.score);
  const { min, max } = SCALE_RANGE[data.scale];
  const submitting = navigation.state === "submitting";
  const thanked = result?.ok && !editing;

  return (
    <main className="survey">
      <style dangerouslySetInnerHTML={{ __html: styles }} />
      <div className="card">
        <p className="shop">{data.shopName}</p>
        {!data.enabled ? (
          <div className="thanks">
            <h1>This survey is closed</h1>
            <p>Thank you for shopping with us.</p>
          </div>
        ) : thanked ? (
          <div className="thanks">
            <h1>Thank you for your feedback!</h1>
            <p>It helps us do better{data.orderName ? ` — and it's saved for order ${data.orderName}` : ""}.</p>
            <button type="button" className="link" onClick={() => setEditing(true)}>
              Change my answer
            </button>
          </div>
        ) : (
          <Form method="post" onSubmit={() => setEditing(false)}>
            <h1>{data.question}</h1>
            {result && !result.ok && (
              <div className="error" role="alert">
                {result.error}
              </div>
            )}
            <fieldset>
              <legend>{data.orderName ? `Your order ${data.orderName}` : "Your order"}</legend>
              <div className="scores">
                {Array.from({ length: max - min + 1 }, (_, i) => min + i).map((n) => (
                  <label key={n}>
                    <input type="radio" name="score" value={n} checked={score === n} onChange={() => setScore(n)} required />
                    <span>{n}</span>
                  </label>
                ))}
              </div>
              <div className="ends">
                <span>{data.scale === "nps" ? "Not likely" : "Very unsatisfied"}</span>
                <span>{data.scale === "nps" ? "Very likely" : "Very satisfied"}</span>
              </div>
            </fieldset>
            {data.sourceQuestion && (
              <fieldset>
                <legend>
                  <label htmlFor="source">{data.sourceQuestion}</label>
                </legend>
                <select id="source" name="source" defaultValue={data.source}>
                  <option value="">Choose an answer (optional)</option>
                  {data.sourceOptions.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              </fieldset>
            )}
            {data.commentEnabled && (
              <fieldset>
                <legend>
                  <label htmlFor="comment">Anything you&apos;d like to tell us? (optional)</label>
                </legend>
                <textarea id="comment" name="comment" maxLength={MAX_COMMENT} defaultValue={data.comment} />
              </fieldset>
            )}
            <button type="submit" disabled={submitting || score === null}>
              {submitting ? "Sending…" : data.answered ? "Update my answer" : "Send"}
            </button>
          </Form>
        )}
      </div>
    </main>
  );
}
