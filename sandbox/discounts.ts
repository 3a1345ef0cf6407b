// The sandbox's discount codes and metafields: the Admin API mutations that
// Encore's rewards and referrals call, with Shopify's names and result
// shapes, so redeeming and issuing rewards work in the demo. Nested inputs
// are taken as given (JSON) rather than re-modelled.
import type { SandboxStore } from "./state.ts";

export const DISCOUNTS_SDL = /* GraphQL */ `
  scalar JSON
  type Mutation {
    discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeCreatePayload!
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: DiscountCodeFreeShippingInput!): DiscountCodeCreatePayload!
    metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload!
  }
  input DiscountCodeBasicInput {
    title: String! code: String! startsAt: String endsAt: String usageLimit: Int appliesOncePerCustomer: Boolean
    context: JSON minimumRequirement: JSON customerGets: JSON!
  }
  input DiscountCodeFreeShippingInput {
    title: String! code: String! startsAt: String endsAt: String usageLimit: Int appliesOncePerCustomer: Boolean
    context: JSON minimumRequirement: JSON destination: JSON
  }
  input MetafieldsSetInput { ownerId: ID! namespace: String key: String! type: String value: String! }
  type DiscountCodeNode { id: ID! }
  type DiscountUserError { field: [String!] code: String message: String! }
  type DiscountCodeCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
  type Metafield { key: String! namespace: String! value: String! }
  type MetafieldsSetUserError { field: [String!] code: String message: String! }
  type MetafieldsSetPayload { metafields: [Metafield!] userErrors: [MetafieldsSetUserError!]! }
  extend type Query { codeDiscountNodeByCode(code: String!): DiscountCodeNode }
`;

interface Code {
  id: string;
  code: string;
  input: Record<string, unknown>;
}

const codesOf = new WeakMap<SandboxStore, Map<string, Code>>();
const metafieldsOf = new WeakMap<SandboxStore, Map<string, string>>();

export function discountResolvers(store: SandboxStore) {
  if (!codesOf.has(store)) codesOf.set(store, new Map());
  if (!metafieldsOf.has(store)) metafieldsOf.set(store, new Map());
  const codes = codesOf.get(store)!;
  const metafields = metafieldsOf.get(store)!;
  const create = (input: Record<string, unknown>) => {
    const code = String(input.code ?? "").toUpperCase();
    if (codes.has(code)) {
      return { codeDiscountNode: null, userErrors: [{ field: ["code"], code: "TAKEN", message: "Code must be unique. Please try a different code." }] };
    }
    const node = { id: `gid://shopify/DiscountCodeNode/${1000 + codes.size + 1}`, code, input };
    codes.set(code, node);
    return { codeDiscountNode: { id: node.id }, userErrors: [] };
  };
  return {
    discountCodeBasicCreate: ({ basicCodeDiscount }: { basicCodeDiscount: Record<string, unknown> }) => create(basicCodeDiscount),
    discountCodeFreeShippingCreate: ({ freeShippingCodeDiscount }: { freeShippingCodeDiscount: Record<string, unknown> }) => create(freeShippingCodeDiscount),
    codeDiscountNodeByCode: ({ code }: { code: string }) => {
      const node = codes.get(code.toUpperCase());
      return node ? { id: node.id } : null;
    },
    metafieldsSet: ({ metafields: inputs }: { metafields: { ownerId: string; namespace: string; key: string; value: string }[] }) => {
      for (const m of inputs) metafields.set(`${m.ownerId}|${m.namespace}|${m.key}`, m.value);
      return { metafields: inputs.map((m) => ({ key: m.key, namespace: m.namespace, value: m.value })), userErrors: [] };
    },
  };
}
