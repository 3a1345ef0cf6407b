/** @jsxImportSource preact */
// Refund / exchange / store-credit requests on the order status page: the
// backend says which items can be returned (fulfilled, not yet returned, in
// the store's window, not final sale) and shows earlier requests' status.
import { useEffect, useState } from "preact/hooks";
import { backend } from "./backend";

interface EligibleLine {
  fulfillmentLineItemId: string;
  title: string;
  variantTitle: string | null;
  quantity: number;
  resolutions: string[];
  exchangeVariants: { id: string; title: string }[];
}

interface ShownRequest {
  id: string;
  status: string;
  resolution: string;
  declineReason: string | null;
  lines: { title: string; quantity: number; exchangeVariantTitle: string | null }[];
}

export interface Eligibility {
  enabled: boolean;
  windowDays: number;
  lines: EligibleLine[];
  requests: ShownRequest[];
  reasons: { value: string; label: string }[];
  resolutions: { value: string; label: string }[];
}

export interface ReturnsProps {
  orderId: string;
  translate: (key: string, replacements?: Record<string, string | number>) => string;
  getToken: () => Promise<string>;
}

const valueOf = (e: Event) => (e.currentTarget as HTMLInputElement).value;

export function Returns({ orderId, translate: t, getToken }: ReturnsProps) {
  const [data, setData] = useState<Eligibility | null>(null);
  const [chosen, setChosen] = useState<Record<string, number>>({});
  const [exchangeFor, setExchangeFor] = useState<Record<string, string>>({});
  const [reason, setReason] = useState("");
  const [resolution, setResolution] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState(false);

  const load = () =>
    backend<Eligibility>(getToken, "order-status", "/api/returns", { query: { orderId } })
      .then(setData)
      .catch(() => setData(null));

  useEffect(() => {
    load();
  }, [orderId]);

  if (!data || (!data.enabled && data.requests.length === 0)) return null;

  const selected = data.lines.filter((l) => chosen[l.fulfillmentLineItemId] > 0);
  // Only what every chosen item allows (exchange-only items narrow it to exchange).
  const allowed = data.resolutions.filter((r) => selected.every((l) => l.resolutions.includes(r.value)));
  const current = allowed.some((r) => r.value === resolution) ? resolution : (allowed[0]?.value ?? "");
  const reasonValue = reason || data.reasons[0]?.value || "";

  const submit = async () => {
    if (!selected.length) {
      setError(t("returns.chooseItems"));
      return;
    }
    setSending(true);
    setError(null);
    try {
      await backend(getToken, "order-status", "/api/returns", {
        method: "POST",
        body: {
          orderId,
          resolution: current,
          reason: reasonValue,
          note: note || undefined,
          lines: selected.map((l) => ({
            fulfillmentLineItemId: l.fulfillmentLineItemId,
            quantity: chosen[l.fulfillmentLineItemId],
            ...(current === "exchange" ? { exchangeVariantId: exchangeFor[l.fulfillmentLineItemId] ?? l.exchangeVariants[0]?.id } : {}),
          })),
        },
      });
      setSent(true);
      setChosen({});
      setNote("");
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <s-stack gap="base">
      <s-heading>{t("returns.heading")}</s-heading>
      {data.requests.length > 0 && (
        <s-stack gap="small">
          <s-text type="strong">{t("returns.statusHeading")}</s-text>
          {data.requests.map((r) => (
            <s-stack key={r.id} gap="small-300">
              <s-stack direction="inline" gap="small">
                <s-badge tone={r.status === "approved" ? "auto" : r.status === "declined" ? "critical" : "neutral"}>{t(`returns.status.${r.status}`)}</s-badge>
                <s-text>{r.lines.map((l) => `${l.quantity} × ${l.title}${l.exchangeVariantTitle ? ` → ${l.exchangeVariantTitle}` : ""}`).join(", ")}</s-text>
              </s-stack>
              {r.declineReason && <s-text color="subdued">{t("returns.declinedBecause", { reason: r.declineReason })}</s-text>}
            </s-stack>
          ))}
        </s-stack>
      )}
      {sent && <s-banner tone="success" heading={t("returns.sent")} />}
      {data.enabled && data.lines.length === 0 && <s-text color="subdued">{t("returns.none")}</s-text>}
      {data.enabled && data.lines.length > 0 && (
        <s-stack gap="base">
          <s-text color="subdued">{t("returns.intro")} {t("returns.window", { days: data.windowDays })}</s-text>
          {data.lines.map((l) => (
            <s-stack key={l.fulfillmentLineItemId} gap="small-200">
              <s-number-field
                label={t("returns.quantity", { title: l.variantTitle && l.variantTitle !== "Default Title" ? `${l.title} (${l.variantTitle})` : l.title })}
                min={0}
                max={l.quantity}
                step={1}
                value={String(chosen[l.fulfillmentLineItemId] ?? 0)}
                onChange={(e: Event) => {
                  const n = Math.max(0, Math.min(l.quantity, Math.floor(Number(valueOf(e)) || 0)));
                  setChosen((c) => ({ ...c, [l.fulfillmentLineItemId]: n }));
                }}
              />
              {current === "exchange" && chosen[l.fulfillmentLineItemId] > 0 && (
                <s-select
                  label={t("returns.exchangeFor", { title: l.title })}
                  value={exchangeFor[l.fulfillmentLineItemId] ?? l.exchangeVariants[0]?.id ?? ""}
                  onChange={(e: Event) => {
                    const value = valueOf(e);
                    setExchangeFor((x) => ({ ...x, [l.fulfillmentLineItemId]: value }));
                  }}
                >
                  {l.exchangeVariants.map((v) => (
                    <s-option key={v.id} value={v.id}>
                      {v.title}
                    </s-option>
                  ))}
                </s-select>
              )}
            </s-stack>
          ))}
          <s-select label={t("returns.reason")} value={reasonValue} onChange={(e: Event) => setReason(valueOf(e))}>
            {data.reasons.map((r) => (
              <s-option key={r.value} value={r.value}>
                {r.label}
              </s-option>
            ))}
          </s-select>
          <s-select label={t("returns.resolution")} value={current} onChange={(e: Event) => setResolution(valueOf(e))}>
            {allowed.map((r) => (
              <s-option key={r.value} value={r.value}>
                {r.label}
              </s-option>
            ))}
          </s-select>
          <s-text-area label={t("returns.note")} value={note} maxLength={255} onInput={(e: Event) => setNote(valueOf(e))} />
          {error && <s-banner tone="critical" heading={error} />}
          <s-button variant="primary" loading={sending} disabled={sending} onClick={submit}>
            {t("returns.submit")}
          </s-button>
        </s-stack>
      )}
    </s-stack>
  );
}
