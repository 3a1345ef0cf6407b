import { describe, expect, it } from "vitest";
import { executeAdminGraphql } from "./admin-api.ts";
import { CODE_DISCOUNT_NODE_BY_CODE, DISCOUNT_CODE_BASIC_CREATE } from "../app/graphql/discounts.ts";
import { METAFIELDS_SET } from "../app/graphql/metafields.ts";
import { discountMutation } from "../app/services/rewards/discounts.server.ts";
import { SandboxStore } from "./state.ts";
import { seedStore } from "./store/index.ts";

describe("sandbox discount codes", () => {
  it("creates Encore's codes, refuses a duplicate and finds a code by its string", async () => {
    const { catalog, customers } = seedStore(1);
    const store = new SandboxStore(catalog, customers);
    const { variables } = discountMutation({ title: "t", code: "ENC-ABC", kind: "amount_off", value: "5", productId: null, minimumSubtotal: "10", startsAt: new Date(), endsAt: null, customerGid: "gid://shopify/Customer/1" });
    const first = await executeAdminGraphql(store, DISCOUNT_CODE_BASIC_CREATE, variables);
    expect(first.errors?.map((e) => e.message)).toBeUndefined();
    expect((first.data as any).discountCodeBasicCreate.codeDiscountNode.id).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\//);
    const again = await executeAdminGraphql(store, DISCOUNT_CODE_BASIC_CREATE, variables);
    expect((again.data as any).discountCodeBasicCreate.userErrors[0].code).toBe("TAKEN");
    const found = await executeAdminGraphql(store, CODE_DISCOUNT_NODE_BY_CODE, { code: "enc-abc" });
    expect((found.data as any).codeDiscountNodeByCode.id).toBe((first.data as any).discountCodeBasicCreate.codeDiscountNode.id);
    const set = await executeAdminGraphql(store, METAFIELDS_SET, { metafields: [{ ownerId: "gid://shopify/Customer/1", namespace: "$app:encore", key: "points_balance", type: "number_integer", value: "5" }] });
    expect((set.data as any).metafieldsSet.userErrors).toEqual([]);
  });
});
