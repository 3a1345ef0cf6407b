// Discount codes in the sandbox store: discountCodeBasicCreate and
// discountCodeDeactivate with Shopify's shapes and validation (unique codes,
// percentage between 0 and 1, products that exist, one buyer context),
// answering userErrors as Shopify does rather than throwing.
import type { SandboxStore } from "./state.ts";

export interface SandboxDiscount {
  id: number;
  title: string;
  code: string;
  status: "ACTIVE" | "EXPIRED" | "SCHEDULED";
  startsAt: string;
  endsAt: string | null;
  value: { percentage?: number; amount?: string };
  productIds: string[];
  createdAt: string;
}

const discountsOf = new WeakMap<SandboxStore, SandboxDiscount[]>();
export const discounts = (store: SandboxStore) => discountsOf.get(store) ?? discountsOf.set(store, []).get(store)!;

let nextId = 1_197_000_000_000;
const legacy = (gid: string) => Number(gid.slice(gid.lastIndexOf("/") + 1));

export const discountSdl = /* GraphQL */ `
  scalar DateTime
  scalar Decimal
  type Mutation {
    discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
    discountCodeDeactivate(id: ID!): DiscountCodeDeactivatePayload
  }
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
  input DiscountCodeBasicInput {
    title: String code: String startsAt: DateTime endsAt: DateTime context: DiscountContextInput
    customerGets: DiscountCustomerGetsInput appliesOncePerCustomer: Boolean usageLimit: Int combinesWith: DiscountCombinesWithInput
  }
  type DiscountUserError { field: [String!] message: String! code: String }
  type DiscountRedeemCode { id: ID! code: String! }
  type DiscountRedeemCodeConnection { nodes: [DiscountRedeemCode!]! }
  type DiscountCodeBasic { title: String! status: String! startsAt: DateTime! endsAt: DateTime codes(first: Int): DiscountRedeemCodeConnection! }
  union DiscountCode = DiscountCodeBasic
  type DiscountCodeNode { id: ID! codeDiscount: DiscountCode! }
  type DiscountCodeBasicCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
  type DiscountCodeDeactivatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
`;

function nodeOf(d: SandboxDiscount) {
  return {
    id: `gid://shopify/DiscountCodeNode/${d.id}`,
    codeDiscount: {
      __typename: "DiscountCodeBasic",
      title: d.title,
      status: d.status,
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      codes: () => ({ nodes: [{ id: `gid://shopify/DiscountRedeemCode/${d.id}`, code: d.code }] }),
    },
  };
}

const error = (field: string[], message: string, code: string) => ({ codeDiscountNode: null, userErrors: [{ field, message, code }] });

export function discountRoot(store: SandboxStore) {
  const list = discounts(store);
  return {
    discountCodeBasicCreate: ({ basicCodeDiscount: input }: { basicCodeDiscount: any }) => {
      const f = (name: string) => ["basicCodeDiscount", name];
      const code = String(input.code ?? "").trim();
      if (!code) return error(f("code"), "Code can't be blank", "BLANK");
      if (list.some((d) => d.code.toLowerCase() === code.toLowerCase())) return error(f("code"), "Code must be unique. Please try a different code.", "TAKEN");
      if (!input.title) return error(f("title"), "Title can't be blank", "BLANK");
      if (!input.startsAt) return error(f("startsAt"), "Starts at can't be blank", "BLANK");
      if (input.context?.all && input.context?.customers) return error(f("context"), "Only one of all or customers can be set", "INVALID");
      const value = input.customerGets?.value ?? {};
      if (value.percentage === undefined && value.discountAmount === undefined) return error(f("customerGets"), "Value can't be blank", "BLANK");
      if (value.percentage !== undefined && (value.percentage <= 0 || value.percentage > 1)) {
        return error([...f("customerGets"), "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE");
      }
      if (value.discountAmount && !(Number(value.discountAmount.amount) > 0)) {
        return error([...f("customerGets"), "value", "discountAmount", "amount"], "Value must be greater than 0", "GREATER_THAN");
      }
      const productIds: string[] = input.customerGets?.items?.products?.productsToAdd ?? [];
      const missing = productIds.find((id) => !store.product(legacy(id)));
      if (missing) return error([...f("customerGets"), "items", "products", "productsToAdd"], `Product ${missing} does not exist`, "INVALID");
      const startsAt = new Date(input.startsAt);
      const discount: SandboxDiscount = {
        id: nextId++,
        title: input.title,
        code,
        status: startsAt > new Date() ? "SCHEDULED" : "ACTIVE",
        startsAt: startsAt.toISOString(),
        endsAt: input.endsAt ?? null,
        value: value.percentage !== undefined ? { percentage: value.percentage } : { amount: String(value.discountAmount.amount) },
        productIds,
        createdAt: new Date().toISOString(),
      };
      list.push(discount);
      return { codeDiscountNode: nodeOf(discount), userErrors: [] };
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
