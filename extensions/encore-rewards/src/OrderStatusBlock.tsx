/** @jsxImportSource preact */
// customer-account.order-status.block.render: spend points from the order
// status page — the balance, the rewards the customer can redeem, and the
// code once issued. Hidden while loading and when the rewards cannot load
// (the order status page must never show a broken block).
import type {} from "@shopify/ui-extensions/customer-account.order-status.block.render";
import { render } from "preact";
import { t } from "./i18n";
import { IssuedCode, RedeemError, RewardList } from "./RewardList";
import { useRewards } from "./useRewards";

export default async () => {
  render(<OrderStatusBlock />, document.body);
};

function OrderStatusBlock() {
  const { load, issued, redeeming, error, onRedeem } = useRewards();
  if (load.state !== "ready" || load.account.rewards.length === 0) return null;
  const { account } = load;
  return (
    <s-section heading={t("orderStatus.heading")}>
      <s-stack gap="base">
        <s-text id="encore-balance">{t("block.balance", { count: account.balance })}</s-text>
        <IssuedCode issued={issued} />
        <RedeemError error={error} />
        <RewardList account={account} redeeming={redeeming} onRedeem={(id) => void onRedeem(id)} />
        <s-link href="extension:/">{t("block.link")}</s-link>
      </s-stack>
    </s-section>
  );
}
