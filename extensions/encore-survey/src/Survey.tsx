/** @jsxImportSource preact */
// The survey block: question, score buttons, optional comment and second
// question, then a thank-you. Renders nothing while loading or if Encore's
// backend cannot be reached, so the page never shows a broken block.
import { useEffect, useState } from "preact/hooks";
import { backend, type Surface } from "./backend";

export interface SurveyConfig {
  enabled: boolean;
  scale: "csat" | "nps";
  question: string;
  commentEnabled: boolean;
  sourceQuestion: string | null;
  sourceOptions: string[];
  pointsForAnswer: number;
  answer: { score: number; comment: string | null; source: string | null } | null;
}

export interface SurveyProps {
  surface: Surface;
  orderId: string;
  orderName?: string | null;
  products: { productId: string; title: string }[];
  heading?: string | null;
  translate: (key: string, replacements?: Record<string, string | number>) => string;
  getToken: () => Promise<string>;
}

const RANGE = { csat: [1, 5], nps: [0, 10] } as const;

export function Survey({ surface, orderId, orderName, products, heading, translate: t, getToken }: SurveyProps) {
  const [config, setConfig] = useState<SurveyConfig | null>(null);
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [source, setSource] = useState("");
  const [state, setState] = useState<"form" | "sending" | "thanks">("form");
  const [points, setPoints] = useState(0);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    backend<{ survey: SurveyConfig }>(getToken, surface, "/api/survey", { query: { orderId } })
      .then(({ survey }) => {
        if (!live) return;
        setConfig(survey);
        if (survey.answer) {
          setScore(survey.answer.score);
          setComment(survey.answer.comment ?? "");
          setSource(survey.answer.source ?? "");
          setState("thanks");
        }
      })
      .catch(() => {
        // Backend down or not installed: stay hidden.
      });
    return () => {
      live = false;
    };
  }, [orderId, surface]);

  if (!config || !config.enabled) return null;
  const [min, max] = RANGE[config.scale];

  const send = async () => {
    if (score === null) return;
    setState("sending");
    setFailed(false);
    try {
      const result = await backend<{ pointsAwarded: number }>(getToken, surface, "/api/survey", {
        method: "POST",
        body: { orderId, orderName, score, comment: config.commentEnabled ? comment : undefined, source: source || undefined, products },
      });
      setPoints(result.pointsAwarded);
      setState("thanks");
    } catch {
      setFailed(true);
      setState("form");
    }
  };

  if (state === "thanks") {
    return (
      <s-stack gap="base">
        <s-banner tone="success" heading={points > 0 ? t("thanksPoints", { points }) : t("thanks")} />
        <s-button variant="secondary" onClick={() => setState("form")}>
          {t("change")}
        </s-button>
      </s-stack>
    );
  }

  return (
    <s-stack gap="base">
      <s-heading>{heading || t("heading")}</s-heading>
      <s-text>{config.question}</s-text>
      {config.pointsForAnswer > 0 && !config.answer && <s-text color="subdued">{t("pointsOffer", { points: config.pointsForAnswer })}</s-text>}
      <s-stack direction="inline" gap="small-200">
        {Array.from({ length: max - min + 1 }, (_, i) => min + i).map((n) => (
          <s-button
            key={n}
            variant={score === n ? "primary" : "secondary"}
            accessibilityLabel={t("scoreLabel", { score: n, max })}
            onClick={() => setScore(n)}
          >
            {String(n)}
          </s-button>
        ))}
      </s-stack>
      <s-stack direction="inline" justifyContent="space-between">
        <s-text color="subdued">{t(`lowEnd.${config.scale}`)}</s-text>
        <s-text color="subdued">{t(`highEnd.${config.scale}`)}</s-text>
      </s-stack>
      {config.sourceQuestion && (
        <s-select label={config.sourceQuestion} value={source} onChange={(e: Event) => setSource((e.currentTarget as HTMLSelectElement).value)}>
          <s-option value="">{t("sourcePlaceholder")}</s-option>
          {config.sourceOptions.map((o) => (
            <s-option key={o} value={o}>
              {o}
            </s-option>
          ))}
        </s-select>
      )}
      {config.commentEnabled && (
        <s-text-area
          label={t("comment")}
          value={comment}
          maxLength={2000}
          onInput={(e: Event) => setComment((e.currentTarget as HTMLTextAreaElement).value)}
        />
      )}
      {failed && <s-banner tone="critical" heading={t("error")} />}
      <s-button variant="primary" disabled={score === null || state === "sending"} loading={state === "sending"} onClick={send}>
        {config.answer ? t("update") : t("send")}
      </s-button>
    </s-stack>
  );
}
