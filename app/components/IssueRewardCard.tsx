// The customer page's "Issue a reward" card (its data: app.customers.$id.rewards).
import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, ChoiceList, InlineStack, Select, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { IssueResult, loader } from "../routes/app.customers.$id.rewards";

export function IssueRewardCard({ customerId }: { customerId: string }) {
  const data = useFetcher<typeof loader>();
  const issue = useFetcher<IssueResult>();
  const shopify = useAppBridge();
  const [rewardId, setRewardId] = useState("");
  const [mode, setMode] = useState<"gift" | "deduct">("gift");
  const url = `/app/customers/${customerId}/rewards`;

  useEffect(() => {
    if (data.state === "idle" && !data.data) data.load(url);
  }, [data, url]);

  useEffect(() => {
    if (issue.state !== "idle" || !issue.data) return;
    if (issue.data.ok) {
      shopify.toast.show(`Issued ${issue.data.title}: ${issue.data.code}`);
      setRewardId("");
      data.load(url); // fresh request id and history
    }
  }, [issue.state, issue.data]);

  if (!data.data) {
    return (
      <Card>
        <Text as="p" tone="subdued">
          Loading rewards…
        </Text>
      </Card>
    );
  }
  const { rewards, balance, requestId, redemptions } = data.data;
  const chosen = rewards.find((r) => r.id === rewardId);
  const shortfall = mode === "deduct" && chosen ? chosen.pointsCost - balance : 0;
  const failed = issue.data && !issue.data.ok ? issue.data : null;

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Issue a reward
        </Text>
        {rewards.length === 0 ? (
          <Text as="p" tone="subdued">
            No active rewards. Create one under Rewards first.
          </Text>
        ) : (
          <>
            <Select
              label="Reward"
              placeholder="Choose a reward"
              options={rewards.map((r) => ({ label: `${r.title} (${r.pointsCost.toLocaleString("en-US")} points)`, value: r.id }))}
              value={rewardId}
              onChange={setRewardId}
              error={failed?.field === "rewardId" ? failed.message : undefined}
            />
            <ChoiceList
              title="How it is paid"
              choices={[
                { label: "Gift it: no points are taken", value: "gift" },
                { label: `Spend the customer's points${chosen ? ` (${chosen.pointsCost.toLocaleString("en-US")} of ${balance.toLocaleString("en-US")})` : ""}`, value: "deduct" },
              ]}
              selected={[mode]}
              onChange={(v) => setMode(v[0] as "gift" | "deduct")}
            />
            {shortfall > 0 && (
              <Text as="p" tone="critical">
                The customer is {shortfall.toLocaleString("en-US")} points short.
              </Text>
            )}
            {failed && !failed.field && <Banner tone="critical">{failed.message}</Banner>}
            {issue.data?.ok && (
              <Banner tone="success" title={`Code ${issue.data.code}`}>
                {issue.data.deducted > 0 ? `${issue.data.deducted.toLocaleString("en-US")} points were taken.` : "Issued as a gift; no points were taken."}
              </Banner>
            )}
            <InlineStack align="end">
              <Button
                variant="primary"
                disabled={!rewardId || shortfall > 0}
                loading={issue.state !== "idle"}
                onClick={() => issue.submit({ rewardId, deductPoints: String(mode === "deduct"), requestId }, { method: "post", action: url })}
              >
                Issue code
              </Button>
            </InlineStack>
          </>
        )}
        {redemptions.length > 0 && (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Recent codes
            </Text>
            {redemptions.map((r) => (
              <Text as="p" key={r.id} variant="bodySm">
                {r.title} · {r.code ?? "not issued"} · {r.status}
                {r.deductPoints ? ` · ${r.pointsCost.toLocaleString("en-US")} points` : " · gift"}
              </Text>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
