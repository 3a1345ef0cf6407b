// The Admin GraphQL API of the seeded store: the subset of Shopify's schema
// that Encore uses, with Shopify's names and shapes (gids, connections with
// pageInfo, Money as decimal strings), executed by graphql-js.
import { buildSchema, graphql } from "graphql";
import { discountRoot, discountSdl } from "./discounts.ts";
import type { SandboxStore } from "./state.ts";

const sdl = /* GraphQL */ `
  type Query {
    shop: Shop!
    products(first: Int, after: String, query: String): ProductConnection!
    product(id: ID!): Product
    collections(first: Int, after: String): CollectionConnection!
    customers(first: Int, after: String, query: String): CustomerConnection!
    customer(id: ID!): Customer
    orders(first: Int, after: String, query: String, sortKey: String, reverse: Boolean): OrderConnection!
    order(id: ID!): Order
    nodes(ids: [ID!]!): [Node]!
  }
  interface Node { id: ID! }
  type Shop { id: ID! name: String! email: String! myshopifyDomain: String! currencyCode: String! }
  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! endCursor: String startCursor: String }
  type Image { url: String! altText: String }
  type MoneyV2 { amount: String! currencyCode: String! }
  type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
  type ProductVariant { id: ID! legacyResourceId: String! title: String! sku: String price: String! inventoryQuantity: Int availableForSale: Boolean! product: Product! }
  type ProductVariantConnection { nodes: [ProductVariant!]! }
  type Collection { id: ID! legacyResourceId: String! handle: String! title: String! }
  type CollectionConnection { nodes: [Collection!]! edges: [CollectionEdge!]! pageInfo: PageInfo! }
  type CollectionEdge { node: Collection! cursor: String! }
  type Product implements Node {
    id: ID! legacyResourceId: String! handle: String! title: String! vendor: String! productType: String!
    tags: [String!]! status: String! onlineStoreUrl: String featuredImage: Image
    totalInventory: Int! variants(first: Int): ProductVariantConnection! collections(first: Int): CollectionConnection!
    priceRangeV2: ProductPriceRange!
  }
  type ProductPriceRange { minVariantPrice: MoneyV2! maxVariantPrice: MoneyV2! }
  type ProductConnection { nodes: [Product!]! edges: [ProductEdge!]! pageInfo: PageInfo! }
  type ProductEdge { node: Product! cursor: String! }
  type Customer { id: ID! legacyResourceId: String! firstName: String lastName: String email: String locale: String tags: [String!]! numberOfOrders: String! }
  type CustomerConnection { nodes: [Customer!]! edges: [CustomerEdge!]! pageInfo: PageInfo! }
  type CustomerEdge { node: Customer! cursor: String! }
  type LineItem { id: ID! name: String! title: String! vendor: String quantity: Int! product: Product variant: ProductVariant originalUnitPriceSet: MoneyBag! discountedTotalSet: MoneyBag! }
  type LineItemConnection { nodes: [LineItem!]! }
  type Order {
    id: ID! legacyResourceId: String! name: String! email: String createdAt: String! processedAt: String! cancelledAt: String
    displayFinancialStatus: String customer: Customer currencyCode: String!
    subtotalPriceSet: MoneyBag! currentSubtotalPriceSet: MoneyBag! lineItems(first: Int): LineItemConnection!
    fulfillments(first: Int): [Fulfillment!]!
    returnableFulfillments(first: Int, after: String): ReturnableFulfillmentConnection!
    returns(first: Int): ReturnConnection!
  }
  # Returns API: what is fulfilled and not yet returned or refunded, and returnCreate.
  type Fulfillment { id: ID! name: String! status: String! createdAt: String! deliveredAt: String fulfillmentLineItems(first: Int): FulfillmentLineItemConnection! }
  type FulfillmentLineItem { id: ID! quantity: Int lineItem: LineItem! }
  type FulfillmentLineItemConnection { nodes: [FulfillmentLineItem!]! }
  type ReturnableFulfillment { id: ID! fulfillment: Fulfillment! returnableFulfillmentLineItems(first: Int, after: String): ReturnableFulfillmentLineItemConnection! }
  type ReturnableFulfillmentConnection { nodes: [ReturnableFulfillment!]! edges: [ReturnableFulfillmentEdge!]! pageInfo: PageInfo! }
  type ReturnableFulfillmentEdge { node: ReturnableFulfillment! cursor: String! }
  type ReturnableFulfillmentLineItem { quantity: Int! fulfillmentLineItem: FulfillmentLineItem! }
  type ReturnableFulfillmentLineItemConnection { nodes: [ReturnableFulfillmentLineItem!]! edges: [ReturnableFulfillmentLineItemEdge!]! pageInfo: PageInfo! }
  type ReturnableFulfillmentLineItemEdge { node: ReturnableFulfillmentLineItem! cursor: String! }
  enum ReturnStatus { CANCELED CLOSED DECLINED OPEN REQUESTED }
  enum ReturnReason { COLOR DEFECTIVE NOT_AS_DESCRIBED OTHER SIZE_TOO_LARGE SIZE_TOO_SMALL STYLE UNKNOWN UNWANTED WRONG_ITEM }
  enum ReturnErrorCode { BLANK CREATION_FAILED FEATURE_NOT_ENABLED GREATER_THAN INTERNAL_ERROR INVALID INVALID_STATE NOT_EDITABLE NOT_FOUND TOO_LONG }
  type Return { id: ID! name: String! status: ReturnStatus! order: Order! totalQuantity: Int! }
  type ReturnConnection { nodes: [Return!]! }
  type ReturnUserError { field: [String!] message: String! code: ReturnErrorCode }
  type ReturnCreatePayload { return: Return userErrors: [ReturnUserError!]! }
  input ReturnInput {
    orderId: ID! requestedAt: String returnLineItems: [ReturnLineItemInput!]! exchangeLineItems: [ExchangeLineItemInput!]
    notifyCustomer: Boolean unprocessed: Boolean
  }
  input ReturnLineItemInput { fulfillmentLineItemId: ID! quantity: Int! returnReason: ReturnReason returnReasonNote: String returnReasonDefinitionId: ID }
  input ExchangeLineItemInput { variantId: ID quantity: Int! appliedDiscount: String giftCardCodes: [String!] }
  type Mutation {
    returnCreate(returnInput: ReturnInput!): ReturnCreatePayload
  }
  type OrderConnection { nodes: [Order!]! edges: [OrderEdge!]! pageInfo: PageInfo! }
  type OrderEdge { node: Order! cursor: String! }
`;

export const schema = buildSchema(sdl + discountSdl);

const cursorOf = (i: number) => Buffer.from(`cursor:${i}`).toString("base64");
const indexOf = (cursor?: string | null) => (cursor ? Number(Buffer.from(cursor, "base64").toString().split(":")[1]) + 1 : 0);

/** Shopify's connection paging over an in-memory list (max 250 per page, as Shopify). */
export function connection<T>(items: T[], { first = 50, after }: { first?: number | null; after?: string | null }) {
  const start = indexOf(after);
  const size = Math.min(Math.max(first ?? 50, 0), 250);
  const page = items.slice(start, start + size);
  return {
    nodes: page,
    edges: page.map((node, i) => ({ node, cursor: cursorOf(start + i) })),
    pageInfo: {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursorOf(start) : null,
      endCursor: page.length ? cursorOf(start + page.length - 1) : null,
    },
  };
}

export async function executeAdminGraphql(store: SandboxStore, query: string, variables: Record<string, unknown> = {}) {
  return graphql({ schema, source: query, rootValue: { ...store.graphqlRoot(), ...discountRoot(store) }, variableValues: variables });
}
