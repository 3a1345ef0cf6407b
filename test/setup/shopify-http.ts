// Started before any test imports @shopify/shopify-api, which captures
// `fetch` when it loads: every request to Shopify then meets the fake.
import { afterAll, afterEach } from "vitest";
import { resetShopifyServer, server } from "../mock-shopify-server";

server.listen({ onUnhandledRequest: "error" });
afterEach(() => resetShopifyServer());
afterAll(() => server.close());
