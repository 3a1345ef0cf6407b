// ownedCodes: one statement tells which of a batch's discount codes are
// Encore's (unused reward codes, referral codes, offer codes).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { ownedCodes } from "~/models/discount-code.server";
import { createShop } from "../factories";

describe("ownedCodes", () => {
  it("finds each owner's codes in this shop only, skipping used reward codes", async () => {
    const [shop, other] = [(await createShop(db)).id, (await createShop(db)).id];
    const customer = await db.customer.create({ data: { shopId: shop, shopifyId: `gid://shopify/Customer/${randomUUID()}` } });
    const redemption = (code: string, status: string, shopId = shop) =>
      db.redemption.create({ data: { shopId, customerId: customer.id, rewardId: "r", requestId: randomUUID(), status, pointsCost: 1, source: "customer", code, snapshot: "{}" } });
    await redemption("R-ISSUED", "issued");
    await redemption("R-USED", "used");
    await redemption("R-ELSEWHERE", "issued", other);
    const link = await db.referralCode.create({ data: { shopId: shop, customerId: customer.id, code: `L${randomUUID().slice(0, 8)}` } });
    await db.referral.create({ data: { shopId: shop, referrerId: customer.id, referralCodeId: link.id, token: randomUUID(), discountCode: "F-FRIEND", status: "clicked" } });
    await db.offer.create({ data: { shopId: shop, name: "o", triggerType: "any", discountCode: "O-OFFER" } });

    const codes = ["R-ISSUED", "R-USED", "R-ELSEWHERE", "F-FRIEND", "O-OFFER", "MERCHANT", "R-ISSUED"];
    const all = await ownedCodes(db, shop, codes, ["redemption", "referral", "offer"]);
    expect(all).toEqual({ redemption: new Set(["R-ISSUED"]), referral: new Set(["F-FRIEND"]), offer: new Set(["O-OFFER"]) });
    // Only the owners asked about are read.
    expect(await ownedCodes(db, shop, codes, ["offer"])).toEqual({ redemption: new Set(), referral: new Set(), offer: new Set(["O-OFFER"]) });
    expect(await ownedCodes(db, shop, [], ["offer"])).toEqual({ redemption: new Set(), referral: new Set(), offer: new Set() });
  });
});
