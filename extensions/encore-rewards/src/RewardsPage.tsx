/** @jsxImportSource preact */
// customer-account.page.render: the full Rewards page.
import type {} from "@shopify/ui-extensions/customer-account.page.render";
import { render } from "preact";
import type { Redemption } from "./api";
import { date, num, t } from "./i18n";
import { IssuedCode, RedeemError, RewardList } from "./RewardList";
import { useRewards } from "./useRewards";

export default async () => {
  render(<RewardsPage />, document.body);
};

function RewardsPage() {
  const { load, issued, redeeming, error, refresh, onRedeem } = useRewards();

  if (load.state === "loading") {
    return (
      <s-page heading={t("page.heading")}>
        <s-section>
          <s-spinner accessibilityLabel={t("page.heading")} />
        </s-section>
      </s-page>
    );
  }

  if (load.state === "error") {
    return (
      <s-page heading={t("page.heading")}>
        <s-banner tone="critical" heading={load.message}>
          <s-button onClick={() => void refresh()}>{t("errors.retry")}</s-button>
        </s-banner>
      </s-page>
    );
  }

  const { account } = load;
  return (
    <s-page heading={t("page.heading")} subheading={t("page.subheading")}>
      <s-stack gap="base">
        <s-section heading={t("balance.label")}>
          <s-stack gap="small-200">
            <s-heading id="encore-balance">{t("balance.points", { count: account.balance })}</s-heading>
            {account.pending ? <s-text color="subdued">{t("balance.pending", { count: num(account.pending) })}</s-text> : null}
          </s-stack>
        </s-section>

        <IssuedCode issued={issued} />
        <RedeemError error={error} />

        <s-section heading={t("rewards.heading")}>
          <RewardList account={account} redeeming={redeeming} onRedeem={(id) => void onRedeem(id)} />
        </s-section>

        {account.redemptions.length > 0 ? (
          <s-section heading={t("history.heading")}>
            <s-stack gap="small-200">
              {account.redemptions.map((r) => (
                <s-stack key={r.id} direction="inline" gap="base" justifyContent="space-between">
                  <s-text>
                    {r.title} · {date(r.createdAt)}
                  </s-text>
                  <s-text color="subdued">{r.code ? `${r.code} · ${statusLabel(r)}` : statusLabel(r)}</s-text>
                </s-stack>
              ))}
            </s-stack>
          </s-section>
        ) : null}

        {account.referral ? (
          <s-section heading={t("referral.heading")}>
            <s-stack gap="small-200">
              <s-text>{t("referral.body", { points: num(account.referral.referrerPoints) })}</s-text>
              <s-text type="strong">{account.referral.url}</s-text>
              <s-clipboard-item id="encore-referral-link" text={account.referral.url} />
              <s-button commandFor="encore-referral-link">{t("referral.copy")}</s-button>
            </s-stack>
          </s-section>
        ) : null}
      </s-stack>
    </s-page>
  );
}

function statusLabel(r: Redemption): string {
  if (r.status === "used") return t("history.used");
  if (r.status !== "issued") return t("history.notIssued");
  if (r.endsAt && new Date(r.endsAt).getTime() < Date.now()) return t("history.expired");
  return t("history.active");
}
