// Emails: each post-purchase email (on/off, delay, texts, live preview at
// desktop and mobile widths), branding and SMTP delivery with a test button,
// and the send log.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Pagination,
  Select,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import db from "../db.server";
import { countMessages, getEmailSettings, listMessages, updateEmailSettings } from "../models/email.server";
import { shopForSession } from "../models/shop.server";
import { previewEmail, sendTestEmail } from "../services/email/admin.server";
import { encryptSecret, EncryptionKeyMissing } from "../services/email/crypto.server";
import { LOCALES } from "../services/email/i18n";
import {
  DELAY_UNIT,
  EMAIL_KINDS,
  MARKETING_KINDS,
  SMTP_SECURITY,
  parseTypes,
  validateBranding,
  validateKindForm,
  validateSmtp,
  type EmailKind,
  type FieldErrors,
} from "../services/email/settings";
import { formatDateTime, oneOf, pageParam } from "../services/loyalty/display";
import { recommendForOrder } from "../services/offers/recommend.server";
import { authenticate } from "../shopify.server";

const PAGE_SIZE = 25;
const TABS = ["emails", "delivery", "log"] as const;

const KIND_INFO: Record<EmailKind, { title: string; when: string }> = {
  thank_you: { title: "Thank-you", when: "after an order is paid" },
  review_request: { title: "Review request", when: "after an order is fulfilled" },
  reward_ready: { title: "Reward ready", when: "when a balance reaches a reward" },
  points_expiring: { title: "Points expiring", when: "before points expire" },
  win_back: { title: "Win-back", when: "without an order for this many days" },
};
const KIND_LABELS: Record<string, string> = { ...Object.fromEntries(EMAIL_KINDS.map((k) => [k, KIND_INFO[k].title])), test: "Test" };
const STATUSES = ["queued", "sent", "failed", "skipped"] as const;
const STATUS_TONE: Record<string, "success" | "critical" | "attention" | "info"> = {
  sent: "success",
  failed: "critical",
  skipped: "attention",
  queued: "info",
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const url = new URL(request.url);
  const tab = oneOf(url.searchParams.get("tab"), TABS, "emails");
  const kind = oneOf(url.searchParams.get("type"), EMAIL_KINDS, "thank_you");
  const settings = await getEmailSettings(db, shop.id);
  const types = parseTypes(settings.types);

  const filter = {
    kind: url.searchParams.get("kind") || null,
    status: oneOf(url.searchParams.get("status"), ["", ...STATUSES] as const, "") || null,
    customerId: url.searchParams.get("customer") || null,
  };
  const total = await countMessages(db, shop.id, filter);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(pageParam(url.searchParams.get("page")), pageCount);
  const messages = tab === "log" ? await listMessages(db, shop.id, filter, { page, pageSize: PAGE_SIZE }) : [];

  return {
    tab,
    kind,
    types,
    shopEmail: shop.email ?? "",
    preview: tab === "emails" ? await previewEmail(db, shop.id, kind, types[kind], recommendForOrder) : null,
    branding: {
      senderName: settings.senderName ?? "",
      fromAddress: settings.fromAddress ?? "",
      replyTo: settings.replyTo ?? "",
      logoUrl: settings.logoUrl ?? "",
      brandColor: settings.brandColor,
      trackingEnabled: settings.trackingEnabled,
    },
    smtp: {
      smtpHost: settings.smtpHost ?? "",
      smtpPort: String(settings.smtpPort),
      smtpSecurity: settings.smtpSecurity,
      smtpUser: settings.smtpUser ?? "",
      hasPassword: Boolean(settings.smtpPasswordEnc),
      configured: Boolean(settings.smtpHost && settings.fromAddress),
    },
    log: {
      filter,
      total,
      page,
      pageCount,
      messages: messages.map((m) => ({
        id: m.id,
        createdAt: m.createdAt.toISOString(),
        kind: m.kind,
        to: m.toAddress,
        subject: m.subject,
        status: m.status,
        error: m.error,
        marketing: m.marketing,
        attempts: m.attempts,
        openedAt: m.openedAt?.toISOString() ?? null,
        clickedAt: m.clickedAt?.toISOString() ?? null,
        customerId: m.customerId,
      })),
    },
  };
};

