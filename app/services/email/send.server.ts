// sendShopEmail: the one way Encore sends an email, for every feature.
//
// It is idempotent on (shop, key): a key already sent is not sent again, so a
// job retried after a crash, or the same trigger arriving twice, sends once.
// Every attempt is logged on EmailMessage (queued → sent | failed with the
// SMTP error | skipped with the reason). Marketing emails are checked against
// the shop's suppression list and carry RFC 8058 one-click unsubscribe headers.
// A failure throws, so the job that called it is retried with backoff.
import type { Db } from "../../db.server";
import { findMessage, getEmailSettings, isSuppressed } from "../../models/email.server";
import { clickUrl, openPixelUrl, unsubscribeUrl } from "./links.server";
import { smtpConfigured, smtpTransport, type TransportFactory } from "./transport.server";

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Where replies go, when not the shop's own reply-to address. */
  replyTo?: string;
}

export interface SendMeta {
  /** thank_you | review_request | … | test, or another feature's kind (e.g. "satisfaction_reply"). */
  kind: string;
  /** Natural key of the trigger, unique per shop: "thank-you:gid://shopify/Order/1". */
  key: string;
  customerId?: string | null;
  marketing: boolean;
}

export interface SendOptions {
  transport?: TransportFactory;
  now?: () => Date;
}

export type SendResult =
  | { status: "sent"; id: string; messageId: string }
  | { status: "duplicate"; id: string }
  | { status: "skipped"; id: string | null; reason: string };

const decodeEntities = (s: string) => s.replace(/&amp;/g, "&");

/** Click tracking rewrites the email's links (not unsubscribe); open tracking adds a pixel. */
export function addTracking(html: string, messageId: string): string {
  const linked = html.replace(/href="(https?:\/\/[^"]+)"/g, (whole, url: string) =>
    url.includes("/email/unsubscribe/") ? whole : `href="${clickUrl(messageId, decodeEntities(url))}"`,
  );
  const pixel = `<img src="${openPixelUrl(messageId)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
  return linked.includes("</body>") ? linked.replace("</body>", `${pixel}</body>`) : linked + pixel;
}

export async function sendShopEmail(
  db: Db,
  shopId: string,
  message: OutgoingEmail,
  meta: SendMeta,
  options: SendOptions = {},
): Promise<SendResult> {
  const now = options.now ?? (() => new Date());
  const existing = await findMessage(db, shopId, meta.key);
  if (existing?.status === "sent") return { status: "duplicate", id: existing.id };

  const base = {
    shopId,
    key: meta.key,
    kind: meta.kind,
    customerId: meta.customerId ?? null,
    marketing: meta.marketing,
    toAddress: message.to,
    subject: message.subject,
  };
  const record = async (status: string, error: string | null) =>
    db.emailMessage.upsert({
      where: { shopId_key: { shopId, key: meta.key } },
      create: { ...base, status, error },
      update: { ...base, status, error },
    });

  const settings = await getEmailSettings(db, shopId);
  if (!smtpConfigured(settings)) {
    const row = await record("skipped", "SMTP is not set up (Emails → Delivery).");
    return { status: "skipped", id: row.id, reason: "smtp-not-configured" };
  }
  if (meta.marketing && (await isSuppressed(db, shopId, message.to))) {
    const row = await record("skipped", "The customer unsubscribed from marketing emails.");
    return { status: "skipped", id: row.id, reason: "unsubscribed" };
  }

  const row = await db.emailMessage.upsert({
    where: { shopId_key: { shopId, key: meta.key } },
    create: { ...base, status: "queued", attempts: 1 },
    update: { ...base, status: "queued", attempts: { increment: 1 } },
  });
  const domain = settings.fromAddress!.split("@")[1] ?? "encore.local";
  const headers: Record<string, string> = {};
  if (meta.marketing) {
    headers["List-Unsubscribe"] = `<${unsubscribeUrl(shopId, message.to)}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  const transport = (options.transport ?? smtpTransport)(settings);
  try {
    const info = await transport.sendMail({
      from: settings.senderName ? { name: settings.senderName, address: settings.fromAddress! } : settings.fromAddress!,
      to: message.to,
      replyTo: message.replyTo || settings.replyTo || undefined,
      subject: message.subject,
      html: settings.trackingEnabled ? addTracking(message.html, row.id) : message.html,
      text: message.text,
      headers,
      // One Message-ID per log row: a resend after a crash is recognisably the same email.
      messageId: `<${row.id}@${domain}>`,
    });
    await db.emailMessage.update({
      where: { id: row.id },
      data: { status: "sent", error: null, sentAt: now(), messageId: info.messageId ?? `<${row.id}@${domain}>` },
    });
    return { status: "sent", id: row.id, messageId: info.messageId };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    await db.emailMessage.update({ where: { id: row.id }, data: { status: "failed", error: text.slice(0, 1000) } });
    throw error;
  } finally {
    transport.close?.();
  }
}
