// The one place the satisfaction features send email. Services take a
// `Notify` as a parameter (tests pass a fake that records); routes use
// `notifier(db)` below, which is where the app's email sender is wired.
import type { Db } from "../../db.server";

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

/**
 * The app's sender for the satisfaction features. Until the shared email
 * service (app/services/email, `sendShopEmail`) lands in this branch, messages
 * are written to the server log so nothing is lost silently; at merge this
 * becomes `sendShopEmail(db, shopId, message, { ...meta, marketing: false })`.
 */
export function notifier(_db: Db, shopId: string): Notify {
  return async (message, meta) => {
    console.info(`[encore] email for ${shopId} (${meta.kind}, ${meta.key}) to ${message.to}: ${message.subject}`);
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
