// What the Emails admin page needs beyond plain data access: previews built
// from a real recent order (or a sample), and the test email.
import type { Db } from "../../db.server";
import { getEmailSettings } from "../../models/email.server";
import { shopEmailContext, type Recommender } from "./flows.server";
import { resolveLocale } from "./i18n";
import { surveyLinks, unsubscribeUrl } from "./links.server";
import { sendShopEmail } from "./send.server";
import { MARKETING_KINDS, type EmailKind, type TextBlocks } from "./settings";
import { renderEmail, type RenderedEmail } from "./templates.server";
import type { TransportFactory } from "./transport.server";

export interface Preview extends RenderedEmail {
  /** What the preview is built from. */
  source: string;
}

const SAMPLE = { name: "Ada", order: "#1001", points: 42, balance: 120, email: "ada@example.com" };

export async function previewEmail(
  db: Db,
  shopId: string,
  kind: EmailKind,
  custom: TextBlocks,
  recommend: Recommender,
  locale?: string,
): Promise<Preview> {
  const ctx = await shopEmailContext(db, shopId);
  if (!ctx) throw new Error("Shop not found");
  const award = await db.orderAward.findFirst({
    where: { shopId, status: "awarded", customerId: { not: null } },
    orderBy: { createdAt: "desc" },
  });
  const customer = award?.customerId ? await db.customer.findFirst({ where: { id: award.customerId, redactedAt: null } }) : null;
  const real = Boolean(award && customer);
  const orderId = award?.orderId ?? "gid://shopify/Order/0";
  const products =
    kind === "thank_you" && award
      ? await recommend(db, shopId, {
          orderId,
          productIds: [],
          customerId: customer?.id ?? null,
          limit: 4,
          surface: "email",
        })
      : [];
  const rendered = await renderEmail({
    kind,
    locale: resolveLocale(locale ?? customer?.locale),
    branding: ctx.branding,
    custom: { ...ctx.types[kind], ...custom },
    vars: {
      name: real ? customer!.firstName : SAMPLE.name,
      order: real ? award!.orderName : SAMPLE.order,
      points: real ? award!.pointsAwarded : SAMPLE.points,
      balance: real ? customer!.balance : SAMPLE.balance,
      date: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
    },
    showPoints: kind === "thank_you",
    products: products.slice(0, 4),
    survey: kind === "thank_you" || kind === "review_request" ? surveyLinks(shopId, orderId) : undefined,
    unsubscribeUrl:
      MARKETING_KINDS.has(kind) || products.length ? unsubscribeUrl(shopId, (real && customer!.email) || SAMPLE.email) : null,
  });
  return {
    ...rendered,
    source: real ? `Your latest order, ${award!.orderName ?? award!.orderId}` : "A sample order (no paid orders yet)",
  };
}

/** The "send test email" button: sends through the shop's SMTP now and reports the server's answer. */
export async function sendTestEmail(
  db: Db,
  shopId: string,
  to: string,
  options: { transport?: TransportFactory; recommend: Recommender },
): Promise<{ ok: true } | { ok: false; error: string }> {
  const settings = await getEmailSettings(db, shopId);
  if (!settings.smtpHost || !settings.fromAddress) return { ok: false, error: "Save the SMTP server and the from address first." };
  const preview = await previewEmail(db, shopId, "thank_you", { subject: "", heading: "", body: "" }, options.recommend);
  try {
    const result = await sendShopEmail(
      db,
      shopId,
      { to, subject: `[Test] ${preview.subject}`, html: preview.html, text: preview.text },
      { kind: "test", key: `test:${Date.now()}:${Math.random().toString(36).slice(2, 8)}`, marketing: false },
      { transport: options.transport },
    );
    return result.status === "sent" ? { ok: true } : { ok: false, error: `Not sent (${result.status}).` };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
