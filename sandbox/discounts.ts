// Discount codes and customer metafields in the sandbox store: the Admin API
// operations Encore's offers, rewards and referrals call —
// discountCodeBasicCreate, discountCodeFreeShippingCreate,
// discountCodeDeactivate, codeDiscountNodeByCode and metafieldsSet — with
// Shopify's shapes and validation (unique codes, percentage between 0 and 1,
// products that exist, one buyer context), answering userErrors as Shopify
// does rather than throwing.
import type { SandboxStore } from "./state.ts";

export interface SandboxDiscount {
  id: number;
  title: string;
  code: string;
  kind: "DiscountCodeBasic" | "DiscountCodeFreeShipping";
  status: "ACTIVE" | "EXPIRED" | "SCHEDULED";
  startsAt: string;
  endsAt: string | null;
  value: { percentage?: number; amount?: string };
  productIds: string[];
  customerIds: string[];
  usageLimit: number | null;
  minimumSubtotal: string | null;
  createdAt: string;
}

const discountsOf = new WeakMap<SandboxStore, SandboxDiscount[]>();
export const discounts = (store: SandboxStore) => discountsOf.get(store) ?? discountsOf.set(store, []).get(store)!;

let nextId = 1_197_000_000_000;
const legacy = (gid: string) => Number(gid.slice(gid.lastIndexOf("/") + 1));

export const discountSdl = /* GraphQL */ `
  scalar DateTime
  scalar Decimal
  extend type Mutation {
    discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: DiscountCodeFreeShippingInput!): DiscountCodeFreeShippingCreatePayload
    discountCodeDeactivate(id: ID!): DiscountCodeDeactivatePayload
    metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
  }
  extend type Query { codeDiscountNodeByCode(code: String!): DiscountCodeNode }
  enum DiscountBuyerSelection { ALL }
  input DiscountCustomersInput { add: [ID!] remove: [ID!] }
  input DiscountContextInput { all: DiscountBuyerSelection customers: DiscountCustomersInput }
  input DiscountAmountInput { amount: Decimal appliesOnEachItem: Boolean }
  input DiscountCustomerGetsValueInput { percentage: Float discountAmount: DiscountAmountInput }
  input DiscountProductsInput { productsToAdd: [ID!] productsToRemove: [ID!] productVariantsToAdd: [ID!] productVariantsToRemove: [ID!] }
  input DiscountCollectionsInput { add: [ID!] remove: [ID!] }
  input DiscountItemsInput { all: Boolean products: DiscountProductsInput collections: DiscountCollectionsInput }
  input DiscountCustomerGetsInput { value: DiscountCustomerGetsValueInput items: DiscountItemsInput appliesOnOneTimePurchase: Boolean appliesOnSubscription: Boolean }
  input DiscountCombinesWithInput { orderDiscounts: Boolean productDiscounts: Boolean shippingDiscounts: Boolean }
  input DiscountMinimumSubtotalInput { greaterThanOrEqualToSubtotal: Decimal }
  input DiscountMinimumQuantityInput { greaterThanOrEqualToQuantity: String }
  input DiscountMinimumRequirementInput { subtotal: DiscountMinimumSubtotalInput quantity: DiscountMinimumQuantityInput }
  input DiscountShippingDestinationSelectionInput { all: Boolean }
  input DiscountCodeBasicInput {
    title: String code: String startsAt: DateTime endsAt: DateTime context: DiscountContextInput
    customerGets: DiscountCustomerGetsInput appliesOncePerCustomer: Boolean usageLimit: Int combinesWith: DiscountCombinesWithInput
    minimumRequirement: DiscountMinimumRequirementInput
  }
  input DiscountCodeFreeShippingInput {
    title: String code: String startsAt: DateTime endsAt: DateTime context: DiscountContextInput
    appliesOncePerCustomer: Boolean usageLimit: Int combinesWith: DiscountCombinesWithInput
    minimumRequirement: DiscountMinimumRequirementInput destination: DiscountShippingDestinationSelectionInput
  }
  input MetafieldsSetInput { ownerId: ID! namespace: String key: String! type: String value: String! }
  type Metafield { key: String! namespace: String! value: String! type: String }
  type MetafieldsSetUserError { field: [String!] code: String message: String! }
  type MetafieldsSetPayload { metafields: [Metafield!] userErrors: [MetafieldsSetUserError!]! }
  type DiscountUserError { field: [String!] message: String! code: String }
  type DiscountRedeemCode { id: ID! code: String! }
  type DiscountRedeemCodeConnection { nodes: [DiscountRedeemCode!]! }
  type DiscountCodeBasic { title: String! status: String! startsAt: DateTime! endsAt: DateTime codes(first: Int): DiscountRedeemCodeConnection! }
  type DiscountCodeFreeShipping { title: String! status: String! startsAt: DateTime! endsAt: DateTime codes(first: Int): DiscountRedeemCodeConnection! }
  union DiscountCode = DiscountCodeBasic | DiscountCodeFreeShipping
  type DiscountCodeNode { id: ID! codeDiscount: DiscountCode! }
  type DiscountCodeBasicCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
  type DiscountCodeFreeShippingCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
  type DiscountCodeDeactivatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
`;