type ActionResult =
  | { intent: "preview"; preview: Awaited<ReturnType<typeof previewEmail>> }
  | { intent: string; ok: true; message?: string }
  | { intent: string; ok: false; errors: FieldErrors };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const form = await request.formData();
  const get = (k: string) => (form.has(k) ? String(form.get(k)) : null);
  const intent = get("intent") ?? "";

  if (intent === "preview" || intent === "saveType") {
    const kind = oneOf(get("kind"), EMAIL_KINDS, "thank_you");
    const result = validateKindForm(kind, {
      enabled: get("enabled"),
      delay: get("delay"),
      subject: get("subject"),
      heading: get("heading"),
      body: get("body"),
    });
    if (intent === "preview") {
      const blocks = { subject: get("subject") ?? "", heading: get("heading") ?? "", body: get("body") ?? "" };
      const locale = oneOf(get("locale"), ["", ...LOCALES] as const, "") || undefined;
      return { intent, preview: await previewEmail(db, shop.id, kind, blocks, recommendForOrder, locale) };
    }
    if ("errors" in result) return { intent, ok: false, errors: result.errors };
    const settings = await getEmailSettings(db, shop.id);
    const types = parseTypes(settings.types);
    types[kind] = result.value;
    await updateEmailSettings(db, shop.id, { types: JSON.stringify(types) });
    return { intent, ok: true, message: `${KIND_INFO[kind].title} email saved` };
  }

  if (intent === "saveBranding") {
    const result = validateBranding(Object.fromEntries(["senderName", "fromAddress", "replyTo", "logoUrl", "brandColor", "trackingEnabled"].map((k) => [k, get(k)])));
    if ("errors" in result) return { intent, ok: false, errors: result.errors };
    const v = result.value;
    await updateEmailSettings(db, shop.id, {
      senderName: v.senderName || null,
      fromAddress: v.fromAddress || null,
      replyTo: v.replyTo || null,
      logoUrl: v.logoUrl || null,
      brandColor: v.brandColor,
      trackingEnabled: v.trackingEnabled,
    });
    return { intent, ok: true, message: "Branding saved" };
  }

  if (intent === "saveSmtp") {
    const result = validateSmtp(Object.fromEntries(["smtpHost", "smtpPort", "smtpSecurity", "smtpUser", "smtpPassword"].map((k) => [k, get(k)])));
    if ("errors" in result) return { intent, ok: false, errors: result.errors };
    const v = result.value;
    let smtpPasswordEnc: string | null | undefined;
    try {
      smtpPasswordEnc = get("clearPassword") === "true" ? null : v.smtpPassword === null ? undefined : encryptSecret(v.smtpPassword);
    } catch (error) {
      if (error instanceof EncryptionKeyMissing) return { intent, ok: false, errors: { smtpPassword: error.message } };
      throw error;
    }
    await updateEmailSettings(db, shop.id, {
      smtpHost: v.smtpHost,
      smtpPort: v.smtpPort,
      smtpSecurity: v.smtpSecurity,
      smtpUser: v.smtpUser || null,
      ...(smtpPasswordEnc !== undefined ? { smtpPasswordEnc } : {}),
    });
    return { intent, ok: true, message: "SMTP settings saved" };
  }

  if (intent === "test") {
    const to = (get("to") ?? "").trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to)) return { intent, ok: false, errors: { to: "Enter the address to send the test to." } };
    const result = await sendTestEmail(db, shop.id, to, { recommend: recommendForOrder });
    return result.ok
      ? { intent, ok: true, message: `Test email sent to ${to}` }
      : { intent, ok: false, errors: { to: `The test email was not sent: ${result.error}` } };
  }

  throw new Response("Unknown action", { status: 400 });
};

