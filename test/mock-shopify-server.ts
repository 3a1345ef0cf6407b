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
