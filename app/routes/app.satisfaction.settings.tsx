import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, Button, Card, Checkbox, FormLayout, InlineStack, Layout, Page, Select, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { getSatisfactionSettings, saveSatisfactionSettings } from "../models/satisfaction.server";
import { shopForSession } from "../models/shop.server";
import {
  DEFAULT_THRESHOLD,
  MAX_RETURN_WINDOW_DAYS,
  SCALE_LABELS,
  SCALE_RANGE,
  SCALES,
  isScale,
  validateSatisfactionSettings,
  type SatisfactionSettingsErrors,
  type SatisfactionSettingsValue,
  type Scale,
} from "../services/satisfaction/settings";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const { shopId: _shopId, ...settings } = await getSatisfactionSettings(db, shop.id);
  return { settings, shopEmail: shop.email };
};

type ActionResult = { ok: true; settings: SatisfactionSettingsValue } | { ok: false; errors: SatisfactionSettingsErrors };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const result = validateSatisfactionSettings(await request.formData());
  if (!result.ok) return { ok: false, errors: result.errors };
  const { shopId: _shopId, ...saved } = await saveSatisfactionSettings(db, shop.id, result.value);
  return { ok: true, settings: saved };
};

type FormState = Omit<SatisfactionSettingsValue, "sourceOptions" | "pointsForAnswer" | "lowScoreThreshold" | "returnWindowDays" | "notifyEmail"> & {
  sourceOptions: string;
  pointsForAnswer: string;
  lowScoreThreshold: string;
  returnWindowDays: string;
  notifyEmail: string;
};

const toForm = (s: SatisfactionSettingsValue): FormState => ({
  ...s,
  sourceOptions: s.sourceOptions.join("\n"),
  pointsForAnswer: String(s.pointsForAnswer),
  lowScoreThreshold: String(s.lowScoreThreshold),
  returnWindowDays: String(s.returnWindowDays),
  notifyEmail: s.notifyEmail ?? "",
});

export default function SatisfactionSettings() {
  const { settings, shopEmail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [form, setForm] = useState<FormState>(() => toForm(settings));
  const [errors, setErrors] = useState<SatisfactionSettingsErrors>({});
  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";

  useEffect(() => {
    if (!actionData) return;
    if (actionData.ok) {
      setErrors({});
      setForm(toForm(actionData.settings));
      shopify.toast.show("Survey settings saved");
    } else {
      setErrors(actionData.errors);
    }
  }, [actionData, shopify]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (errors[key as keyof SatisfactionSettingsErrors]) setErrors((e) => ({ ...e, [key]: undefined }));
  };
  const dirty = JSON.stringify(form) !== JSON.stringify(toForm(settings));
  const { min, max } = SCALE_RANGE[form.scale];
  const errorCount = Object.values(errors).filter(Boolean).length;

  return (
    <Page title="Survey settings" backAction={{ content: "Satisfaction", url: "/app/satisfaction" }}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (saving) return;
          const data: Record<string, string> = {};
          for (const [key, value] of Object.entries(form)) data[key] = typeof value === "boolean" ? String(value) : value;
          submit(data, { method: "post", preventScrollReset: true });
        }}
      >
        <Layout>
          {errorCount > 0 && (
            <Layout.Section>
              <Banner tone="critical" title="The settings were not saved">
                <p>Fix the highlighted {errorCount === 1 ? "field" : "fields"} and save again.</p>
              </Banner>
            </Layout.Section>
          )}
          <Layout.AnnotatedSection title="Survey" description="Asked on the thank-you and order status pages (add the Encore survey block in the checkout editor) and from email links.">
            <Card>
              <FormLayout>
                <Checkbox label="Ask customers the survey" checked={form.surveyEnabled} onChange={(v) => set("surveyEnabled", v)} />
                <Select
                  label="Scale"
                  options={SCALES.map((s) => ({ value: s, label: SCALE_LABELS[s] }))}
                  value={form.scale}
                  error={errors.scale}
                  onChange={(value) => {
                    if (!isScale(value)) return;
                    setForm((f) => ({ ...f, scale: value as Scale, lowScoreThreshold: String(DEFAULT_THRESHOLD[value as Scale]) }));
                  }}
                  helpText="Scores are reported on the scale chosen; answers given on the other scale are left out of the figures."
                />
                <TextField label="Question" value={form.question} onChange={(v) => set("question", v)} error={errors.question} autoComplete="off" maxLength={200} showCharacterCount requiredIndicator />
                <Checkbox label="Let customers add a comment" checked={form.commentEnabled} onChange={(v) => set("commentEnabled", v)} />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Second question" description="Learn where customers found you. Answers are counted on the Satisfaction page.">
            <Card>
              <FormLayout>
                <Checkbox label={`Also ask "${form.sourceQuestion || "How did you hear about us?"}"`} checked={form.sourceQuestionEnabled} onChange={(v) => set("sourceQuestionEnabled", v)} />
                {form.sourceQuestionEnabled && (
                  <>
                    <TextField label="Question" value={form.sourceQuestion} onChange={(v) => set("sourceQuestion", v)} error={errors.sourceQuestion} autoComplete="off" maxLength={200} />
                    <TextField
                      label="Answers"
                      value={form.sourceOptions}
                      onChange={(v) => set("sourceOptions", v)}
                      error={errors.sourceOptions}
                      multiline={5}
                      autoComplete="off"
                      helpText="One a line, for example Instagram, A friend, Search engine."
                    />
                  </>
                )}
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Points and follow-ups" description="Reward answers, and hear about unhappy customers while there is still time to help.">
            <Card>
              <FormLayout>
                <TextField
                  label="Points for answering"
                  type="number"
                  min={0}
                  value={form.pointsForAnswer}
                  onChange={(v) => set("pointsForAnswer", v)}
                  error={errors.pointsForAnswer}
                  autoComplete="off"
                  helpText="Credited once per order to loyalty members. 0 turns it off."
                />
                <TextField
                  label="Follow up on scores at or below"
                  type="number"
                  min={min}
                  max={max - 1}
                  value={form.lowScoreThreshold}
                  onChange={(v) => set("lowScoreThreshold", v)}
                  error={errors.lowScoreThreshold}
                  autoComplete="off"
                  helpText={`A score from ${min} to ${max - 1}. Such answers open an item in the inbox and email you.`}
                />
                <TextField
                  label="Send follow-up emails to"
                  type="email"
                  value={form.notifyEmail}
                  onChange={(v) => set("notifyEmail", v)}
                  error={errors.notifyEmail}
                  autoComplete="email"
                  placeholder={shopEmail ?? undefined}
                  helpText={shopEmail ? `Leave empty to use the store's email (${shopEmail}).` : "Leave empty to use the store's email."}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection
            title="Returns and exchanges"
            description="Customers request them from the order status page. Items tagged final-sale can't be returned; items tagged exchange-only can only be exchanged."
          >
            <Card>
              <FormLayout>
                <Checkbox label="Let customers request refunds, exchanges and store credit" checked={form.returnsEnabled} onChange={(v) => set("returnsEnabled", v)} />
                <TextField
                  label="Return window"
                  type="number"
                  min={1}
                  max={MAX_RETURN_WINDOW_DAYS}
                  suffix="days after delivery"
                  value={form.returnWindowDays}
                  onChange={(v) => set("returnWindowDays", v)}
                  error={errors.returnWindowDays}
                  autoComplete="off"
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <InlineStack align="end">
              <Button submit variant="primary" loading={saving} disabled={!dirty || saving}>
                Save
              </Button>
            </InlineStack>
          </Layout.Section>
        </Layout>
      </form>
    </Page>
  );
}