function useSaved(fetcher: ReturnType<typeof useFetcher<typeof action>>, onErrors: (e: FieldErrors) => void) {
  const shopify = useAppBridge();
  useEffect(() => {
    const data = fetcher.data;
    if (!data || fetcher.state !== "idle" || !("ok" in data)) return;
    if (data.ok) {
      onErrors({});
      if (data.message) shopify.toast.show(data.message);
    } else onErrors(data.errors);
  }, [fetcher.data, fetcher.state]);
}

function PreviewFrames({ html, source, subject }: { html: string; source: string; subject: string }) {
  return (
    <BlockStack gap="200">
      <Text as="p" tone="subdued">
        Subject: <Text as="span" fontWeight="semibold">{subject}</Text> · Rendered with {source.charAt(0).toLowerCase() + source.slice(1)}
      </Text>
      <InlineStack gap="400" wrap align="start" blockAlign="start">
        <BlockStack gap="100">
          <Text as="span" variant="bodySm" tone="subdued">Desktop (600 px)</Text>
          <iframe title="Desktop preview" srcDoc={html} sandbox="" style={{ width: 620, height: 720, border: "1px solid #e1e3e5", borderRadius: 8, background: "#fff" }} />
        </BlockStack>
        <BlockStack gap="100">
          <Text as="span" variant="bodySm" tone="subdued">Mobile (375 px)</Text>
          <iframe title="Mobile preview" srcDoc={html} sandbox="" style={{ width: 375, height: 720, border: "1px solid #e1e3e5", borderRadius: 8, background: "#fff" }} />
        </BlockStack>
      </InlineStack>
    </BlockStack>
  );
}

function EmailTypeEditor() {
  const { kind, types, preview, smtp } = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  const save = useFetcher<typeof action>();
  const previewer = useFetcher<typeof action>();
  const current = types[kind];
  const [enabled, setEnabled] = useState(current.enabled);
  const [delay, setDelay] = useState(String(current.delay));
  const [subject, setSubject] = useState(current.subject);
  const [heading, setHeading] = useState(current.heading);
  const [body, setBody] = useState(current.body);
  const [locale, setLocale] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  useSaved(save, setErrors);

  useEffect(() => {
    setEnabled(current.enabled);
    setDelay(String(current.delay));
    setSubject(current.subject);
    setHeading(current.heading);
    setBody(current.body);
    setErrors({});
  }, [kind, current.enabled, current.delay, current.subject, current.heading, current.body]);

  // Live preview: re-render shortly after the texts stop changing.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => {
      previewer.submit({ intent: "preview", kind, subject, heading, body, locale, enabled: String(enabled), delay }, { method: "post" });
    }, 400);
    return () => clearTimeout(timer);
  }, [subject, heading, body, locale]);

  const shown = previewer.data && "preview" in previewer.data ? previewer.data.preview : preview;
  const unit = DELAY_UNIT[kind];
  const delayLabel =
    kind === "points_expiring" ? "Days before the points expire" : kind === "win_back" ? "Days without an order" : `Send after (${unit})`;
  const saving = save.state !== "idle";

  return (
    <BlockStack gap="400">
      {!smtp.configured && (
        <Banner tone="warning" title="No emails are sent until delivery is set up">
          <p>Add your SMTP server and from address under Branding &amp; delivery.</p>
        </Banner>
      )}
      <Card>
        <BlockStack gap="400">
          <InlineStack gap="300" blockAlign="end" wrap={false}>
            <Box minWidth="240px">
              <Select
                label="Email"
                options={EMAIL_KINDS.map((k) => ({ value: k, label: `${KIND_INFO[k].title}${types[k].enabled ? "" : " (off)"}` }))}
                value={kind}
                onChange={(value) => setSearchParams({ tab: "emails", type: value })}
              />
            </Box>
            <Badge tone={MARKETING_KINDS.has(kind) ? "attention" : "info"}>
              {MARKETING_KINDS.has(kind) ? "Marketing: subscribed customers only" : kind === "thank_you" ? "Transactional (products only with consent)" : "Transactional"}
            </Badge>
          </InlineStack>
          <Text as="p" tone="subdued">
            Sent {KIND_INFO[kind].when}.
            {kind === "reward_ready" && " Requires the rewards feature to report when a balance reaches a reward."}
            {kind === "points_expiring" && " Requires points expiry to be set up for your program."}
          </Text>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!saving) save.submit({ intent: "saveType", kind, enabled: String(enabled), delay, subject, heading, body }, { method: "post" });
            }}
          >
            <FormLayout>
              <Checkbox label={`Send the ${KIND_INFO[kind].title.toLowerCase()} email`} checked={enabled} onChange={setEnabled} />
              <TextField label={delayLabel} type="number" value={delay} onChange={setDelay} error={errors.delay} autoComplete="off" />
              <TextField
                label="Subject"
                value={subject}
                onChange={setSubject}
                error={errors.subject}
                autoComplete="off"
                placeholder="Default (in the customer's language)"
              />
              <TextField label="Heading" value={heading} onChange={setHeading} error={errors.heading} autoComplete="off" placeholder="Default" />
              <TextField
                label="Message"
                value={body}
                onChange={setBody}
                error={errors.body}
                multiline={4}
                autoComplete="off"
                placeholder="Default"
                helpText="Leave a field empty for Encore's text, translated for the customer (English, French). Placeholders: {name} {shop} {order} {points} {balance}. A blank line starts a new paragraph."
              />
              <InlineStack align="end">
                <Button submit variant="primary" loading={saving}>
                  Save
                </Button>
              </InlineStack>
            </FormLayout>
          </form>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Preview
            </Text>
            <Box minWidth="200px">
              <Select
                label="Language"
                labelInline
                options={[{ value: "", label: "Customer's" }, ...LOCALES.map((l) => ({ value: l, label: l === "en" ? "English" : "French" }))]}
                value={locale}
                onChange={setLocale}
              />
            </Box>
          </InlineStack>
          {shown && <PreviewFrames html={shown.html} source={shown.source} subject={shown.subject} />}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

