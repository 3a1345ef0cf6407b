// Started before any test imports @shopify/shopify-api, which captures
// `fetch` when it loads: every request to Shopify then meets the fake.
import { afterAll, afterEach } from "vitest";
import { resetShopifyServer, server } from "../mock-shopify-server";

// Requests to the tests' own local servers (127.0.0.1, localhost) go through;
// anything else that no handler answers fails the test.
server.listen({
  onUnhandledRequest(request, print) {
    const { hostname } = new URL(request.url);
    if (hostname === "127.0.0.1" || hostname === "localhost") return;
    print.error();
  },
});
afterEach(() => resetShopifyServer());
afterAll(() => server.close());
