// The shape of a shop's email settings (EmailSettings.types is this, as JSON)
// and their defaults. Pure: used by the jobs, the admin page and tests.
import { z } from "zod";

export const EMAIL_KINDS = ["thank_you", "review_request", "reward_ready", "points_expiring", "win_back"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/**
 * Transactional emails are about the customer's own order or account and go
 * to every customer; marketing emails go only to customers whose Shopify
 * email-marketing consent is "subscribed" and who have not unsubscribed.
 * The thank-you email is transactional, but its product recommendations are
 * marketing content: they are included only for subscribed customers, and
 * then the email is sent as marketing (with one-click unsubscribe).
 */
export const MARKETING_KINDS: ReadonlySet<string> = new Set<EmailKind>(["win_back"]);

/** The merchant's editable text blocks; empty means "use the translated default". */
export interface TextBlocks {
  subject: string;
  heading: string;
  body: string;
}

export interface KindSettings extends TextBlocks {
  enabled: boolean;
  /** Thank-you: minutes after payment. Follow-ups: days after their trigger. */
  delay: number;
}

export type TypeSettings = Record<EmailKind, KindSettings>;

export const DELAY_UNIT: Record<EmailKind, "minutes" | "days"> = {
  thank_you: "minutes",
  review_request: "days",
  reward_ready: "minutes",
  points_expiring: "days",
  win_back: "days",
};

export const DEFAULT_TYPES: TypeSettings = {
  thank_you: { enabled: true, delay: 10, subject: "", heading: "", body: "" },
  review_request: { enabled: true, delay: 7, subject: "", heading: "", body: "" },
  reward_ready: { enabled: true, delay: 0, subject: "", heading: "", body: "" },
  // Days before the points expire.
  points_expiring: { enabled: false, delay: 14, subject: "", heading: "", body: "" },
  // Days without an order.
  win_back: { enabled: false, delay: 90, subject: "", heading: "", body: "" },
};

export const DELAY_LIMITS: Record<EmailKind, { min: number; max: number }> = {
  thank_you: { min: 0, max: 7 * 24 * 60 },
  review_request: { min: 0, max: 90 },
  reward_ready: { min: 0, max: 7 * 24 * 60 },
  points_expiring: { min: 1, max: 90 },
  win_back: { min: 7, max: 730 },
};

const kindSettings = z.object({
  enabled: z.boolean(),
  delay: z.number().int(),
  subject: z.string().max(200),
  heading: z.string().max(200),
  body: z.string().max(5000),
});

/** The stored JSON merged over the defaults (unknown or broken values fall back). */
export function parseTypes(json: string | null | undefined): TypeSettings {
  let raw: Record<string, unknown> = {};
  try {
    raw = json ? (JSON.parse(json) as Record<string, unknown>) : {};
  } catch {
    raw = {};
  }
  const out = {} as TypeSettings;
  for (const kind of EMAIL_KINDS) {
    const parsed = kindSettings.partial().safeParse(raw[kind] ?? {});
    out[kind] = { ...DEFAULT_TYPES[kind], ...(parsed.success ? parsed.data : {}) };
  }
  return out;
}

export type FieldErrors = Record<string, string>;

/** Validates one email type's form fields; errors are keyed by field name. */
export function validateKindForm(
  kind: EmailKind,
  form: { enabled: string | null; delay: string | null; subject: string | null; heading: string | null; body: string | null },
): { value: KindSettings } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const limits = DELAY_LIMITS[kind];
  const delayText = (form.delay ?? "").trim();
  const delay = Number(delayText);
  if (!/^\d+$/.test(delayText) || delay < limits.min || delay > limits.max) {
    errors.delay = `Enter a whole number of ${DELAY_UNIT[kind]} from ${limits.min} to ${limits.max}.`;
  }
  const subject = (form.subject ?? "").trim();
  const heading = (form.heading ?? "").trim();
  const body = (form.body ?? "").trim();
  if (subject.length > 200) errors.subject = "Keep the subject under 200 characters.";
  if (heading.length > 200) errors.heading = "Keep the heading under 200 characters.";
  if (body.length > 5000) errors.body = "Keep the text under 5,000 characters.";
  if (Object.keys(errors).length) return { errors };
  return { value: { enabled: form.enabled === "true" || form.enabled === "on", delay, subject, heading, body } };
}

export const SMTP_SECURITY = ["starttls", "tls", "none"] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

const emailAddress = z.string().email();

export interface BrandingForm {
  senderName: string;
  fromAddress: string;
  replyTo: string;
  logoUrl: string;
  brandColor: string;
  trackingEnabled: boolean;
}

export function validateBranding(form: Record<string, string | null>): { value: BrandingForm } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const v = (k: string) => (form[k] ?? "").trim();
  if (v("senderName").length > 100) errors.senderName = "Keep the sender name under 100 characters.";
  if (v("fromAddress") && !emailAddress.safeParse(v("fromAddress")).success) errors.fromAddress = "Enter an email address.";
  if (v("replyTo") && !emailAddress.safeParse(v("replyTo")).success) errors.replyTo = "Enter an email address.";
  if (v("logoUrl") && !/^https:\/\/\S+$/.test(v("logoUrl"))) errors.logoUrl = "Enter an https:// image URL.";
  if (!/^#[0-9a-fA-F]{6}$/.test(v("brandColor"))) errors.brandColor = "Enter a colour like #2c6ecb.";
  if (Object.keys(errors).length) return { errors };
  return {
    value: {
      senderName: v("senderName"),
      fromAddress: v("fromAddress"),
      replyTo: v("replyTo"),
      logoUrl: v("logoUrl"),
      brandColor: v("brandColor").toLowerCase(),
      trackingEnabled: form.trackingEnabled === "true" || form.trackingEnabled === "on",
    },
  };
}

export interface SmtpForm {
  smtpHost: string;
  smtpPort: number;
  smtpSecurity: SmtpSecurity;
  smtpUser: string;
  /** null: keep the stored password. */
  smtpPassword: string | null;
}

export function validateSmtp(form: Record<string, string | null>): { value: SmtpForm } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const v = (k: string) => (form[k] ?? "").trim();
  if (!/^[a-zA-Z0-9.-]+$/.test(v("smtpHost"))) errors.smtpHost = "Enter the SMTP server's host name, e.g. smtp.example.com.";
  const port = Number(v("smtpPort"));
  if (!/^\d+$/.test(v("smtpPort")) || port < 1 || port > 65535) errors.smtpPort = "Enter a port from 1 to 65535 (usually 587 or 465).";
  const security = v("smtpSecurity") as SmtpSecurity;
  if (!SMTP_SECURITY.includes(security)) errors.smtpSecurity = "Choose how to secure the connection.";
  if (Object.keys(errors).length) return { errors };
  const password = form.smtpPassword ?? "";
  return {
    value: {
      smtpHost: v("smtpHost"),
      smtpPort: port,
      smtpSecurity: security,
      smtpUser: v("smtpUser"),
      smtpPassword: password === "" ? null : password,
    },
  };
}
