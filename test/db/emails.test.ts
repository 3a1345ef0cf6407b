// Post-purchase emails end to end: signed webhooks → jobs on the project's
// queue (plainjob on SQLite, pg-boss on PostgreSQL) → a real SMTP server.
import fs from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import db, { provider } from "../../app/db.server";
import { emailJobDefinitions } from "../../app/jobs/emails.server";
import { createJobQueue, sqliteQueueFile, type JobQueue } from "../../app/jobs/queue.server";
import { appQueue } from "../../app/jobs/runtime.server";
import { getEmailSettings, updateEmailSettings } from "../../app/models/email.server";
import { action as unsubscribeAction } from "../../app/routes/email.unsubscribe.$token";
import { loader as clickLoader } from "../../app/routes/email.click.$token";
import { loader as openLoader } from "../../app/routes/email.open.$token";
import { action as webhookAction } from "../../app/routes/webhooks";
import { encryptSecret } from "../../app/services/email/crypto.server";
import { JOB, queueRewardsReady, scanWinBack } from "../../app/services/email/flows.server";
import { sendShopEmail } from "../../app/services/email/send.server";
import { verifySurveyLinkToken } from "../../app/services/email/links.server";
import { DEFAULT_TYPES } from "../../app/services/email/settings";
import type { RecommendedProduct } from "../../app/services/offers/recommend.server";
import { getSatisfactionSettings, saveSatisfactionSettings } from "../../app/models/satisfaction.server";
import { notifier } from "../../app/services/satisfaction/mail.server";
import { submitSurvey } from "../../app/services/satisfaction/survey.server";
import { startMailCatcher, type MailCatcher } from "../../sandbox/mail";
import { adminFetch, form, storeOfflineSession } from "../admin";
import { createShop, nextId, orderBody, updateShop } from "../factories";
import { webhookRequest, type DeliveryOptions } from "../webhooks";

let smtp: MailCatcher;
let shop: string;
let workers: JobQueue | null = null;
const recommendCalls: unknown[] = [];

const products: RecommendedProduct[] = [1, 2, 3].map((n) => ({
  productId: `gid://shopify/Product/${n}`,
  variantId: `gid://shopify/ProductVariant/${n}0`,
  title: `Ceramic mug ${n}`,
  handle: `ceramic-mug-${n}`,
  imageUrl: `https://cdn.example.com/mug-${n}.png`,
  price: "18.00",
  currencyCode: "USD",
  discount: { kind: "percent", value: "15" },
  offerId: "offer-1",
  reason: "Goes with your order",
  url: `https://shop.example.com/products/ceramic-mug-${n}?discount=THANKS15`,
}));

const fakeRecommend = async (_db: unknown, _shopId: string, input: unknown) => {
  recommendCalls.push(input);
  return products;
};

function startWorkers() {
  workers = createJobQueue({
    db,
    definitions: emailJobDefinitions({ recommend: fakeRecommend }),
    retryDelaySeconds: 1,
    pollIntervalMs: 200,
    log: () => {},
  });
  return workers.start();
}

beforeAll(async () => {
  smtp = await startMailCatcher({ user: "mailer", password: "s3cret" });
});

afterAll(async () => {
  await appQueue().stop();
  await smtp.stop();
  if (provider === "sqlite") fs.rmSync(sqliteQueueFile(process.env.DATABASE_URL!), { force: true });
});

beforeEach(async () => {
  shop = (await createShop(db)).id;
  await updateShop(db, shop, { name: "Acme Coffee" });
  await updateEmailSettings(db, shop, {
    senderName: "Acme Coffee",
    fromAddress: "hello@acme.example",
    smtpHost: "127.0.0.1",
    smtpPort: smtp.port,
    smtpSecurity: "none",
    smtpUser: "mailer",
    smtpPasswordEnc: encryptSecret("s3cret"),
    types: JSON.stringify({
      ...DEFAULT_TYPES,
      thank_you: { ...DEFAULT_TYPES.thank_you, delay: 0 },
      review_request: { ...DEFAULT_TYPES.review_request, delay: 0 },
      win_back: { ...DEFAULT_TYPES.win_back, enabled: true, delay: 30 },
    }),
  });
  smtp.messages.length = 0;
  recommendCalls.length = 0;
});

