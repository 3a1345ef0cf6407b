/** @jsxImportSource preact */
// The issued code, a redeem error, and the rewards with their redeem buttons.
import type { Account, Redemption } from "./api";
import { date, num, t } from "./i18n";

export function IssuedCode({ issued }: { issued: Redemption | null }) {
  if (!issued?.code) return null;
  return (
    <s-banner tone="success" heading={t("issued.heading")}>
      <s-stack gap="small-200">
        <s-text>{t("issued.body", { code: issued.code })}</s-text>
        {issued.endsAt ? <s-text color="subdued">{t("issued.expires", { date: date(issued.endsAt) })}</s-text> : null}
        <s-clipboard-item id="encore-issued-code" text={issued.code} />
        <s-button commandFor="encore-issued-code">{t("issued.copy")}</s-button>
      </s-stack>
    </s-banner>
  );
}

export function RedeemError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <s-banner tone="critical" heading={t("errors.redeem")}>
      <s-text>{error}</s-text>
    </s-banner>
  );
}

export function RewardList({ account, redeeming, onRedeem }: { account: Account; redeeming: string | null; onRedeem: (rewardId: string) => void }) {
  if (account.rewards.length === 0) return <s-text>{t("rewards.empty")}</s-text>;
  return (
    <s-stack gap="base">
      {account.rewards.map((reward) => (
        <s-stack key={reward.id} direction="inline" gap="base" justifyContent="space-between" alignItems="center">
          <s-stack gap="none">
            <s-text type="strong">{reward.title}</s-text>
            <s-text color="subdued">
              {reward.description} · {t("rewards.cost", { count: num(reward.pointsCost) })}
            </s-text>
          </s-stack>
          {account.balance >= reward.pointsCost ? (
            <s-button variant="primary" loading={redeeming === reward.id} disabled={redeeming !== null} onClick={() => onRedeem(reward.id)}>
              {t("rewards.redeem")}
            </s-button>
          ) : (
            <s-text color="subdued">{t("rewards.notEnough", { count: num(reward.pointsCost - account.balance) })}</s-text>
          )}
        </s-stack>
      ))}
    </s-stack>
  );
}
