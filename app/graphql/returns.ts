// Admin GraphQL documents for refund/exchange requests.

/** What of an order can be returned: Shopify's returnable fulfillments (fulfilled, not yet returned or refunded). */
export const RETURN_ELIGIBILITY_QUERY = /* GraphQL */ `#graphql
  query ReturnEligibility($id: ID!) {
    order(id: $id) {
      id
      name
      email
      cancelledAt
      customer {
        id
        email
      }
      returnableFulfillments(first: 20) {
        nodes {
          id
          fulfillment {
            id
            createdAt
            deliveredAt
          }
          returnableFulfillmentLineItems(first: 100) {
            nodes {
              quantity
              fulfillmentLineItem {
                id
                lineItem {
                  id
                  name
                  product {
                    id
                    title
                    tags
                    variants(first: 50) {
                      nodes {
                        id
                        title
                        availableForSale
                      }
                    }
                  }
                  variant {
                    id
                    title
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const RETURN_CREATE_MUTATION = /* GraphQL */ `#graphql
  mutation ReturnCreate($returnInput: ReturnInput!) {
    returnCreate(returnInput: $returnInput) {
      return {
        id
        name
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
