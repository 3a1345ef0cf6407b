// Data access for emails: settings, the send log and the suppression list.
import type { Db } from "../db.server";
import { cachedShopData, invalidateShopData } from "../services/cache.server";
import { isUniqueViolation } from "./errors";

export type EmailSettingsRecord = NonNullable<Awaited<ReturnType<Db["emailSettings"]["findUnique"]>>>;

/** The shop's settings, or the defaults when it has saved none (reading never writes). */
export async function getEmailSettings(db: Db, shopId: string): Promise<EmailSettingsRecord> {
  const found = await db.emailSettings.findUnique({ where: { shopId } });
  if (found) return found;
  const now = new Date(0);
  return {
    shopId,
    senderName: null,
    fromAddress: null,
    replyTo: null,
    logoUrl: null,
    brandColor: "#2c6ecb",
    smtpHost: null,
    smtpPort: 587,
    smtpSecurity: "starttls",
    smtpUser: null,
    smtpPasswordEnc: null,
    trackingEnabled: false,
    types: "{}",
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The settings through the per-shop cache (../services/cache.server.ts), for
 * orders/paid: whether a thank-you is queued is decided on every order.
 * Saving forgets them in this process; others read them again within seconds.
 */
export function cachedEmailSettings(db: Db, shopId: string): Promise<EmailSettingsRecord> {
  return cachedShopData(db, shopId, "email-settings", () => getEmailSettings(db, shopId));
}

export async function updateEmailSettings(db: Db, shopId: string, data: Partial<Omit<EmailSettingsRecord, "shopId" | "createdAt" | "updatedAt">>) {
  for (let attempt = 0; ; attempt++) {
    try {
      const saved = await db.emailSettings.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
      invalidateShopData(db, shopId, "email-settings");
      return saved;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt > 1) throw error;
    }
  }
}

export function findMessage(db: Db, shopId: string, key: string) {
  return db.emailMessage.findUnique({ where: { shopId_key: { shopId, key } } });
}

export interface MessageFilter {
  kind?: string | null;
  status?: string | null;
  customerId?: string | null;
}

function where(shopId: string, f: MessageFilter) {
  return {
    shopId,
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.customerId ? { customerId: f.customerId } : {}),
  };
}

export function listMessages(db: Db, shopId: string, f: MessageFilter, { page = 1, pageSize = 25 } = {}) {
  return db.emailMessage.findMany({
    where: where(shopId, f),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
  });
}

export function countMessages(db: Db, shopId: string, f: MessageFilter) {
  return db.emailMessage.count({ where: where(shopId, f) });
}

export async function isSuppressed(db: Db, shopId: string, email: string): Promise<boolean> {
  return Boolean(await db.emailSuppression.findUnique({ where: { shopId_email: { shopId, email: email.toLowerCase() } } }));
}

export async function suppress(db: Db, shopId: string, email: string, reason: string) {
  try {
    await db.emailSuppression.create({ data: { shopId, email: email.toLowerCase(), reason } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

export async function markOpened(db: Db, id: string, at: Date) {
  await db.emailMessage.updateMany({ where: { id, openedAt: null }, data: { openedAt: at } });
}

export async function markClicked(db: Db, id: string, at: Date) {
  await db.emailMessage.updateMany({ where: { id, clickedAt: null }, data: { clickedAt: at } });
  await db.emailMessage.updateMany({ where: { id, openedAt: null }, data: { openedAt: at } });
}

/** The customer page's email list: the latest few, ready to serialise. */
export async function customerEmails(db: Db, shopId: string, customerId: string, take = 10) {
  const [rows, total] = await Promise.all([
    listMessages(db, shopId, { customerId }, { pageSize: take }),
    countMessages(db, shopId, { customerId }),
  ]);
  return {
    total,
    emails: rows.map((m) => ({
      id: m.id,
      createdAt: m.createdAt.toISOString(),
      kind: m.kind,
      subject: m.subject,
      status: m.status,
      error: m.error,
      openedAt: m.openedAt?.toISOString() ?? null,
      clickedAt: m.clickedAt?.toISOString() ?? null,
    })),
  };
}