function nodeOf(d: SandboxDiscount) {
  return {
    id: `gid://shopify/DiscountCodeNode/${d.id}`,
    codeDiscount: {
      __typename: d.kind,
      title: d.title,
      status: d.status,
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      codes: () => ({ nodes: [{ id: `gid://shopify/DiscountRedeemCode/${d.id}`, code: d.code }] }),
    },
  };
}

const error = (field: string[], message: string, code: string) => ({ codeDiscountNode: null, userErrors: [{ field, message, code }] });

const metafieldsByStore = new WeakMap<SandboxStore, Map<string, { key: string; namespace: string; value: string; type: string }>>();
/** Metafields set on the store's resources, keyed "ownerId|namespace|key". */
export const metafieldsOf = (store: SandboxStore) => metafieldsByStore.get(store) ?? metafieldsByStore.set(store, new Map()).get(store)!;

export function discountRoot(store: SandboxStore) {
  const list = discounts(store);
  const create = (kind: SandboxDiscount["kind"], arg: string, input: any) => {
    const f = (name: string) => [arg, name];
    const code = String(input.code ?? "").trim();
    if (!code) return error(f("code"), "Code can't be blank", "BLANK");
    if (list.some((d) => d.code.toLowerCase() === code.toLowerCase())) return error(f("code"), "Code must be unique. Please try a different code.", "TAKEN");
    if (!input.title) return error(f("title"), "Title can't be blank", "BLANK");
    if (!input.startsAt) return error(f("startsAt"), "Starts at can't be blank", "BLANK");
    if (input.context?.all && input.context?.customers) return error(f("context"), "Only one of all or customers can be set", "INVALID");
    const customerIds: string[] = input.context?.customers?.add ?? [];
    const minimum = input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal;
    if (minimum !== undefined && minimum !== null && !(Number(minimum) > 0)) {
      return error([...f("minimumRequirement"), "subtotal", "greaterThanOrEqualToSubtotal"], "Minimum subtotal must be greater than 0", "GREATER_THAN");
    }
    let value: SandboxDiscount["value"] = {};
    let productIds: string[] = [];
    if (kind === "DiscountCodeBasic") {
      const v = input.customerGets?.value ?? {};
      if (v.percentage === undefined && v.discountAmount === undefined) return error(f("customerGets"), "Value can't be blank", "BLANK");
      if (v.percentage !== undefined && (v.percentage <= 0 || v.percentage > 1)) {
        return error([...f("customerGets"), "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE");
      }
      if (v.discountAmount && !(Number(v.discountAmount.amount) > 0)) {
        return error([...f("customerGets"), "value", "discountAmount", "amount"], "Value must be greater than 0", "GREATER_THAN");
      }
      productIds = input.customerGets?.items?.products?.productsToAdd ?? [];
      const missing = productIds.find((id) => !store.product(legacy(id)));
      if (missing) return error([...f("customerGets"), "items", "products", "productsToAdd"], `Product ${missing} does not exist`, "INVALID");
      value = v.percentage !== undefined ? { percentage: v.percentage } : { amount: String(v.discountAmount.amount) };
    }
    const startsAt = new Date(input.startsAt);
    const discount: SandboxDiscount = {
      id: nextId++,
      kind,
      title: input.title,
      code,
      status: startsAt > new Date() ? "SCHEDULED" : "ACTIVE",
      startsAt: startsAt.toISOString(),
      endsAt: input.endsAt ?? null,
      value,
      productIds,
      customerIds,
      usageLimit: input.usageLimit ?? null,
      minimumSubtotal: minimum ? String(minimum) : null,
      createdAt: new Date().toISOString(),
    };
    list.push(discount);
    return { codeDiscountNode: nodeOf(discount), userErrors: [] };
  };
  return {
    discountCodeBasicCreate: ({ basicCodeDiscount: input }: { basicCodeDiscount: any }) => create("DiscountCodeBasic", "basicCodeDiscount", input),
    discountCodeFreeShippingCreate: ({ freeShippingCodeDiscount: input }: { freeShippingCodeDiscount: any }) =>
      create("DiscountCodeFreeShipping", "freeShippingCodeDiscount", input),
    codeDiscountNodeByCode: ({ code }: { code: string }) => {
      const discount = list.find((d) => d.code.toLowerCase() === code.trim().toLowerCase());
      return discount ? nodeOf(discount) : null;
    },
    metafieldsSet: ({ metafields: inputs }: { metafields: { ownerId: string; namespace?: string; key: string; type?: string; value: string }[] }) => {
      if (inputs.length > 25) return { metafields: null, userErrors: [{ field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO" }] };
      const stored = metafieldsOf(store);
      const out = inputs.map((m) => {
        const metafield = { key: m.key, namespace: m.namespace ?? "$app", value: m.value, type: m.type ?? "single_line_text_field" };
        stored.set(`${m.ownerId}|${metafield.namespace}|${m.key}`, metafield);
        return metafield;
      });
      return { metafields: out, userErrors: [] };
    },
    discountCodeDeactivate: ({ id }: { id: string }) => {
      const discount = list.find((d) => d.id === legacy(id));
      if (!discount) return error(["id"], "Discount does not exist", "INVALID");
      discount.status = "EXPIRED";
      discount.endsAt = new Date().toISOString();
      return { codeDiscountNode: nodeOf(discount), userErrors: [] };
    },
  };
}
