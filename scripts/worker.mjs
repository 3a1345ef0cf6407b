// `npm run worker`: a job worker process, running the same compiled code as
// the app server (build/server, from `npm run build`). On PostgreSQL run as
// many as the load needs; on SQLite the app server already works jobs itself.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const entry = path.resolve("build/server/index.js");
if (!fs.existsSync(entry)) {
  console.error("No build found: run `npm run build` first.");
  process.exit(1);
}
const build = await import(pathToFileURL(entry).href);
await build.entry.module.runJobWorker();
