// Admin GraphQL documents about products.

// Order webhooks carry each line's product id and vendor but not the
// product's tags or collections, which earning rules may match on. Up to 250
// ids per call (the nodes limit); collections beyond the first 250 of a
// product are not considered.
export const PRODUCT_RULE_FACTS = `#graphql
  query ProductRuleFacts($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        tags
        collections(first: 250) {
          nodes {
            id
            handle
            title
          }
        }
      }
    }
  }
`;

// The admin rule preview's "pick a recent order": the order's lines with
// their products, as the engine needs them.
export const ORDER_FOR_PREVIEW = `#graphql
  query OrderForPreview($id: ID!) {
    order(id: $id) {
      id
      name
      createdAt
      customer {
        id
        tags
      }
      lineItems(first: 100) {
        nodes {
          id
          title
          quantity
          vendor
          product {
            id
          }
          discountedTotalSet {
            shopMoney {
              amount
            }
          }
        }
      }
    }
  }
`;
