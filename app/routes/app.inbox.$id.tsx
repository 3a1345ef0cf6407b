import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { shopForSession } from "../models/shop.server";
import { actorOf } from "../services/actor.server";
import { formatDate, formatDateTime, formatPoints, legacyId } from "../services/loyalty/display";
import { InboxError, addNote, grantGoodwill, inboxItemDetail, replyToCustomer, setStatus } from "../services/satisfaction/inbox.server";
import { notifier } from "../services/satisfaction/mail.server";
import { RESOLUTION_LABELS, RETURN_REASONS, ReturnError, approveReturnRequest, declineReturnRequest, requestLinesOf, type Resolution, type ReturnReason } from "../services/satisfaction/returns.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const detail = await inboxItemDetail(db, shop.id, params.id ?? "");
  if (!detail) throw new Response("Not found", { status: 404 });
  const { item, returnRequest, history } = detail;
  return {
    item: {
      id: item.id,
      kind: item.kind,
      status: item.status,
      summary: item.summary,
      orderId: item.orderId,
      orderName: item.orderName ?? `#${legacyId(item.orderId)}`,
      score: item.score,
      customerName: item.customerName,
      customerEmail: item.customerEmail,
      customerId: item.customerId,
      items: JSON.parse(item.items) as { title: string; quantity?: number; exchangeVariantTitle?: string | null }[],
      createdAt: item.createdAt.toISOString(),
      messages: item.messages.map((m) => ({ id: m.id, kind: m.kind, body: m.body, actor: m.actor, emailTo: m.emailTo, createdAt: m.createdAt.toISOString() })),
    },
    returnRequest: returnRequest && {
      id: returnRequest.id,
      status: returnRequest.status,
      resolution: RESOLUTION_LABELS[returnRequest.resolution as Resolution] ?? returnRequest.resolution,
      reason: RETURN_REASONS[returnRequest.reason as ReturnReason] ?? returnRequest.reason,
      note: returnRequest.note,
      declineReason: returnRequest.declineReason,
      shopifyReturnName: returnRequest.shopifyReturnName,
      lines: requestLinesOf(returnRequest),
    },
    history: history && {
      ...history,
      orders: history.orders.map((o) => ({ ...o, createdAt: o.createdAt.toISOString() })),
      responses: history.responses.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    },
  };
};

type ActionResult = { ok: true; intent: string; message: string } | { ok: false; intent: string; field: string | null; error: string };

export const action = async ({ request, params }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session, admin } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = params.id ?? "";
  const actor = actorOf(session);
  const requestId = String(form.get("requestId") ?? "") || crypto.randomUUID();
  const notify = notifier(db, shop.id);
  try {
    switch (intent) {
      case "note":
        await addNote(db, shop.id, id, form.get("note"), actor);
        return { ok: true, intent, message: "Note added" };
      case "reply":
        await replyToCustomer(db, shop.id, id, { subject: form.get("subject"), body: form.get("reply"), actor, requestId }, notify);
        return { ok: true, intent, message: "Reply sent" };
      case "resolve":
      case "reopen":
        await setStatus(db, shop.id, id, intent === "resolve" ? "resolved" : "open", actor);
        return { ok: true, intent, message: intent === "resolve" ? "Marked resolved" : "Reopened" };
      case "goodwill":
        await grantGoodwill(db, shop.id, id, { points: form.get("points"), reason: form.get("reason"), actor, requestId });
        return { ok: true, intent, message: "Points granted" };
      case "approve":
      case "decline": {
        const detail = await inboxItemDetail(db, shop.id, id);
        if (!detail?.returnRequest) throw new InboxError("This item has no return request.", undefined, 404);
        if (intent === "approve") await approveReturnRequest(db, admin.graphql, shop.id, detail.returnRequest.id, actor, { notify });
        else await declineReturnRequest(db, shop.id, detail.returnRequest.id, form.get("declineReason"), actor, { notify });
        return { ok: true, intent, message: intent === "approve" ? "Return created in Shopify" : "Request declined" };
      }
      default:
        return { ok: false, intent, field: null, error: "Unknown action." };
    }
  } catch (error) {
    if (error instanceof InboxError || error instanceof ReturnError) return { ok: false, intent, field: error.field ?? null, error: error.message };
    throw error;
  }
};

const MESSAGE_LABELS: Record<string, { label: string; tone?: "info" | "success" | "attention" }> = {
  comment: { label: "Customer", tone: "attention" },
  note: { label: "Note", tone: "info" },
  reply: { label: "Emailed", tone: "success" },
  event: { label: "Activity" },
};

