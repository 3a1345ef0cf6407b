import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { runJobWorker, startEmbeddedJobs } from "./jobs/runtime.server";
import { addDocumentResponseHeaders } from "./shopify.server";

// Embedded (SQLite) mode works background jobs inside the app server, started
// once when the server loads; `npm run worker` (scripts/worker.mjs) calls
// runJobWorker from the same build.
startEmbeddedJobs();
export { runJobWorker };
// scripts/serve.mjs answers webhook deliveries with it, before Remix.
export { handleWebhookDelivery } from "./webhooks.server";

const STREAM_TIMEOUT = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, STREAM_TIMEOUT + 1000);
  });
}
