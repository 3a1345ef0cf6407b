// SMTP delivery with nodemailer, configured per shop (EmailSettings).
import nodemailer, { type SendMailOptions } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { EmailSettingsRecord } from "../../models/email.server";
import { decryptSecret } from "./crypto.server";

export interface MailTransport {
  sendMail(mail: SendMailOptions): Promise<{ messageId: string }>;
  close?(): void;
}

/** Tests and the admin's test button can swap how a shop's transport is made. */
export type TransportFactory = (settings: EmailSettingsRecord) => MailTransport;

export function smtpConfigured(s: Pick<EmailSettingsRecord, "smtpHost" | "fromAddress">): boolean {
  return Boolean(s.smtpHost && s.fromAddress);
}

export function smtpOptions(s: EmailSettingsRecord): SMTPTransport.Options {
  return {
    host: s.smtpHost ?? undefined,
    port: s.smtpPort,
    secure: s.smtpSecurity === "tls",
    requireTLS: s.smtpSecurity === "starttls",
    ignoreTLS: s.smtpSecurity === "none",
    auth: s.smtpUser ? { user: s.smtpUser, pass: s.smtpPasswordEnc ? decryptSecret(s.smtpPasswordEnc) : "" } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  };
}

export const smtpTransport: TransportFactory = (settings) => nodemailer.createTransport(smtpOptions(settings));
