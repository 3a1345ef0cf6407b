// An HTTP-level stand-in for the Shopify endpoints the app calls: the Admin
// GraphQL API and OAuth token exchange. Tests register answers per GraphQL
// operation name; anything unexpected fails the test (onUnhandledRequest).
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";


export interface GraphqlCall {
  shop: string;
  operationName: string;
  query: string;
  variables: Record<string, unknown>;
  accessToken: string | null;
}

type Resolver = (call: GraphqlCall) => unknown | Promise<unknown>;

const resolvers = new Map<string, Resolver>();
export const graphqlCalls: GraphqlCall[] = [];
export const tokenExchanges: { shop: string; subjectToken: string }[] = [];

function operationName(query: string): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous";
}

export const server = setupServer(
  http.post("https://:shop/admin/api/:version/graphql.json", async ({ request, params }) => {
    const body = (await request.json()) as { query: string; variables?: Record<string, unknown> };
    const call: GraphqlCall = {
      shop: String(params.shop),
      operationName: operationName(body.query),
      query: body.query,
      variables: body.variables ?? {},
      accessToken: request.headers.get("x-shopify-access-token"),
    };
    graphqlCalls.push(call);
    const resolver = resolvers.get(call.operationName);
    if (!resolver) {
      return HttpResponse.json({ errors: [{ message: `mockShopifyServer: no answer for ${call.operationName}` }] }, { status: 200 });
    }
    const result = await resolver(call);
    return result instanceof Response ? result : HttpResponse.json({ data: result });
  }),
  // Token exchange (session token → offline/online access token).
  http.post("https://:shop/admin/oauth/access_token", async ({ request, params }) => {
    const text = await request.text();
    const body = text.trim().startsWith("{") ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
    const subjectToken = String(body.subject_token ?? "");
    tokenExchanges.push({ shop: String(params.shop), subjectToken });
    return HttpResponse.json({
      access_token: `shpat_test_${params.shop}`,
      scope: process.env.SCOPES,
      expires_in: 86_400,
      refresh_token: `shprt_test_${params.shop}`,
      refresh_token_expires_in: 7_776_000,
    });
  }),
);

/** Answers the named GraphQL operation (the `data` member) until the test ends. */
export function mockShopifyServer(answers: Record<string, Resolver | object>) {
  for (const [name, answer] of Object.entries(answers)) {
    resolvers.set(name, typeof answer === "function" ? (answer as Resolver) : () => answer);
  }
  return { calls: graphqlCalls };
}

export function resetShopifyServer() {
  resolvers.clear();
  graphqlCalls.length = 0;
  tokenExchanges.length = 0;
}

/** An answer that arrives only after `ms` (to exercise the app's timeouts). */
export function delayed(ms: number, answer: unknown): Resolver {
  return async (call) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return typeof answer === "function" ? (answer as Resolver)(call) : answer;
  };
}

/** Shopify failing at the HTTP level (e.g. 502 from its edge, 429 throttled). */
export function httpError(status: number, body = "upstream error"): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain" } });
}

// ─── Returns API ────────────────────────────────────────────────────────────
// A small stateful Shopify for the return flow: orders with fulfillments, the
// `order.returnableFulfillments` connection (what is fulfilled and not yet
// returned), and `returnCreate` with Shopify's documented payload, including
// its ReturnUserError for a quantity that is no longer returnable.

export interface FakeLine {
  lineItemId: string;
  fulfillmentLineItemId: string;
  name: string;
  quantity: number;
  product: { id: string; title: string; tags?: string[]; variants?: { id: string; title: string; availableForSale?: boolean }[] };
  variant?: { id: string; title: string };
}

export interface FakeOrder {
  id: string;
  name: string;
  email?: string | null;
  customerId: string | null;
  cancelledAt?: string | null;
  fulfillments: { id: string; createdAt: string; deliveredAt?: string | null; lines: FakeLine[] }[];
}

export function mockReturnsApi(orders: FakeOrder[]) {
  const returned = new Map<string, number>(); // fulfillmentLineItemId → quantity in returns
  const returns: { id: string; name: string; orderId: string; input: any }[] = [];
  const orderView = (o: FakeOrder) => ({
    id: o.id,
    name: o.name,
    email: o.email ?? null,
    cancelledAt: o.cancelledAt ?? null,
    customer: o.customerId ? { id: o.customerId, email: o.email ?? null } : null,
    returnableFulfillments: {
      nodes: o.fulfillments
        .map((f, i) => ({
          id: `gid://shopify/ReturnableFulfillment/${o.id.split("/").pop()}${i}`,
          fulfillment: { id: f.id, createdAt: f.createdAt, deliveredAt: f.deliveredAt ?? null },
          returnableFulfillmentLineItems: {
            nodes: f.lines
              .map((l) => ({
                quantity: l.quantity - (returned.get(l.fulfillmentLineItemId) ?? 0),
                fulfillmentLineItem: {
                  id: l.fulfillmentLineItemId,
                  lineItem: {
                    id: l.lineItemId,
                    name: l.name,
                    product: {
                      id: l.product.id,
                      title: l.product.title,
                      tags: l.product.tags ?? [],
                      variants: { nodes: (l.product.variants ?? []).map((v) => ({ availableForSale: true, ...v })) },
                    },
                    variant: l.variant ?? null,
                  },
                },
              }))
              .filter((n) => n.quantity > 0),
          },
        }))
        .filter((rf) => rf.returnableFulfillmentLineItems.nodes.length > 0),
    },
  });
  mockShopifyServer({
    ReturnEligibility: ({ variables }) => {
      const order = orders.find((o) => o.id === variables.id);
      return { order: order ? orderView(order) : null };
    },
    ReturnCreate: ({ variables }) => {
      const input = variables.returnInput as any;
      const order = orders.find((o) => o.id === input.orderId);
      const userErrors: { field: string[]; message: string; code: string }[] = [];
      if (!order) userErrors.push({ field: ["returnInput", "orderId"], message: "Order does not exist.", code: "NOT_FOUND" });
      const lines = order?.fulfillments.flatMap((f) => f.lines) ?? [];
      (input.returnLineItems ?? []).forEach((rli: any, i: number) => {
        const line = lines.find((l) => l.fulfillmentLineItemId === rli.fulfillmentLineItemId);
        const left = line ? line.quantity - (returned.get(line.fulfillmentLineItemId) ?? 0) : 0;
        if (!line) userErrors.push({ field: ["returnInput", "returnLineItems", String(i), "fulfillmentLineItemId"], message: "Fulfillment line item does not exist.", code: "NOT_FOUND" });
        else if (rli.quantity > left) {
          userErrors.push({ field: ["returnInput", "returnLineItems", String(i), "quantity"], message: "Quantity is not available for return.", code: "INVALID" });
        }
      });
      if (userErrors.length) return { returnCreate: { return: null, userErrors } };
      for (const rli of input.returnLineItems) returned.set(rli.fulfillmentLineItemId, (returned.get(rli.fulfillmentLineItemId) ?? 0) + rli.quantity);
      const id = `gid://shopify/Return/${9_000_000 + returns.length + 1}`;
      const name = `${order!.name}-R${returns.filter((r) => r.orderId === order!.id).length + 1}`;
      returns.push({ id, name, orderId: order!.id, input });
      return { returnCreate: { return: { id, name, status: "OPEN" }, userErrors: [] } };
    },
  });
  return { returns, returned };
}
