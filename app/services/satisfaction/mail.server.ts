// The one place the satisfaction features send email. Services take a
// `Notify` as a parameter (tests pass a fake that records); routes use
// `notifier(db, shopId)` below, which hands each message to the job queue:
// the email job sends it through the shop's SMTP (app/services/email), retries
// it with backoff and sends it once per key, and the request that caused it
// (a survey answer, a merchant's reply) never waits on SMTP.
import type { Db } from "../../db.server";
import type { DeliverPayload } from "../../jobs/emails.server";
import { enqueue as appEnqueue } from "../../jobs/runtime.server";
import type { Enqueue } from "../../jobs/types";
import { JOB } from "../email/flows.server";

export interface OutgoingMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
}

export interface MessageMeta {
  /** What the message is (satisfaction.low_score, satisfaction.reply, returns.declined, …). */
  kind: string;
  /** Natural key, so a retried action sends once. */
  key: string;
  customerId?: string;
}

export type Notify = (message: OutgoingMessage, meta: MessageMeta) => Promise<void>;

/** The app's sender for the satisfaction features: one queued email job per message key. */
export function notifier(_db: Db, shopId: string, enqueue: Enqueue = appEnqueue): Notify {
  return async (message, meta) => {
    const payload: DeliverPayload = {
      shopId,
      key: meta.key,
      kind: meta.kind,
      customerId: meta.customerId ?? "",
      to: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      replyTo: message.replyTo ?? "",
    };
    await enqueue(JOB.deliver, { ...payload }, { key: `deliver:${shopId}:${meta.key}` });
  };
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Plain text to simple HTML paragraphs. */
export const textToHtml = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