function DeliverySettings() {
  const { branding, smtp, shopEmail } = useLoaderData<typeof loader>();
  const brandingSave = useFetcher<typeof action>();
  const smtpSave = useFetcher<typeof action>();
  const tester = useFetcher<typeof action>();
  const [b, setB] = useState(branding);
  const [s, setS] = useState({ ...smtp, smtpPassword: "" });
  const [testTo, setTestTo] = useState(shopEmail);
  const [brandingErrors, setBrandingErrors] = useState<FieldErrors>({});
  const [smtpErrors, setSmtpErrors] = useState<FieldErrors>({});
  const [testErrors, setTestErrors] = useState<FieldErrors>({});
  useSaved(brandingSave, setBrandingErrors);
  useSaved(smtpSave, setSmtpErrors);
  useSaved(tester, setTestErrors);
  useEffect(() => setS((old) => ({ ...old, hasPassword: smtp.hasPassword, smtpPassword: "" })), [smtp.hasPassword]);

  return (
    <Layout>
      <Layout.AnnotatedSection title="Branding" description="How your emails look and who they come from.">
        <Card>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              brandingSave.submit({ intent: "saveBranding", ...b, trackingEnabled: String(b.trackingEnabled) }, { method: "post" });
            }}
          >
            <FormLayout>
              <TextField label="Sender name" value={b.senderName} onChange={(v) => setB({ ...b, senderName: v })} error={brandingErrors.senderName} autoComplete="off" helpText="Shown as the sender and in the email. Defaults to your store name." />
              <FormLayout.Group>
                <TextField label="From address" type="email" value={b.fromAddress} onChange={(v) => setB({ ...b, fromAddress: v })} error={brandingErrors.fromAddress} autoComplete="off" helpText="Must be allowed to send through your SMTP server." />
                <TextField label="Reply-to address" type="email" value={b.replyTo} onChange={(v) => setB({ ...b, replyTo: v })} error={brandingErrors.replyTo} autoComplete="off" />
              </FormLayout.Group>
              <TextField label="Logo URL" value={b.logoUrl} onChange={(v) => setB({ ...b, logoUrl: v })} error={brandingErrors.logoUrl} autoComplete="off" placeholder="https://cdn.shopify.com/…/logo.png" />
              <TextField
                label="Brand colour"
                value={b.brandColor}
                onChange={(v) => setB({ ...b, brandColor: v })}
                error={brandingErrors.brandColor}
                autoComplete="off"
                prefix={<span style={{ display: "inline-block", width: 16, height: 16, borderRadius: 4, background: /^#[0-9a-f]{6}$/i.test(b.brandColor) ? b.brandColor : "transparent", border: "1px solid #ccc" }} />}
              />
              <Checkbox
                label="Track opens and clicks"
                checked={b.trackingEnabled}
                onChange={(v) => setB({ ...b, trackingEnabled: v })}
                helpText="Adds a tracking pixel and routes links through Encore, so the send log shows opens and clicks."
              />
              <InlineStack align="end">
                <Button submit variant="primary" loading={brandingSave.state !== "idle"}>
                  Save branding
                </Button>
              </InlineStack>
            </FormLayout>
          </form>
        </Card>
      </Layout.AnnotatedSection>
      <Layout.AnnotatedSection title="SMTP delivery" description="Encore sends through your own mail server or provider (any SMTP service). The password is stored encrypted.">
        <BlockStack gap="400">
          <Card>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                smtpSave.submit(
                  { intent: "saveSmtp", smtpHost: s.smtpHost, smtpPort: s.smtpPort, smtpSecurity: s.smtpSecurity, smtpUser: s.smtpUser, smtpPassword: s.smtpPassword },
                  { method: "post" },
                );
              }}
            >
              <FormLayout>
                <FormLayout.Group>
                  <TextField label="Host" value={s.smtpHost} onChange={(v) => setS({ ...s, smtpHost: v })} error={smtpErrors.smtpHost} autoComplete="off" placeholder="smtp.example.com" />
                  <TextField label="Port" type="number" value={s.smtpPort} onChange={(v) => setS({ ...s, smtpPort: v })} error={smtpErrors.smtpPort} autoComplete="off" />
                </FormLayout.Group>
                <Select
                  label="Security"
                  options={SMTP_SECURITY.map((v) => ({
                    value: v,
                    label: v === "starttls" ? "STARTTLS (port 587)" : v === "tls" ? "TLS (port 465)" : "None (local servers only)",
                  }))}
                  value={s.smtpSecurity}
                  onChange={(v) => setS({ ...s, smtpSecurity: v })}
                  error={smtpErrors.smtpSecurity}
                />
                <FormLayout.Group>
                  <TextField label="Username" value={s.smtpUser} onChange={(v) => setS({ ...s, smtpUser: v })} autoComplete="off" />
                  <TextField
                    label="Password"
                    type="password"
                    value={s.smtpPassword}
                    onChange={(v) => setS({ ...s, smtpPassword: v })}
                    error={smtpErrors.smtpPassword}
                    autoComplete="new-password"
                    placeholder={s.hasPassword ? "Saved — leave empty to keep" : ""}
                  />
                </FormLayout.Group>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={smtpSave.state !== "idle"}>
                    Save SMTP settings
                  </Button>
                </InlineStack>
              </FormLayout>
            </form>
          </Card>
          <Card>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                tester.submit({ intent: "test", to: testTo }, { method: "post" });
              }}
            >
              <FormLayout>
                <TextField
                  label="Send a test email to"
                  type="email"
                  value={testTo}
                  onChange={setTestTo}
                  error={testErrors.to}
                  autoComplete="off"
                  helpText="Sends the thank-you email, rendered with your latest order, through the saved SMTP settings."
                  disabled={!smtp.configured}
                />
                <InlineStack align="end">
                  <Button submit loading={tester.state !== "idle"} disabled={!smtp.configured}>
                    Send test email
                  </Button>
                </InlineStack>
              </FormLayout>
            </form>
          </Card>
        </BlockStack>
      </Layout.AnnotatedSection>
    </Layout>
  );
}

