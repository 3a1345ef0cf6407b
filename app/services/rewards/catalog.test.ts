import { describe, expect, it } from "vitest";
import { normalizeAddress, normalizeEmail } from "../referrals/identity";
import { describeReward, validateReward } from "./catalog";
import { deterministicCode, discountMutation } from "./discounts.server";

const base = { title: "Reward", kind: "amount_off", pointsCost: "100", value: "5" };

describe("validateReward", () => {
  it("accepts each kind with what it needs", () => {
    expect(validateReward(base)).toMatchObject({ ok: true, reward: { kind: "amount_off", value: "5", pointsCost: 100, expiryDays: null } });
    expect(validateReward({ ...base, kind: "percentage_off", value: "12.5" })).toMatchObject({ ok: true, reward: { value: "12.5" } });
    expect(validateReward({ ...base, kind: "free_shipping", value: "junk" })).toMatchObject({ ok: true, reward: { value: null } });
    expect(validateReward({ ...base, kind: "free_product", value: "", productId: "gid://shopify/Product/1", productTitle: "Hat" })).toMatchObject({
      ok: true,
      reward: { productId: "gid://shopify/Product/1", productTitle: "Hat", value: null },
    });
  });

  it("names every field that is wrong", () => {
    const result = validateReward({ title: "", kind: "percentage_off", pointsCost: "1.5", value: "101", minimumSubtotal: "abc", expiryDays: "0" });
    expect(result.ok).toBe(false);
    expect(Object.keys((result as { errors: object }).errors).sort()).toEqual(["expiryDays", "minimumSubtotal", "pointsCost", "title", "value"]);
    expect(validateReward({ ...base, kind: "bogus" })).toMatchObject({ ok: false, errors: { kind: expect.any(String) } });
  });

  it("describes rewards for customers", () => {
    expect(describeReward({ kind: "amount_off", value: "5", productTitle: null, minimumSubtotal: "50" }, "USD")).toBe("$5.00 off on orders of $50.00 or more");
    expect(describeReward({ kind: "percentage_off", value: "15", productTitle: null, minimumSubtotal: null }, "USD")).toBe("15% off");
  });
});

describe("discount codes", () => {
  it("derives the same code from the same request, a different one otherwise", () => {
    const a = deterministicCode("ENC", "s.myshopify.com", "c1:req-1");
    expect(a).toMatch(/^ENC-[A-HJ-NP-Z2-9]{10}$/);
    expect(deterministicCode("ENC", "s.myshopify.com", "c1:req-1")).toBe(a);
    expect(deterministicCode("ENC", "s.myshopify.com", "c1:req-2")).not.toBe(a);
    expect(deterministicCode("ENC", "t.myshopify.com", "c1:req-1")).not.toBe(a);
  });

  it("limits a code without a known customer to one use by anyone", () => {
    const { variables } = discountMutation({ title: "t", code: "X", kind: "percentage_off", value: "10", productId: null, minimumSubtotal: null, startsAt: new Date(0), endsAt: null, customerGid: null });
    expect((variables as any).basicCodeDiscount).toMatchObject({ usageLimit: 1, appliesOncePerCustomer: true, context: { all: "ALL" }, minimumRequirement: null });
  });
});

describe("identity normalization", () => {
  it("treats email variants of one mailbox as the same", () => {
    expect(normalizeEmail(" J.Doe+promo@GoogleMail.com ")).toBe("jdoe@gmail.com");
    expect(normalizeEmail("j.doe+x@example.com")).toBe("j.doe@example.com");
    expect(normalizeEmail("not-an-email")).toBeNull();
  });

  it("treats spelling variants of one address as the same", () => {
    const a = normalizeAddress({ address1: "10 Downing Street", address2: "Apartment 4", city: "London", zip: "sw1a 2aa", country_code: "GB" });
    const b = normalizeAddress({ address1: "10 downing st.", address2: "apt 4", city: "LONDON", zip: "SW1A2AA", country_code: "gb" });
    expect(a).toBe(b);
    expect(normalizeAddress({ address1: "11 Downing Street", city: "London", zip: "SW1A 2AA", country_code: "GB" })).not.toBe(a);
    expect(normalizeAddress({ address1: "" })).toBeNull();
  });
});
