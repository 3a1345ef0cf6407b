/** @jsxImportSource preact */
// customer-account.profile.block.render: the balance, linking to the Rewards page.
import type {} from "@shopify/ui-extensions/customer-account.profile.block.render";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { fetchAccount } from "./api";
import { t } from "./i18n";

export default async () => {
  render(<ProfileBlock />, document.body);
};

function ProfileBlock() {
  const [balance, setBalance] = useState<number | null | "error">(null);
  useEffect(() => {
    fetchAccount()
      .then((a) => setBalance(a.balance))
      .catch(() => setBalance("error"));
  }, []);
  return (
    <s-section heading={t("block.heading")}>
      <s-stack gap="small-200">
        {balance === null ? <s-spinner accessibilityLabel={t("block.heading")} /> : null}
        {balance === "error" ? <s-text color="subdued">{t("block.unavailable")}</s-text> : null}
        {typeof balance === "number" ? <s-text>{t("block.balance", { count: balance })}</s-text> : null}
        {/* extension:/ opens this extension's full page. */}
        <s-link href="extension:/">{t("block.link")}</s-link>
      </s-stack>
    </s-section>
  );
}