function SendLog() {
  const { log } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("page");
    next.set("tab", "log");
    setParams(next);
  };
  const goto = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    setParams(next);
  };
  return (
    <Card padding="0">
      <Box padding="400">
        <InlineStack gap="300">
          <Select
            label="Email"
            labelInline
            options={[{ value: "", label: "All" }, ...Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))]}
            value={log.filter.kind ?? ""}
            onChange={(v) => set("kind", v)}
          />
          <Select
            label="Status"
            labelInline
            options={[{ value: "", label: "All" }, ...STATUSES.map((s) => ({ value: s, label: s.charAt(0).toUpperCase() + s.slice(1) }))]}
            value={log.filter.status ?? ""}
            onChange={(v) => set("status", v)}
          />
          {log.filter.customerId && <Button onClick={() => set("customer", "")}>Show all customers</Button>}
        </InlineStack>
      </Box>
      {log.total === 0 ? (
        <EmptyState heading="No emails yet" image="">
          <p>Emails appear here once they are sent: the thank-you email goes out after each paid order when delivery is set up.</p>
        </EmptyState>
      ) : (
        <>
          <IndexTable
            resourceName={{ singular: "email", plural: "emails" }}
            itemCount={log.messages.length}
            selectable={false}
            headings={[{ title: "Date" }, { title: "Email" }, { title: "To" }, { title: "Subject" }, { title: "Status" }, { title: "Engagement" }]}
          >
            {log.messages.map((m, i) => (
              <IndexTable.Row id={m.id} key={m.id} position={i}>
                <IndexTable.Cell>{formatDateTime(m.createdAt)}</IndexTable.Cell>
                <IndexTable.Cell>
                  {KIND_LABELS[m.kind] ?? m.kind}
                  {m.marketing && (
                    <>
                      {" "}
                      <Badge size="small">Marketing</Badge>
                    </>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>{m.to}</IndexTable.Cell>
                <IndexTable.Cell>{m.subject}</IndexTable.Cell>
                <IndexTable.Cell>
                  <BlockStack gap="100">
                    <span>
                      <Badge tone={STATUS_TONE[m.status]}>{m.status}</Badge>
                      {m.attempts > 1 && ` after ${m.attempts} attempts`}
                    </span>
                    {m.error && (
                      <Text as="span" variant="bodySm" tone={m.status === "failed" ? "critical" : "subdued"}>
                        {m.error}
                      </Text>
                    )}
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{m.clickedAt ? "Clicked" : m.openedAt ? "Opened" : "—"}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          <Box padding="400">
            <InlineStack align="center">
              <Pagination
                hasPrevious={log.page > 1}
                hasNext={log.page < log.pageCount}
                onPrevious={() => goto(log.page - 1)}
                onNext={() => goto(log.page + 1)}
                label={`Page ${log.page} of ${log.pageCount} · ${log.total} emails`}
              />
            </InlineStack>
          </Box>
        </>
      )}
    </Card>
  );
}

export default function Emails() {
  const { tab } = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const tabs = [
    { id: "emails", content: "Emails" },
    { id: "delivery", content: "Branding & delivery" },
    { id: "log", content: "Send log" },
  ];
  return (
    <Page title="Emails">
      <BlockStack gap="400">
        <Tabs tabs={tabs} selected={TABS.indexOf(tab)} onSelect={(i) => setParams({ tab: TABS[i] })} />
        {tab === "emails" && <EmailTypeEditor />}
        {tab === "delivery" && <DeliverySettings />}
        {tab === "log" && <SendLog />}
      </BlockStack>
    </Page>
  );
}
