// Balance (and tier) metafields: the scan finds changed balances and enqueues
// one debounced sync per customer; the sync writes them with metafieldsSet.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { metafieldsScan, metafieldsSync } from "../../app/jobs/rewards.server";
import { customersNeedingSync } from "../../app/services/rewards/metafields.server";
import { storeOfflineSession } from "../admin";
import { createShop, jobContext, ledgerEntry, nextId } from "../factories";
import { graphqlCalls, mockShopifyServer } from "../mock-shopify-server";

let shop: string;
let jobs: ReturnType<typeof jobContext>;

beforeEach(async () => {
  shop = (await createShop(db)).id;
  await storeOfflineSession(shop);
  jobs = jobContext(db);
  mockShopifyServer({ MetafieldsSet: { metafieldsSet: { metafields: [{ key: "points_balance", namespace: "app--1--encore" }], userErrors: [] } } });
});

async function member(points: number) {
  const c = await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}` } });
  if (points) await ledgerEntry(db, { shopId: shop, customerId: c.id, points });
  return c;
}

describe("customer metafields", () => {
  it("enqueues one sync per changed customer (debounced) and writes the balance", async () => {
    const ada = await member(120);
    await metafieldsScan.run(jobs, {});
    await metafieldsScan.run(jobs, {}); // a second scan before the sync ran: same key, no second job
    const mine = jobs.enqueued.filter((e) => e.payload.customerId === ada.id);
    expect(mine).toEqual([{ name: "rewards.metafields.sync", payload: { customerId: ada.id, shopId: shop }, key: `${ada.id}:120` }]);

    await metafieldsSync.run(jobs, mine[0].payload as never);
    const call = graphqlCalls.find((c) => c.operationName === "MetafieldsSet")!;
    expect(call.shop).toBe(shop);
    // No tier yet on this branch: only the balance is written.
    expect(call.variables).toEqual({
      metafields: [{ ownerId: ada.shopifyId, namespace: "$app:encore", key: "points_balance", type: "number_integer", value: "120" }],
    });

    // Synced and unchanged: neither scanned again nor written again.
    jobs = jobContext(db);
    await metafieldsScan.run(jobs, {});
    expect(jobs.enqueued.filter((e) => e.payload.customerId === ada.id)).toEqual([]);
    await metafieldsSync.run(jobs, mine[0].payload as never);
    expect(graphqlCalls.filter((c) => c.operationName === "MetafieldsSet")).toHaveLength(1);

    // The balance changes: found again, written with the new value.
    await ledgerEntry(db, { shopId: shop, customerId: ada.id, points: -20 });
    await metafieldsScan.run(jobs, {});
    expect(jobs.enqueued.find((e) => e.payload.customerId === ada.id)?.key).toBe(`${ada.id}:100`);
    await metafieldsSync.run(jobs, { customerId: ada.id, shopId: shop });
    expect((graphqlCalls.filter((c) => c.operationName === "MetafieldsSet").at(-1)!.variables as any).metafields[0].value).toBe("100");
  });

  it("finds every changed customer however many changed, a page at a time, not only the first page's", async () => {
    const since = new Date(Date.now() - 1000);
    const members = [];
    for (const points of [10, 20, 30, 40, 50]) members.push(await member(points));
    // The two that changed first are synced already.
    for (const c of members.slice(0, 2)) await db.metafieldSync.create({ data: { customerId: c.id, shopId: shop, balance: (await db.customer.findUniqueOrThrow({ where: { id: c.id } })).balance } });
    const found: string[] = [];
    for await (const page of customersNeedingSync(db, since, 2)) found.push(...page.filter((c) => c.shopId === shop).map((c) => c.id));
    expect(found.sort()).toEqual(members.slice(2).map((c) => c.id).sort());
  });

  it("fails the job (so the queue retries) when Shopify refuses, and remembers nothing", async () => {
    const ada = await member(5);
    mockShopifyServer({ MetafieldsSet: { metafieldsSet: { metafields: [], userErrors: [{ field: ["metafields", "0", "value"], message: "Value is invalid" }] } } });
    await expect(metafieldsSync.run(jobs, { customerId: ada.id, shopId: shop })).rejects.toThrow("Value is invalid");
    expect(await db.metafieldSync.findUnique({ where: { customerId: ada.id } })).toBeNull();
  });
});
