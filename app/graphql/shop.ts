// Admin GraphQL documents about the shop itself.
export const SHOP_DETAILS = `#graphql
  query ShopDetails {
    shop {
      name
      email
      currencyCode
    }
  }
`;
