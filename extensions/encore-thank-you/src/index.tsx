/** @jsxImportSource preact */
// Encore's thank-you / order status block: the points the order earned (for
// a logged-in customer) and a few offers. If the backend is slow or down, or
// has nothing to show, the block renders nothing rather than an error.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { loadBlock, ORDER_STATUS, type BlockData, type Line, type Offer } from "./api";

interface Signal<T> {
  value: T;
}

// The part of the `shopify` global this block uses, on either target.
interface Host {
  extension: { target: string };
  settings: Signal<{ heading?: string; offer_count?: number; show_points?: boolean }>;
  sessionToken: { get(): Promise<string> };
  i18n: {
    translate(key: string, options?: Record<string, unknown>): string;
    formatCurrency(amount: number, options?: { currency?: string }): string;
  };
  orderConfirmation?: Signal<{ order: { id: string } } | undefined>;
  order?: Signal<{ id: string } | undefined>;
  lines?: Signal<{ quantity: number; merchandise: { product: { id: string } }; cost: { totalAmount: { amount: number } } }[]>;
}

const host = () => (globalThis as unknown as { shopify: Host }).shopify;

export default async () => {
  render(<Block />, document.body);
};

function orderIdOf(shopify: Host): string | null {
  if (shopify.extension.target === ORDER_STATUS) return shopify.order?.value?.id ?? null;
  return shopify.orderConfirmation?.value?.order.id ?? null;
}

function linesOf(shopify: Host): Line[] {
  return (shopify.lines?.value ?? []).flatMap((l) =>
    l.merchandise?.product?.id
      ? [{ productId: l.merchandise.product.id, quantity: l.quantity, amount: l.cost?.totalAmount ? String(l.cost.totalAmount.amount) : null }]
      : [],
  );
}

function Block() {
  const shopify = host();
  const settings = shopify.settings.value ?? {};
  const limit = Math.max(0, Math.min(4, Number(settings.offer_count ?? 3)));
  const showPoints = settings.show_points !== false;
  const [data, setData] = useState<BlockData | null>(null);

  useEffect(() => {
    const orderId = orderIdOf(shopify);
    if (!orderId) return;
    let live = true;
    shopify.sessionToken
      .get()
      .then((token) => loadBlock({ target: shopify.extension.target, token, orderId, lines: linesOf(shopify), limit }))
      .catch(() => null)
      .then((result) => {
        if (live) setData(result);
      });
    return () => {
      live = false;
    };
  }, []);

  if (!data) return null;
  const points = showPoints ? data.points : null;
  const offers = data.offers.slice(0, limit);
  if (!points && offers.length === 0) return null;
  const t = shopify.i18n.translate;
  return (
    <s-stack gap="base">
      {points ? <PointsSection points={points} /> : null}
      {offers.length ? (
        <s-stack gap="base">
          <s-heading>{settings.heading || t("heading")}</s-heading>
          {offers.map((offer) => (
            <OfferRow key={offer.productId} offer={offer} />
          ))}
        </s-stack>
      ) : null}
    </s-stack>
  );
}

function PointsSection({ points }: { points: NonNullable<BlockData["points"]> }) {
  const t = host().i18n.translate;
  return (
    <s-stack gap="small-200">
      <s-heading>{t("points.title")}</s-heading>
      <s-text>{t(points.status === "pending" ? "points.pending" : "points.earned", { count: points.earned })}</s-text>
      {points.balance !== undefined ? <s-text>{t("points.balance", { count: points.balance })}</s-text> : null}
      {points.pending ? <s-text color="subdued">{t("points.pendingBalance", { count: points.pending })}</s-text> : null}
      {points.nextReward ? (
        <s-text color="subdued">{t("points.nextReward", { points: points.nextReward.pointsNeeded, reward: points.nextReward.label })}</s-text>
      ) : null}
    </s-stack>
  );
}

function OfferRow({ offer }: { offer: Offer }) {
  const { i18n } = host();
  const money = (amount: string) => i18n.formatCurrency(Number(amount), { currency: offer.currencyCode });
  const badge = offer.discount
    ? offer.discount.kind === "percent"
      ? i18n.translate("offers.percentOff", { value: offer.discount.value })
      : i18n.translate("offers.amountOff", { amount: money(offer.discount.value) })
    : null;
  return (
    <s-grid gridTemplateColumns="64px 1fr" gap="base" alignItems="center">
      {offer.imageUrl ? <s-product-thumbnail src={offer.imageUrl} alt={offer.title} /> : <s-box />}
      <s-stack gap="small-200">
        <s-text type="strong">{offer.title}</s-text>
        <s-stack direction="inline" gap="small-200">
          <s-text>{money(offer.discountedPrice ?? offer.price)}</s-text>
          {offer.discountedPrice ? <s-text color="subdued">{i18n.translate("offers.wasPrice", { price: money(offer.price) })}</s-text> : null}
          {badge ? <s-badge>{badge}</s-badge> : null}
        </s-stack>
        <s-text color="subdued">{offer.reason}</s-text>
        <s-button href={offer.clickUrl} variant="secondary">
          {i18n.translate("offers.add")}
        </s-button>
      </s-stack>
    </s-grid>
  );
}
