// Survey and returns settings: the merchant's choices, validated here (pure)
// so the form, the survey endpoint and the tests agree on every rule.

export const SCALES = ["csat", "nps"] as const;
export type Scale = (typeof SCALES)[number];

export const SCALE_RANGE: Record<Scale, { min: number; max: number }> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
};

export const SCALE_LABELS: Record<Scale, string> = {
  csat: "Customer satisfaction (CSAT, 1–5)",
  nps: "Net Promoter Score (NPS, 0–10)",
};

/** A sensible low-score threshold when the merchant switches scale. */
export const DEFAULT_THRESHOLD: Record<Scale, number> = { csat: 2, nps: 6 };

export const MAX_SOURCE_OPTIONS = 12;
export const MAX_COMMENT = 2000;
export const MAX_POINTS_FOR_ANSWER = 100_000;
export const MAX_RETURN_WINDOW_DAYS = 365;

export interface SatisfactionSettingsValue {
  surveyEnabled: boolean;
  scale: Scale;
  question: string;
  commentEnabled: boolean;
  sourceQuestionEnabled: boolean;
  sourceQuestion: string;
  sourceOptions: string[];
  pointsForAnswer: number;
  lowScoreThreshold: number;
  notifyEmail: string | null;
  returnsEnabled: boolean;
  returnWindowDays: number;
}

export type SettingsField = keyof SatisfactionSettingsValue;
export type SatisfactionSettingsErrors = Partial<Record<SettingsField, string>>;

export const isScale = (v: unknown): v is Scale => SCALES.includes(v as Scale);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const flag = (v: FormDataEntryValue | null) => v === "true" || v === "on";

function wholeNumber(raw: FormDataEntryValue | null): number | null {
  const text = String(raw ?? "").trim();
  if (!/^-?\d+$/.test(text)) return null;
  return Number(text);
}

/** The merchant's answers to "How did you hear about us?", one a line, trimmed and deduplicated. */
export function parseSourceOptions(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const option = line.trim();
    if (!option || seen.has(option.toLowerCase())) continue;
    seen.add(option.toLowerCase());
    out.push(option);
  }
  return out;
}

export function validateSatisfactionSettings(
  form: FormData,
): { ok: true; value: SatisfactionSettingsValue } | { ok: false; errors: SatisfactionSettingsErrors } {
  const errors: SatisfactionSettingsErrors = {};
  const scaleRaw = String(form.get("scale") ?? "");
  const scale: Scale = isScale(scaleRaw) ? scaleRaw : "csat";
  if (!isScale(scaleRaw)) errors.scale = "Choose CSAT or NPS.";

  const question = String(form.get("question") ?? "").trim();
  if (!question) errors.question = "Enter the question customers are asked.";
  else if (question.length > 200) errors.question = "Keep the question under 200 characters.";

  const sourceQuestionEnabled = flag(form.get("sourceQuestionEnabled"));
  const sourceQuestion = String(form.get("sourceQuestion") ?? "").trim() || "How did you hear about us?";
  if (sourceQuestion.length > 200) errors.sourceQuestion = "Keep the question under 200 characters.";
  const sourceOptions = parseSourceOptions(String(form.get("sourceOptions") ?? ""));
  if (sourceQuestionEnabled && sourceOptions.length < 2) errors.sourceOptions = "Give at least two answers, one a line.";
  else if (sourceOptions.length > MAX_SOURCE_OPTIONS) errors.sourceOptions = `At most ${MAX_SOURCE_OPTIONS} answers.`;
  else if (sourceOptions.some((o) => o.length > 60)) errors.sourceOptions = "Keep each answer under 60 characters.";

  const points = wholeNumber(form.get("pointsForAnswer"));
  if (points === null || points < 0 || points > MAX_POINTS_FOR_ANSWER) {
    errors.pointsForAnswer = `Enter a whole number from 0 to ${MAX_POINTS_FOR_ANSWER.toLocaleString("en-US")} (0 turns it off).`;
  }

  const { min, max } = SCALE_RANGE[scale];
  const threshold = wholeNumber(form.get("lowScoreThreshold"));
  if (threshold === null || threshold < min || threshold >= max) {
    errors.lowScoreThreshold = `Enter a score from ${min} to ${max - 1}.`;
  }

  const notifyRaw = String(form.get("notifyEmail") ?? "").trim();
  if (notifyRaw && (!EMAIL.test(notifyRaw) || notifyRaw.length > 254)) errors.notifyEmail = "Enter a valid email address, or leave it empty.";

  const windowDays = wholeNumber(form.get("returnWindowDays"));
  if (windowDays === null || windowDays < 1 || windowDays > MAX_RETURN_WINDOW_DAYS) {
    errors.returnWindowDays = `Enter a number of days from 1 to ${MAX_RETURN_WINDOW_DAYS}.`;
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      surveyEnabled: flag(form.get("surveyEnabled")),
      scale,
      question,
      commentEnabled: flag(form.get("commentEnabled")),
      sourceQuestionEnabled,
      sourceQuestion,
      sourceOptions,
      pointsForAnswer: points!,
      lowScoreThreshold: threshold!,
      notifyEmail: notifyRaw || null,
      returnsEnabled: flag(form.get("returnsEnabled")),
      returnWindowDays: windowDays!,
    },
  };
}

/** Whether a score is valid on the scale. */
export function validScore(scale: Scale, score: unknown): score is number {
  const { min, max } = SCALE_RANGE[scale];
  return typeof score === "number" && Number.isInteger(score) && score >= min && score <= max;
}

export const isLowScore = (settings: { lowScoreThreshold: number }, score: number) => score <= settings.lowScoreThreshold;

/**
 * NPS = % promoters (9–10) − % detractors (0–6), −100…100.
 * CSAT = % of answers that are 4 or 5.
 */
export function scoreOf(scale: Scale, scores: number[]): number | null {
  if (!scores.length) return null;
  if (scale === "nps") {
    const promoters = scores.filter((s) => s >= 9).length;
    const detractors = scores.filter((s) => s <= 6).length;
    return Math.round(((promoters - detractors) / scores.length) * 100);
  }
  return Math.round((scores.filter((s) => s >= 4).length / scores.length) * 100);
}
