import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Layout, Modal, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { createRule, deleteRule, getRule, updateRule } from "../models/earning-rule.server";
import { shopForSession } from "../models/shop.server";
import {
  RULE_KINDS,
  RULE_KIND_LABELS,
  RULE_TARGETS,
  RULE_TARGET_LABELS,
  ruleFormValues,
  validateRule,
  type RuleFields,
  type RuleKind,
} from "../services/loyalty/rules";
import { authenticate } from "../shopify.server";

function notFound(): never {
  throw new Response("Rule not found", { status: 404 });
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  if (params.id === "new") {
    const kind = new URL(request.url).searchParams.get("kind");
    const k: RuleKind = (RULE_KINDS as readonly string[]).includes(kind ?? "") ? (kind as RuleKind) : "multiplier";
    return {
      isNew: true,
      values: {
        name: "",
        kind: k,
        target: k === "campaign" ? "all" : "tag",
        value: "",
        multiplier: k === "bonus" ? "" : "2",
        bonusPoints: "",
        startsOn: "",
        endsOn: "",
        active: "true",
      },
    };
  }
  const rule = params.id ? await getRule(db, shop.id, params.id) : null;
  if (!rule) notFound();
  return { isNew: false, values: ruleFormValues(rule) };
};

type ActionResult = { ok: false; errors: Partial<Record<RuleFields, string>> };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionResult | Response> => {
  const { session, redirect } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const form = await request.formData();
  const isNew = params.id === "new";
  if (form.get("intent") === "delete") {
    if (isNew || !(await deleteRule(db, shop.id, params.id ?? ""))) notFound();
    return redirect("/app/program");
  }
  const result = validateRule(Object.fromEntries(form));
  if (!result.ok) return { ok: false, errors: result.errors };
  if (isNew) await createRule(db, shop.id, result.value);
  else if (!(await updateRule(db, shop.id, params.id ?? "", result.value))) notFound();
  return redirect("/app/program");
};

const VALUE_HELP: Record<string, string> = {
  tag: "The product tag, as in Shopify (not case-sensitive).",
  collection: "The collection's handle (e.g. summer-sale) or ID (gid://shopify/Collection/…).",
  vendor: "The vendor's name (not case-sensitive).",
  product: "The product's ID, from its admin URL (e.g. 7212345678901).",
};

export default function RulePage() {
  const { isNew, values: initial } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [errors, setErrors] = useState<Partial<Record<RuleFields, string>>>({});
  const [confirming, setConfirming] = useState(false);
  const [pickedTitle, setPickedTitle] = useState<string | null>(null);
  const shopify = useAppBridge();
  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";
  const kind = values.kind as RuleKind;

  useEffect(() => {
    if (actionData && !actionData.ok) setErrors(actionData.errors);
  }, [actionData]);

  const set = (name: RuleFields | "active") => (value: string) => {
    setValues((v) => ({ ...v, [name]: value, ...(name === "kind" && value === "campaign" ? { target: "all" } : {}), ...(name === "kind" && value !== "campaign" && v.target === "all" ? { target: "tag" } : {}) }));
    if (name !== "active" && errors[name]) setErrors((e) => ({ ...e, [name]: undefined }));
  };
  const text = (name: RuleFields) => ({ value: values[name], onChange: set(name), error: errors[name], autoComplete: "off" });
  const targets = RULE_TARGETS.filter((t) => (kind === "campaign" ? t === "all" : kind === "multiplier" ? t !== "all" : true));

  return (
    <Page
      title={isNew ? (kind === "campaign" ? "New campaign" : "New earning rule") : values.name || "Earning rule"}
      backAction={{ content: "Program", url: "/app/program" }}
      secondaryActions={isNew ? undefined : [{ content: "Delete", destructive: true, onAction: () => setConfirming(true) }]}
    >
      <Layout>
        <Layout.Section>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (!saving) submit(values, { method: "post" });
            }}
          >
            <Card>
              <BlockStack gap="400">
                {Object.values(errors).some(Boolean) && (
                  <Banner tone="critical" title="The rule was not saved">
                    <p>Fix the highlighted fields and save again.</p>
                  </Banner>
                )}
                <FormLayout>
                  <TextField label="Name" {...text("name")} helpText="Shown in the preview and the points explanation." requiredIndicator />
                  <FormLayout.Group>
                    <Select label="Kind" options={RULE_KINDS.map((k) => ({ value: k, label: RULE_KIND_LABELS[k] }))} value={values.kind} onChange={set("kind")} error={errors.kind} />
                    <Select label="Applies to" options={targets.map((t) => ({ value: t, label: RULE_TARGET_LABELS[t] }))} value={values.target} onChange={set("target")} error={errors.target} />
                  </FormLayout.Group>
                  {values.target !== "all" && (
                    <TextField
                      label={RULE_TARGET_LABELS[values.target as keyof typeof RULE_TARGET_LABELS]}
                      {...text("value")}
                      helpText={values.target === "product" && pickedTitle ? `Selected: ${pickedTitle}` : VALUE_HELP[values.target]}
                      requiredIndicator
                      connectedRight={
                        values.target === "product" ? (
                          <Button
                            onClick={async () => {
                              // App Bridge's product picker; the rule stores the product's gid.
                              const picked = (await shopify.resourcePicker({ type: "product", action: "select", multiple: false })) as
                                | { id: string; title: string }[]
                                | undefined;
                              if (picked?.[0]) {
                                set("value")(picked[0].id);
                                setPickedTitle(picked[0].title);
                              }
                            }}
                          >
                            Choose product
                          </Button>
                        ) : undefined
                      }
                    />
                  )}
                  {kind === "bonus" ? (
                    <TextField label="Bonus points per item" type="number" {...text("bonusPoints")} helpText="Added for each unit bought; not multiplied." requiredIndicator />
                  ) : (
                    <TextField
                      label="Multiplier"
                      inputMode="decimal"
                      prefix="×"
                      {...text("multiplier")}
                      helpText={
                        kind === "campaign"
                          ? "Multiplies every line of orders placed during the campaign. When campaigns overlap, the highest applies."
                          : "Multiplies the points of matching products. When several product rules match, the highest applies."
                      }
                      requiredIndicator
                    />
                  )}
                  <FormLayout.Group>
                    <TextField label="Starts" type="date" {...text("startsOn")} helpText={kind === "campaign" ? "First day (UTC)." : "Optional."} requiredIndicator={kind === "campaign"} />
                    <TextField label="Ends" type="date" {...text("endsOn")} helpText={kind === "campaign" ? "Last day, inclusive (UTC)." : "Optional."} requiredIndicator={kind === "campaign"} />
                  </FormLayout.Group>
                  <Checkbox label="Active" checked={values.active !== "false"} onChange={(checked) => set("active")(checked ? "true" : "false")} />
                </FormLayout>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={saving}>
                    Save
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </form>
        </Layout.Section>
      </Layout>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Delete this rule?"
        primaryAction={{ content: "Delete rule", destructive: true, onAction: () => submit({ intent: "delete" }, { method: "post" }) }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <Text as="p">Orders from now on earn without it. Points already earned are kept.</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