export default function InboxItem() {
  const { item, returnRequest, history } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const busy = navigation.state !== "idle";
  const busyWith = busy ? String(navigation.formData?.get("intent") ?? "") : "";
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const [note, setNote] = useState("");
  const [subject, setSubject] = useState(`About your order ${item.orderName}`);
  const [reply, setReply] = useState("");
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [declineReason, setDeclineReason] = useState("");
  const [confirming, setConfirming] = useState<"approve" | "decline" | null>(null);

  useEffect(() => {
    if (!result) return;
    if (result.ok) {
      shopify.toast.show(result.message);
      setRequestId(crypto.randomUUID());
      setConfirming(null);
      if (result.intent === "note") setNote("");
      if (result.intent === "reply") setReply("");
      if (result.intent === "goodwill") {
        setPoints("");
        setReason("");
      }
    }
  }, [result, shopify]);

  const send = (intent: string, fields: Record<string, string> = {}) => submit({ intent, requestId, ...fields }, { method: "post", preventScrollReset: true });
  const errorFor = (intent: string, field?: string) => (result && !result.ok && result.intent === intent && (!field || result.field === field || result.field === null) ? result.error : undefined);
  const pendingReturn = returnRequest && returnRequest.status === "requested";

  return (
    <Page
      title={item.kind === "low_score" ? `Low score on order ${item.orderName}` : `Return request on order ${item.orderName}`}
      titleMetadata={<Badge tone={item.status === "open" ? "warning" : "success"}>{item.status === "open" ? "Open" : "Resolved"}</Badge>}
      backAction={{ content: "Inbox", url: "/app/inbox" }}
      primaryAction={
        item.status === "open"
          ? { content: "Mark resolved", onAction: () => send("resolve"), loading: busyWith === "resolve", disabled: busy || Boolean(pendingReturn) }
          : { content: "Reopen", onAction: () => send("reopen"), loading: busyWith === "reopen", disabled: busy }
      }
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {item.summary}
                </Text>
                <Text as="p" tone="subdued">
                  Received {formatDateTime(item.createdAt)}
                </Text>
                {item.items.length > 0 && (
                  <BlockStack gap="100">
                    {item.items.map((i, n) => (
                      <Text as="p" key={n}>
                        {i.quantity ? `${i.quantity} × ` : ""}
                        {i.title}
                        {i.exchangeVariantTitle ? ` → ${i.exchangeVariantTitle}` : ""}
                      </Text>
                    ))}
                  </BlockStack>
                )}
              </BlockStack>
            </Card>

            {returnRequest && (
              <Card>
                <BlockStack gap="300">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {returnRequest.resolution} · {returnRequest.reason}
                    </Text>
                    <Badge tone={returnRequest.status === "approved" ? "success" : returnRequest.status === "declined" ? "critical" : "attention"}>
                      {returnRequest.status === "requested" ? "Awaiting decision" : returnRequest.status === "approved" ? "Approved" : returnRequest.status === "declined" ? "Declined" : "Creating return…"}
                    </Badge>
                  </InlineStack>
                  {returnRequest.shopifyReturnName && <Text as="p">Return {returnRequest.shopifyReturnName} was created in Shopify; refund or exchange it from the order in Shopify.</Text>}
                  {returnRequest.declineReason && <Text as="p">Declined: {returnRequest.declineReason}</Text>}
                  {errorFor("approve") && (
                    <Banner tone="critical" title="The return was not created">
                      <p>{errorFor("approve")}</p>
                    </Banner>
                  )}
                  {pendingReturn && confirming === null && (
                    <InlineStack gap="200">
                      <Button variant="primary" onClick={() => setConfirming("approve")} disabled={busy}>
                        Approve
                      </Button>
                      <Button tone="critical" onClick={() => setConfirming("decline")} disabled={busy}>
                        Decline
                      </Button>
                    </InlineStack>
                  )}
                  {pendingReturn && confirming === "approve" && (
                    <Banner tone="info" title="Create this return in Shopify?">
                      <BlockStack gap="200">
                        <p>Shopify opens a return for these items{returnRequest.resolution === "Exchange" ? " and adds the exchange items to the order" : ""}. The customer is told by email.</p>
                        <InlineStack gap="200">
                          <Button variant="primary" onClick={() => send("approve")} loading={busyWith === "approve"}>
                            Create return
                          </Button>
                          <Button onClick={() => setConfirming(null)}>Cancel</Button>
                        </InlineStack>
                      </BlockStack>
                    </Banner>
                  )}
                  {pendingReturn && confirming === "decline" && (
                    <FormLayout>
                      <TextField
                        label="Reason (the customer sees it)"
                        value={declineReason}
                        onChange={setDeclineReason}
                        multiline={2}
                        maxLength={500}
                        autoComplete="off"
                        error={errorFor("decline", "declineReason")}
                      />
                      <InlineStack gap="200">
                        <Button tone="critical" variant="primary" onClick={() => send("decline", { declineReason })} loading={busyWith === "decline"}>
                          Decline request
                        </Button>
                        <Button onClick={() => setConfirming(null)}>Cancel</Button>
                      </InlineStack>
                    </FormLayout>
                  )}
                </BlockStack>
              </Card>
            )}

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Thread
                </Text>
                {item.messages.length === 0 && (
                  <Text as="p" tone="subdued">
                    No messages yet.
                  </Text>
                )}
                {item.messages.map((m) => (
                  <BlockStack key={m.id} gap="100">
                    <InlineStack gap="200" blockAlign="center">
                      <Badge tone={MESSAGE_LABELS[m.kind]?.tone}>{MESSAGE_LABELS[m.kind]?.label ?? m.kind}</Badge>
                      <Text as="span" tone="subdued">
                        {formatDateTime(m.createdAt)}
                        {m.actor ? ` · ${m.actor}` : ""}
                        {m.emailTo ? ` · to ${m.emailTo}` : ""}
                      </Text>
                    </InlineStack>
                    <Text as="p">
                      <span style={{ whiteSpace: "pre-wrap" }}>{m.body}</span>
                    </Text>
                  </BlockStack>
                ))}
                <Divider />
                <FormLayout>
                  <TextField label="Subject" value={subject} onChange={setSubject} autoComplete="off" error={errorFor("reply", "subject")} disabled={!item.customerEmail} />
                  <TextField
                    label={item.customerEmail ? `Reply to ${item.customerEmail}` : "Reply"}
                    value={reply}
                    onChange={setReply}
                    multiline={4}
                    autoComplete="off"
                    disabled={!item.customerEmail}
                    helpText={item.customerEmail ? "Sent by email and kept in this thread." : "We have no email address for this customer."}
                    error={errorFor("reply", "reply")}
                  />
                  <InlineStack align="end">
                    <Button variant="primary" onClick={() => send("reply", { subject, reply })} loading={busyWith === "reply"} disabled={!item.customerEmail || busy}>
                      Send reply
                    </Button>
                  </InlineStack>
                  <TextField label="Internal note" value={note} onChange={setNote} multiline={2} autoComplete="off" error={errorFor("note", "note")} helpText="Only your staff see notes." />
                  <InlineStack align="end">
                    <Button onClick={() => send("note", { note })} loading={busyWith === "note"} disabled={busy}>
                      Add note
                    </Button>
                  </InlineStack>
                </FormLayout>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Customer
                </Text>
                {history ? (
                  <>
                    <Text as="p">{history.customer.name ?? history.customer.email}</Text>
                    {history.customer.email && <Text as="p" tone="subdued">{history.customer.email}</Text>}
                    <Text as="p">
                      {history.orderCount} {history.orderCount === 1 ? "order" : "orders"} · {formatPoints(history.customer.balance)} points (earned {formatPoints(history.pointsEarned)})
                    </Text>
                    <Box>
                      <Button url={`/app/customers/${history.customer.id}`} variant="plain">
                        Loyalty history
                      </Button>
                    </Box>
                    {history.orders.length > 0 && <Divider />}
                    {history.orders.map((o) => (
                      <InlineStack key={o.orderId} align="space-between">
                        <Text as="span">{o.orderName ?? `#${legacyId(o.orderId)}`}</Text>
                        <Text as="span" tone="subdued">
                          {o.total} {o.currencyCode} · {formatDate(o.createdAt)}
                        </Text>
                      </InlineStack>
                    ))}
                    {history.responses.length > 0 && <Divider />}
                    {history.responses.map((r) => (
                      <Text as="p" key={r.orderId} tone="subdued">
                        Scored {r.orderName ?? `#${legacyId(r.orderId)}`} {r.score} / {r.scale === "nps" ? 10 : 5} on {formatDate(r.createdAt)}
                      </Text>
                    ))}
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    {item.customerEmail ?? "A guest"} — not a loyalty member, so there is no order history in Encore.
                  </Text>
                )}
              </BlockStack>
            </Card>
            {history && (
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Goodwill points
                  </Text>
                  <TextField label="Points" type="number" min={1} value={points} onChange={setPoints} autoComplete="off" error={errorFor("goodwill", "points")} />
                  <TextField label="Reason" value={reason} onChange={setReason} autoComplete="off" placeholder={`Goodwill for order ${item.orderName}`} error={errorFor("goodwill", "reason")} />
                  <Button onClick={() => send("goodwill", { points, reason })} loading={busyWith === "goodwill"} disabled={busy || !points}>
                    Grant points
                  </Button>
                </FormLayout>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
