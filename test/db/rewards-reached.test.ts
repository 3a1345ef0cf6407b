// "Your reward is ready": found from the ledger, whatever raised the balance.
import { beforeEach, describe, expect, it } from "vitest";
import db from "../../app/db.server";
import { customersReachingReward } from "../../app/models/reward.server";
import { createShop, ledgerEntry, nextId } from "../factories";

let shop: string;
const member = () => db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${nextId()}` } });

beforeEach(async () => {
  shop = (await createShop(db)).id;
  await db.reward.create({ data: { shopId: shop, title: "$5 off", kind: "amount_off", value: "5.00", pointsCost: 500 } });
  await db.reward.create({ data: { shopId: shop, title: "$10 off", kind: "amount_off", value: "10.00", pointsCost: 1000 } });
  await db.reward.create({ data: { shopId: shop, title: "Retired", kind: "amount_off", value: "1.00", pointsCost: 100, active: false } });
});

describe("customersReachingReward", () => {
  it("finds balances that crossed an active reward's cost, once per customer", async () => {
    const since = new Date(Date.now() - 1000);
    const [crosses, crossesTwice, stays, inactive, spends] = await Promise.all([member(), member(), member(), member(), member()]);
    await ledgerEntry(db, { shopId: shop, customerId: crosses.id, points: 450 });
    await ledgerEntry(db, { shopId: shop, customerId: crosses.id, points: 60 }); // 450 → 510 crosses 500
    await ledgerEntry(db, { shopId: shop, customerId: crossesTwice.id, points: 1200 }); // crosses 500 and 1000 at once
    await ledgerEntry(db, { shopId: shop, customerId: stays.id, points: 499 });
    await ledgerEntry(db, { shopId: shop, customerId: inactive.id, points: 150 }); // only the inactive 100-point reward
    await ledgerEntry(db, { shopId: shop, customerId: spends.id, points: 600 });
    await ledgerEntry(db, { shopId: shop, customerId: spends.id, points: -200 }); // spending never "reaches"

    const reached = await customersReachingReward(db, since);
    expect(reached.map((r) => r.customerId).sort()).toEqual([crosses.id, crossesTwice.id, spends.id].sort());
    expect(reached.every((r) => r.shopId === shop)).toBe(true);
  });

  it("looks only at entries since the given time", async () => {
    const c = await member();
    await ledgerEntry(db, { shopId: shop, customerId: c.id, points: 600 });
    expect(await customersReachingReward(db, new Date(Date.now() + 60_000))).toEqual([]);
  });
});
