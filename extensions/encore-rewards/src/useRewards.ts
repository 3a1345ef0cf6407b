// The shopper's rewards and the redeem action, shared by the Rewards page and
// the order status block.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, fetchAccount, newRequestId, redeem, type Account, type Redemption } from "./api";
import { t } from "./i18n";

export type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; account: Account };

export function useRewards() {
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

  return { load, issued, redeeming, error, refresh, onRedeem };
}
