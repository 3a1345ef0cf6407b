/** @jsxImportSource preact */
// customer-account.page.render: the full Rewards page.
import type {} from "@shopify/ui-extensions/customer-account.page.render";
import { render } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, fetchAccount, newRequestId, redeem, type Account, type Redemption } from "./api";
import { date, num, t } from "./i18n";

export default async () => {
  render(<RewardsPage />, document.body);
};

type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; account: Account };

function RewardsPage() {
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [issued, setIssued] = useState<Redemption | null>(null);
  const [redeeming, setRedeeming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // One request id per reward until it succeeds: retrying after an error
  // reuses it, so the server can never issue two codes for one intent.
  const requestIds = useRef(new Map<string, string>());

  const refresh = useCallback(async () => {
    try {
      setLoad({ state: "ready", account: await fetchAccount() });
    } catch (e) {
      setLoad({ state: "error", message: e instanceof ApiError && e.status === 401 ? t("errors.session") : t("errors.load") });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  async function onRedeem(rewardId: string) {
    if (redeeming) return;
    setRedeeming(rewardId);
    setError(null);
    const requestId = requestIds.current.get(rewardId) ?? newRequestId();
    requestIds.current.set(rewardId, requestId);
    try {
      const result = await redeem(rewardId, requestId);
      requestIds.current.delete(rewardId);
      setIssued(result.redemption);
      await refresh();
    } catch (e) {
      // A definite answer (not enough points, reward gone…) ends this intent;
      // "still being issued" and server/network failures keep it for the retry.
      if (e instanceof ApiError && e.status < 500 && e.code !== "in_progress") requestIds.current.delete(rewardId);
      setError(e instanceof ApiError ? e.message : t("errors.redeem"));
    } finally {
      setRedeeming(null);
    }
  }

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

        {issued?.code ? (
          <s-banner tone="success" heading={t("issued.heading")}>
            <s-stack gap="small-200">
              <s-text>{t("issued.body", { code: issued.code })}</s-text>
              {issued.endsAt ? <s-text color="subdued">{t("issued.expires", { date: date(issued.endsAt) })}</s-text> : null}
              <s-clipboard-item id="encore-issued-code" text={issued.code} />
              <s-button commandFor="encore-issued-code">{t("issued.copy")}</s-button>
            </s-stack>
          </s-banner>
        ) : null}

        {error ? (
          <s-banner tone="critical" heading={t("errors.redeem")}>
            <s-text>{error}</s-text>
          </s-banner>
        ) : null}

        <s-section heading={t("rewards.heading")}>
          {account.rewards.length === 0 ? (
            <s-text>{t("rewards.empty")}</s-text>
          ) : (
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
                    <s-button
                      variant="primary"
                      loading={redeeming === reward.id}
                      disabled={redeeming !== null}
                      onClick={() => void onRedeem(reward.id)}
                    >
                      {t("rewards.redeem")}
                    </s-button>
                  ) : (
                    <s-text color="subdued">{t("rewards.notEnough", { count: num(reward.pointsCost - account.balance) })}</s-text>
                  )}
                </s-stack>
              ))}
            </s-stack>
          )}
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