afterEach(async () => {
  await workers?.stop();
  workers = null;
});

async function deliver(o: Omit<DeliveryOptions, "shop">) {
  const response = await webhookAction({ request: webhookRequest({ shop, ...o }), params: {}, context: {} });
  expect(response.status).toBe(200);
}

function paidOrder(consent: "subscribed" | "not_subscribed", extra: Record<string, unknown> = {}) {
  const customerId = nextId();
  const body = orderBody({ customerId, lines: [{ price: "40.00" }, { price: "10.00" }] }) as Record<string, any>;
  body.customer = { ...body.customer, first_name: "Ada", email_marketing_consent: { state: consent }, ...extra };
  return { body, customerId, to: body.customer.email as string };
}

/** A header as delivered (unfolded), from the raw MIME; undefined when absent. */
const header = (m: MailCatcher["messages"][number], name: string) => {
  const head = m.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
  return new RegExp(`^${name}: (.*)$`, "mi").exec(head)?.[1];
};

async function statusOf(key: string, want: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await db.emailMessage.findFirst({ where: { shopId: shop, key } });
    if (row?.status === want || Date.now() > deadline) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function settle() {
  // Let any wrongly duplicated job run before asserting "exactly one".
  await new Promise((r) => setTimeout(r, 1200));
}

describe(`thank-you email (${provider})`, () => {
  it("sends one email per order, even when orders/paid is delivered twice", async () => {
    const { body, to } = paidOrder("subscribed");
    await deliver({ topic: "orders/paid", body });
    await deliver({ topic: "orders/paid", body }); // a second event for the same order
    expect(await appQueue().pending(JOB.thankYou)).toBe(1);

    await startWorkers();
    const [mail] = await smtp.waitFor(1);
    await settle();
    expect(smtp.messages).toHaveLength(1);

    expect(mail.envelopeTo).toEqual([to]);
    expect(mail.parsed.subject).toBe(`Thank you for your order ${body.name}`);
    expect(mail.parsed.from?.text).toBe('"Acme Coffee" <hello@acme.example>');
    // Both parts.
    expect(mail.parsed.html).toContain("Thank you, Ada!");
    expect(mail.parsed.text).toContain("This order earned you 50 points.");
    expect(mail.parsed.text).toContain("Your balance is now 50 points.");
    // Products with the offer links (the customer is subscribed: marketing content).
    for (const p of products) {
      expect(mail.parsed.html).toContain(p.url.replace("?", "?").replace(/&/g, "&amp;"));
      expect(mail.parsed.text).toContain(p.url);
    }
    expect(recommendCalls[0]).toMatchObject({ orderId: `gid://shopify/Order/${body.id}`, limit: 4, surface: "email" });
    // Survey links, signed for this shop and order.
    const survey = [...(mail.parsed.html as string).matchAll(/\/survey\/([^?"]+)\?score=(\d)/g)];
    expect(survey.map((m) => m[2])).toEqual(["1", "2", "3", "4", "5"]);
    expect(verifySurveyLinkToken(survey[0][1])).toEqual({ shopId: shop, orderId: `gid://shopify/Order/${body.id}` });
    // Marketing → one-click unsubscribe.
    expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(header(mail, "List-Unsubscribe")).toMatch(/^<http[^>]+\/email\/unsubscribe\/[^>]+>$/);

    await statusOf(`thank-you:gid://shopify/Order/${body.id}`, "sent");
    const log = await db.emailMessage.findMany({ where: { shopId: shop } });
    expect(log).toMatchObject([{ kind: "thank_you", status: "sent", marketing: true, toAddress: to, attempts: 1 }]);
  });

  it("leaves out marketing content without consent: no products, no unsubscribe headers", async () => {
    const { body } = paidOrder("not_subscribed");
    await deliver({ topic: "orders/paid", body });
    await startWorkers();
    const [mail] = await smtp.waitFor(1);
    expect(recommendCalls).toHaveLength(0);
    expect(mail.parsed.html).not.toContain("Picked for you");
    expect(mail.parsed.html).toContain("?score=5");
    expect(header(mail, "List-Unsubscribe")).toBeUndefined();
    expect(await statusOf(`thank-you:gid://shopify/Order/${body.id}`, "sent")).toMatchObject({ marketing: false, status: "sent" });
  });

  it("speaks French to a French customer", async () => {
    const { body } = paidOrder("not_subscribed", { locale: "fr" });
    await deliver({ topic: "orders/paid", body });
    await startWorkers();
    const [mail] = await smtp.waitFor(1);
    expect(mail.parsed.subject).toBe(`Merci pour votre commande ${body.name}`);
    expect(mail.parsed.text).toContain("Cette commande vous a rapporté 50 points.");
  });

  it("retries after an SMTP failure and sends once", async () => {
    smtp.rejectNext(1);
    const { body } = paidOrder("subscribed");
    await deliver({ topic: "orders/paid", body });
    await startWorkers();
    await smtp.waitFor(1);
    await settle();
    expect(smtp.messages).toHaveLength(1);
    const row = await statusOf(`thank-you:gid://shopify/Order/${body.id}`, "sent");
    expect(row).toMatchObject({ status: "sent", attempts: 2, error: null });
  });

  it("records the SMTP error of a failed attempt", async () => {
    smtp.rejectNext(99);
    const { body } = paidOrder("subscribed");
    await deliver({ topic: "orders/paid", body });
    await startWorkers();
    const deadline = Date.now() + 10_000;
    let row = null;
    while (Date.now() < deadline && !(row = await db.emailMessage.findFirst({ where: { shopId: shop, status: "failed" } }))) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(row?.error).toMatch(/451/);
    // Its remaining retries must not send into later tests.
    await updateEmailSettings(db, shop, { types: JSON.stringify({ ...DEFAULT_TYPES, thank_you: { ...DEFAULT_TYPES.thank_you, enabled: false } }) });
    smtp.rejectNext(0);
  });

  it("sends nothing while the shop has no SMTP server", async () => {
    await updateEmailSettings(db, shop, { smtpHost: null });
    const { body } = paidOrder("subscribed");
    const before = await appQueue().pending(JOB.thankYou);
    await deliver({ topic: "orders/paid", body });
    expect(await appQueue().pending(JOB.thankYou)).toBe(before);
  });
});

describe(`unsubscribe (${provider})`, () => {
  it("one-click POST suppresses marketing; the thank-you still goes, without products", async () => {
    const { body, to } = paidOrder("subscribed");
    const first = await sendShopEmail(db, shop, { to, subject: "Hello", html: "<p>Hi</p>", text: "Hi" }, { kind: "test", key: "t1", marketing: true });
    expect(first.status).toBe("sent");
    const [mail] = await smtp.waitFor(1);
    const url = /^<([^>]+)>$/.exec(header(mail, "List-Unsubscribe")!)![1];
    const token = url.split("/").pop()!;
    const res = (await unsubscribeAction({
      request: new Request(url, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      params: { token },
      context: {},
    })) as Response;
    expect(res.status).toBe(200);
    expect(await db.emailSuppression.count({ where: { shopId: shop, email: to.toLowerCase() } })).toBe(1);

    const again = await sendShopEmail(db, shop, { to, subject: "Hello", html: "<p>Hi</p>", text: "Hi" }, { kind: "test", key: "t2", marketing: true });
    expect(again).toMatchObject({ status: "skipped", reason: "unsubscribed" });

    smtp.messages.length = 0;
    await deliver({ topic: "orders/paid", body });
    await startWorkers();
    const [thanks] = await smtp.waitFor(1);
    expect(thanks.parsed.html).not.toContain("Picked for you");
    expect(header(thanks, "List-Unsubscribe")).toBeUndefined();
  });

  it("refuses a forged token", async () => {
    const res = (await unsubscribeAction({
      request: new Request("http://x/email/unsubscribe/abc.def", { method: "POST", body: "List-Unsubscribe=One-Click" }),
      params: { token: "abc.def" },
      context: {},
    })) as Response;
    expect(res.status).toBe(404);
    expect(await db.emailSuppression.count({ where: { shopId: shop } })).toBe(0);
  });
});

describe(`follow-ups (${provider})`, () => {
  it("fulfillments/create schedules one review request per order", async () => {
    const { body, to } = paidOrder("not_subscribed");
    await deliver({ topic: "orders/paid", body });
    await updateEmailSettings(db, shop, {
      types: JSON.stringify({ ...DEFAULT_TYPES, thank_you: { ...DEFAULT_TYPES.thank_you, enabled: false }, review_request: { ...DEFAULT_TYPES.review_request, delay: 0 } }),
    });
    const fulfillment = { id: Number(nextId()), order_id: body.id, status: "success" };
    await deliver({ topic: "fulfillments/create", body: fulfillment });
    await deliver({ topic: "fulfillments/create", body: { ...fulfillment, id: Number(nextId()) } });
    expect(await appQueue().pending(JOB.reviewRequest)).toBe(1);
    await startWorkers();
    const [mail] = await smtp.waitFor(1);
    await settle();
    expect(smtp.messages).toHaveLength(1);
    expect(mail.envelopeTo).toEqual([to]);
    expect(mail.parsed.subject).toBe(`How is your order ${body.name}?`);
    expect(mail.parsed.html).toContain("?score=1");
  });

  it("win-back: only lapsed, consenting customers, once per period", async () => {
    const lapsed = paidOrder("subscribed");
    const noConsent = paidOrder("not_subscribed");
    const recent = paidOrder("subscribed");
    for (const o of [lapsed, noConsent, recent]) await deliver({ topic: "orders/paid", body: o.body });
    await db.emailMessage.deleteMany({});
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    await db.orderAward.updateMany({ where: { orderId: { in: [lapsed.body.id, noConsent.body.id].map((id) => `gid://shopify/Order/${id}`) } }, data: { createdAt: old } });
    // The thank-you emails are not what this test is about.
    await db.emailMessage.deleteMany({});
    await updateEmailSettings(db, shop, {
      types: JSON.stringify({ ...DEFAULT_TYPES, thank_you: { ...DEFAULT_TYPES.thank_you, enabled: false }, win_back: { ...DEFAULT_TYPES.win_back, enabled: true, delay: 30 } }),
    });
    const q = appQueue();
    const deps = { db, now: () => new Date(), recommend: fakeRecommend };
    await scanWinBack(deps, q.enqueueMany);
    await scanWinBack(deps, q.enqueueMany);
    expect(await q.pending(JOB.winBack)).toBe(2); // lapsed + no-consent are due; consent is checked when sending
    await startWorkers();
    const [mail] = await smtp.waitFor(1);
    await settle();
    expect(smtp.messages).toHaveLength(1);
    expect(mail.envelopeTo).toEqual([lapsed.to]);
    expect(mail.parsed.subject).toBe("We miss you at Acme Coffee");
    expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
  });

  it("reward ready: queued once per customer and day", async () => {
    const { body, to } = paidOrder("not_subscribed");
    await updateEmailSettings(db, shop, {
      types: JSON.stringify({ ...DEFAULT_TYPES, thank_you: { ...DEFAULT_TYPES.thank_you, enabled: false } }),
    });
    await deliver({ topic: "orders/paid", body });
    const customer = await db.customer.findFirstOrThrow({ where: { shopId: shop } });
    await queueRewardsReady(appQueue().enqueueMany, [{ shopId: shop, customerId: customer.id }]);
    await queueRewardsReady(appQueue().enqueueMany, [{ shopId: shop, customerId: customer.id }]);
    await startWorkers();
    const [mail] = await smtp.waitFor(1);
    await settle();
    expect(smtp.messages).toHaveLength(1);
    expect(mail.envelopeTo).toEqual([to]);
    expect(mail.parsed.text).toContain("You now have 50 points at Acme Coffee");
  });
});

describe(`tracking (${provider})`, () => {
  it("records opens and clicks only when enabled, and redirects to the signed destination", async () => {
    await updateEmailSettings(db, shop, { trackingEnabled: true });
    const result = await sendShopEmail(
      db,
      shop,
      { to: "t@example.com", subject: "Hi", html: '<html><body><a href="https://shop.example.com/x?a=1&amp;b=2">x</a></body></html>', text: "Hi" },
      { kind: "test", key: "track-1", marketing: false },
    );
    const [mail] = await smtp.waitFor(1);
    const click = /href="(http[^"]+\/email\/click\/([^"]+))"/.exec(mail.parsed.html as string)!;
    const open = /src="http[^"]+\/email\/open\/([^"]+)"/.exec(mail.parsed.html as string)!;
    const res = await clickLoader({ request: new Request(click[1]), params: { token: click[2] }, context: {} });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://shop.example.com/x?a=1&b=2");
    await openLoader({ request: new Request("http://x"), params: { token: open[1] }, context: {} });
    const row = await db.emailMessage.findUniqueOrThrow({ where: { id: result.status === "sent" ? result.id : "" } });
    expect(row.clickedAt).not.toBeNull();
    expect(row.openedAt).not.toBeNull();

    await updateEmailSettings(db, shop, { trackingEnabled: false });
    await sendShopEmail(db, shop, { to: "t@example.com", subject: "Hi", html: '<a href="https://shop.example.com/">x</a>', text: "Hi" }, { kind: "test", key: "track-2", marketing: false });
    const [, plain] = await smtp.waitFor(2);
    expect(plain.parsed.html).not.toContain("/email/click/");
    expect((await getEmailSettings(db, shop)).trackingEnabled).toBe(false);
  });
});

describe(`satisfaction follow-up email (${provider})`, () => {
  it("a low survey score opens an inbox item and emails the merchant through the shop's SMTP, once", async () => {
    const customer = await db.customer.create({
      data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}`, email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" },
    });
    const orderId = `gid://shopify/Order/${nextId()}`;
    await db.orderAward.create({
      data: { shopId: shop, orderId, orderName: "#1042", customerId: customer.id, status: "awarded", currencyCode: "USD", merchandiseTotal: "50.00", rate: "1", rounding: "floor", lines: "[]" },
    });
    await saveSatisfactionSettings(db, shop, { ...(await satisfactionSettingsValue()), notifyEmail: "care@acme.example", lowScoreThreshold: 2 });
    const notify = notifier(db, shop, appQueue().enqueue);
    const answer = { shopId: shop, orderId, orderName: "#1042", score: 1, comment: "The mug arrived broken", products: [], channel: "thank-you" as const };
    const first = await submitSurvey(db, answer, { notify });
    expect(first.followUpOpened).toBe(true);
    await submitSurvey(db, { ...answer, comment: "Still broken" }, { notify }); // one notice per order

    await startWorkers();
    const [mail] = await smtp.waitFor(1);
    await settle();
    expect(smtp.messages).toHaveLength(1);
    expect(mail.envelopeTo).toEqual(["care@acme.example"]);
    expect(mail.parsed.subject).toBe("Low score (1/5) on order #1042");
    expect(header(mail, "Reply-To")).toContain("ada@example.com");
    expect(header(mail, "List-Unsubscribe")).toBeUndefined(); // transactional
    const item = await db.inboxItem.findFirstOrThrow({ where: { shopId: shop } });
    expect(mail.parsed.text).toContain("The mug arrived broken");
    expect(mail.parsed.text).toContain(`/app/inbox/${item.id}`);
    expect(await statusOf(`low_score:${orderId}`, "sent")).toMatchObject({ kind: "satisfaction.low_score", status: "sent" });
  });
});

async function satisfactionSettingsValue() {
  const { shopId: _shopId, ...value } = await getSatisfactionSettings(db, shop);
  return value;
}

describe(`privacy webhooks (${provider})`, () => {
  it("customers/redact erases the customer's send log; shop/redact erases the shop's email data", async () => {
    const { body, customerId, to } = paidOrder("not_subscribed");
    await deliver({ topic: "orders/paid", body });
    await startWorkers();
    await smtp.waitFor(1);
    await statusOf(`thank-you:gid://shopify/Order/${body.id}`, "sent");
    await db.emailSuppression.create({ data: { shopId: shop, email: to.toLowerCase(), reason: "unsubscribe" } });
    await sendShopEmail(db, shop, { to: "other@example.com", subject: "Hi", html: "<p>Hi</p>", text: "Hi" }, { kind: "test", key: "other", marketing: false });

    await deliver({ topic: "customers/redact", body: { shop_domain: shop, customer: { id: Number(customerId), email: to }, orders_to_redact: [body.id] } });
    expect(await db.emailMessage.findMany({ where: { shopId: shop }, select: { toAddress: true } })).toEqual([{ toAddress: "other@example.com" }]);
    expect(await db.emailSuppression.count({ where: { shopId: shop } })).toBe(0);

    await deliver({ topic: "shop/redact", body: { shop_domain: shop } });
    expect(await db.emailMessage.count({ where: { shopId: shop } })).toBe(0);
    expect(await db.emailSettings.count({ where: { shopId: shop } })).toBe(0);
  });
});

describe(`Emails admin page (${provider})`, () => {
  const post = async (fields: Record<string, string>) => {
    await storeOfflineSession(shop);
    const { action } = await import("../../app/routes/app.emails");
    return action({ request: await adminFetch(shop, "/app/emails", form(fields)), params: {}, context: {} });
  };

  it("validates an email type's fields inline and saves valid ones", async () => {
    const bad = await post({ intent: "saveType", kind: "review_request", enabled: "true", delay: "-3", subject: "", heading: "", body: "" });
    expect(bad).toMatchObject({ ok: false, errors: { delay: expect.stringMatching(/whole number of days/) } });
    const good = await post({ intent: "saveType", kind: "review_request", enabled: "false", delay: "14", subject: "How was {order}?", heading: "", body: "" });
    expect(good).toMatchObject({ ok: true });
    const types = JSON.parse((await getEmailSettings(db, shop)).types);
    expect(types.review_request).toMatchObject({ enabled: false, delay: 14, subject: "How was {order}?" });
  });

  it("stores the SMTP password encrypted, keeps it when left empty, and sends a test email", async () => {
    expect(await post({ intent: "saveSmtp", smtpHost: "bad host!", smtpPort: "0", smtpSecurity: "none", smtpUser: "", smtpPassword: "" })).toMatchObject({
      ok: false,
      errors: { smtpHost: expect.any(String), smtpPort: expect.any(String) },
    });
    await post({ intent: "saveSmtp", smtpHost: "127.0.0.1", smtpPort: String(smtp.port), smtpSecurity: "none", smtpUser: "mailer", smtpPassword: "s3cret" });
    const saved = await getEmailSettings(db, shop);
    expect(saved.smtpPasswordEnc).not.toContain("s3cret");
    await post({ intent: "saveSmtp", smtpHost: "127.0.0.1", smtpPort: String(smtp.port), smtpSecurity: "none", smtpUser: "mailer", smtpPassword: "" });
    expect((await getEmailSettings(db, shop)).smtpPasswordEnc).toBe(saved.smtpPasswordEnc);

    expect(await post({ intent: "test", to: "merchant@example.com" })).toMatchObject({ ok: true });
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelopeTo).toEqual(["merchant@example.com"]);
    expect(mail.parsed.subject).toMatch(/^\[Test\] /);

    // A wrong password is reported, not thrown.
    await post({ intent: "saveSmtp", smtpHost: "127.0.0.1", smtpPort: String(smtp.port), smtpSecurity: "none", smtpUser: "mailer", smtpPassword: "wrong" });
    expect(await post({ intent: "test", to: "merchant@example.com" })).toMatchObject({ ok: false, errors: { to: expect.stringMatching(/Invalid/i) } });
  });

  it("previews with the unsaved texts", async () => {
    const result = await post({ intent: "preview", kind: "thank_you", subject: "Merci {name}", heading: "Hello there", body: "", locale: "fr", enabled: "true", delay: "5" });
    expect(result).toMatchObject({ intent: "preview", preview: { subject: "Merci Ada" } });
    expect((result as { preview: { html: string } }).preview.html).toContain("Hello there");
  });
});
