// `npm run start`: the production app server, running the build
// (build/server, from `npm run build`). It serves what remix-serve serves —
// the client assets, public/, every route through Remix behind compression
// and a request log — and answers POST /webhooks before all of that, straight
// from node:http into the same intake (app/services/webhooks/
// node-listener.server.ts): on a busy day webhooks are nearly every request,
// and the framework's work around each cost more than the delivery itself.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";

const entry = path.resolve("build/server/index.js");
if (!fs.existsSync(entry)) {
  console.error("No build found: run `npm run build` first.");
  process.exit(1);
}
const build = await import(pathToFileURL(entry).href);
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.use(morgan("tiny"));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const webhooks = build.entry.module.handleWebhookDelivery;
const isWebhook = (req) => req.method === "POST" && (req.url === "/webhooks" || req.url.startsWith("/webhooks?"));
const server = http.createServer((req, res) => (isWebhook(req) ? webhooks(req, res) : app(req, res)));

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || undefined;
server.listen(port, host, () => console.log(`[encore] http://${host ?? "localhost"}:${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => server.close());
