// Preloaded into the app process by the demo and the browser tests
// (`node --import ./sandbox/fetch-intercept.mjs …`), never in production.
//
// 1. Requests the app makes to https://{shop}.myshopify.com/admin/… (Admin
//    GraphQL, token exchange) go to the sandbox instead.
// 2. The app's Content-Security-Policy lets only Shopify's admin frame it; the
//    sandbox's admin page is added to frame-ancestors.
import http from "node:http";

const sandbox = process.env.SHOPIFY_SANDBOX_URL;
if (!sandbox) throw new Error("fetch-intercept.mjs needs SHOPIFY_SANDBOX_URL");
const sandboxOrigin = new URL(sandbox).origin;

const realFetch = globalThis.fetch;
globalThis.fetch = function sandboxFetch(input, init) {
  const request = input instanceof Request ? input : null;
  const url = new URL(request ? request.url : String(input));
  if (url.hostname.endsWith(".myshopify.com")) {
    const target = `${sandbox}/shops/${url.hostname}${url.pathname}${url.search}`;
    return realFetch(request ? new Request(target, request) : target, init);
  }
  return realFetch(input, init);
};

const allowSandbox = (value) =>
  typeof value === "string" && value.includes("frame-ancestors") && !value.includes(sandboxOrigin)
    ? value.replace("frame-ancestors", `frame-ancestors ${sandboxOrigin}`)
    : value;

const setHeader = http.ServerResponse.prototype.setHeader;
http.ServerResponse.prototype.setHeader = function (name, value) {
  return setHeader.call(this, name, String(name).toLowerCase() === "content-security-policy" ? allowSandbox(value) : value);
};
