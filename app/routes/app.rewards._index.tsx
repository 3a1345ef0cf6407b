// Rewards: the catalog customers spend points on.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import db from "../db.server";
import { setRewardActive } from "../models/reward.server";
import { shopForSession } from "../models/shop.server";
import { formatPoints, pageParam } from "../services/loyalty/display";
import { describeReward, KIND_LABELS, type RewardKind, type RewardSnapshot } from "../services/rewards/catalog";
import { authenticate } from "../shopify.server";
import { PageFooter } from "../components/PageFooter";

const PAGE_SIZE = 25;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const total = await db.reward.count({ where: { shopId: shop.id } });
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(pageParam(new URL(request.url).searchParams.get("page")), pageCount);
  const rows = await db.reward.findMany({
    where: { shopId: shop.id },
    orderBy: [{ active: "desc" }, { pointsCost: "asc" }, { id: "asc" }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
  });
  const issued = await db.redemption.groupBy({
    by: ["rewardId"],
    where: { shopId: shop.id, rewardId: { in: rows.map((r) => r.id) }, status: { in: ["issued", "used"] } },
    _count: { _all: true },
  });
  return {
    page,
    pageCount,
    total,
    rewards: rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind as RewardKind,
      description: describeReward(r as unknown as RewardSnapshot, shop.currencyCode),
      pointsCost: r.pointsCost,
      expiryDays: r.expiryDays,
      active: r.active,
      issued: issued.find((i) => i.rewardId === r.id)?._count._all ?? 0,
    })),
  };
};

type ActionResult = { ok: true; active: boolean; title: string } | { ok: false; message: string };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const shop = await shopForSession(db, session);
  const form = await request.formData();
  const id = String(form.get("id") ?? "");
  const active = form.get("intent") === "activate";
  const reward = await db.reward.findFirst({ where: { id, shopId: shop.id } });
  if (!reward || !(await setRewardActive(db, shop.id, id, active))) return { ok: false, message: "That reward no longer exists." };
  return { ok: true, active, title: reward.title };
};

export default function RewardsPage() {
  const { rewards, page, pageCount, total } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [confirming, setConfirming] = useState<string | null>(null);
  const busy = navigation.state !== "idle";

  useEffect(() => {
    if (!actionData) return;
    if (actionData.ok) shopify.toast.show(`${actionData.title} ${actionData.active ? "activated" : "deactivated"}`);
    else shopify.toast.show(actionData.message, { isError: true });
    setConfirming(null);
  }, [actionData, shopify]);

  const confirmingReward = rewards.find((r) => r.id === confirming);
  const pageUrl = (n: number) => `/app/rewards${n > 1 ? `?page=${n}` : ""}`;

  return (
    <Page title="Rewards" primaryAction={{ content: "Create reward", url: "/app/rewards/new" }}>
      <Layout>
        {confirmingReward && (
          <Layout.Section>
            <Banner
              tone="warning"
              title={`Deactivate "${confirmingReward.title}"?`}
              action={{
                content: "Deactivate",
                loading: busy,
                onAction: () => submit({ intent: "deactivate", id: confirmingReward.id }, { method: "post" }),
              }}
              secondaryAction={{ content: "Cancel", onAction: () => setConfirming(null) }}
              onDismiss={() => setConfirming(null)}
            >
              <p>Customers will no longer see or redeem it. Codes already issued keep working until they expire.</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          {total === 0 ? (
            <Card>
              <EmptyState
                heading="Give customers something to spend their points on"
                action={{ content: "Create reward", url: "/app/rewards/new" }}
                image="https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png"
              >
                <p>
                  Rewards turn points into single-use discount codes: an amount or a percentage off, free shipping, or a
                  free product. Customers redeem them from their account page.
                </p>
              </EmptyState>
            </Card>
          ) : (
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: "reward", plural: "rewards" }}
                itemCount={rewards.length}
                selectable={false}
                headings={[{ title: "Reward" }, { title: "Type" }, { title: "Cost", alignment: "end" }, { title: "Codes issued", alignment: "end" }, { title: "Status" }, { title: "" }]}
              >
                {rewards.map((r, index) => (
                  <IndexTable.Row id={r.id} key={r.id} position={index} onClick={() => navigate(`/app/rewards/${r.id}`)}>
                    <IndexTable.Cell>
                      <BlockStack gap="050">
                        <Text as="span" fontWeight="semibold">
                          {r.title}
                        </Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {r.description}
                          {r.expiryDays ? ` · code valid ${r.expiryDays} days` : ""}
                        </Text>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{KIND_LABELS[r.kind] ?? r.kind}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatPoints(r.pointsCost)} points
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {r.issued.toLocaleString("en-US")}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{r.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {/* Stop the row's click from navigating. */}
                      <div onClick={(e) => e.stopPropagation()}>
                        <InlineStack align="end">
                          {r.active ? (
                            <Button variant="plain" tone="critical" onClick={() => setConfirming(r.id)}>
                              Deactivate
                            </Button>
                          ) : (
                            <Button variant="plain" disabled={busy} onClick={() => submit({ intent: "activate", id: r.id }, { method: "post" })}>
                              Activate
                            </Button>
                          )}
                        </InlineStack>
                      </div>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
              <PageFooter page={page} pageCount={pageCount} pageUrl={pageUrl} />
            </Card>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
