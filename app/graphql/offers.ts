// Admin GraphQL documents of the offers feature.

/** One page of the catalog for the offers cache. */
export const CATALOG_PRODUCTS = `#graphql
  query CatalogProducts($first: Int!, $after: String) {
    products(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        title
        handle
        vendor
        tags
        status
        onlineStoreUrl
        totalInventory
        featuredImage { url }
        collections(first: 25) { nodes { id } }
        variants(first: 100) { nodes { id title price inventoryQuantity availableForSale } }
      }
    }
  }
`;

/** One page of past orders for the co-purchase history. */
export const HISTORY_ORDERS = `#graphql
  query HistoryOrders($first: Int!, $after: String) {
    orders(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        cancelledAt
        customer { id }
        lineItems(first: 100) { nodes { product { id } } }
      }
    }
  }
`;

/** An order the thank-you page asks about before its webhook arrived (display only). */
export const ORDER_FOR_DISPLAY = `#graphql
  query OrderForDisplay($id: ID!) {
    order(id: $id) {
      id
      customer { id }
      currencyCode
      lineItems(first: 100) {
        nodes {
          quantity
          product { id }
          discountedTotalSet { shopMoney { amount currencyCode } }
        }
      }
    }
  }
`;

/** The offer's discount: a code limited to the offered products. */
export const DISCOUNT_CODE_BASIC_CREATE = `#graphql
  mutation OfferDiscountCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBasic {
            title
            codes(first: 1) { nodes { code } }
          }
        }
      }
      userErrors { field message code }
    }
  }
`;

/** Retires an offer's previous code when its discount or products change. */
export const DISCOUNT_CODE_DEACTIVATE = `#graphql
  mutation OfferDiscountDeactivate($id: ID!) {
    discountCodeDeactivate(id: $id) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;
