// Admin GraphQL documents for the single-use discount codes Encore issues
// (rewards and referral friends). API 2025-10+: buyers are chosen with
// `context`, which replaced `customerSelection`.
const DISCOUNT_RESULT = `
  codeDiscountNode {
    id
  }
  userErrors {
    field
    code
    message
  }
`;

export const DISCOUNT_CODE_BASIC_CREATE = `#graphql
  mutation DiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      ${DISCOUNT_RESULT}
    }
  }
`;

export const DISCOUNT_CODE_FREE_SHIPPING_CREATE = `#graphql
  mutation DiscountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
      ${DISCOUNT_RESULT}
    }
  }
`;

// Looks a code up after an attempt whose outcome is unknown (a timeout), so
// a retry never creates a second discount for the same code.
export const CODE_DISCOUNT_NODE_BY_CODE = `#graphql
  query CodeDiscountNodeByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
    }
  }
`;
