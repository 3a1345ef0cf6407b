// `npm run bench`: Encore's performance figures, written to bench/results.json
// and bench/results.md with the machine's core count and the run's date.
// A benchmark, not a test: it reports figures against the targets and never
// fails on them (it fails only when a measured path is broken).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildExtension } from "../scripts/build-extension.mjs";
import { benchWebhookIngest, type DrainResult, type IngestResult } from "./webhooks.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "500" },
    only: { type: "string" },
  },
});
const perLevel = Number(values.orders);
const levels = [1, 8, 64];
const log = (s: string) => console.log(s);

const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
const date = new Date().toISOString();
console.log(`Encore benchmarks — ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${date}`);

const ingest: IngestResult[] = [];
const drains: DrainResult[] = [];
for (const provider of ["sqlite", "postgresql"] as const) {
  if (values.only && values.only !== provider) continue;
  log(`Webhook ingest on ${provider}, ${perLevel} orders/paid per concurrency level…`);
  const result = await benchWebhookIngest(provider, levels, perLevel, log);
  ingest.push(...result.ingest);
  drains.push(result.drain);
}

// The thank-you / order status extension as Shopify would receive it.
const bundle = await buildExtension({ write: false });
const extensionBundle = { name: "encore-thank-you", bytes: bundle.bytes, gzipBytes: bundle.gzipBytes, limitGzipBytes: 64 * 1024 };
log(`Extension bundle: ${bundle.bytes} bytes, ${bundle.gzipBytes} compressed (Shopify's limit 65536)`);

const targets = { ingestPerSecondPostgres: 1000, ingestP99MsPostgres: 50, floorRatio: 3 };
const results = { date, machine, targets, webhookIngest: ingest, queueDrain: drains, extensionBundle };
fs.writeFileSync(path.join(here, "results.json"), JSON.stringify(results, null, 2) + "\n");

const row = (r: IngestResult) =>
  `| ${r.provider} | ${r.mode} | ${r.concurrency} | ${r.full.perSecond} | ${r.full.p50Ms} | ${r.full.p99Ms} | ${r.floor.perSecond} | ${r.floor.p50Ms} | ${r.floor.p99Ms} | ${r.latencyRatio}× | ${r.throughputRatio}× |`;
const md = `# Encore benchmarks

Run ${date} on ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GiB, Node ${machine.node}. \`npm run bench\` writes this file and \`results.json\`.

## Webhook ingest (orders/paid, signed, through the built app into the ledger)

Targets: ≥ ${targets.ingestPerSecondPostgres} orders/s with p99 < ${targets.ingestP99MsPostgres} ms on PostgreSQL; full path within ${targets.floorRatio}× of the floor (HMAC check + one insert of the raw event on bare node:http).

*inline* credits the order before answering (the default); *queue* is the intake of \`ENCORE_WEBHOOKS=queue\` — verify, record, enqueue — whose answer no longer waits for the work.

| database | mode | senders | orders/s | p50 ms | p99 ms | floor/s | floor p50 ms | floor p99 ms | p50 vs floor | floor/s vs full |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${ingest.map(row).join("\n")}

Queue mode's workers turning the recorded events into ledger entries (on PostgreSQL \`npm run worker\` processes started after the intake; on SQLite the app server, working its queue while taking webhooks):

| database | workers | events | seconds | events/s |
| --- | --- | --- | --- | --- |
${drains.map((d) => `| ${d.provider} | ${d.workers || "in-process"} | ${d.events} | ${d.seconds} | ${d.perSecond} |`).join("\n")}

## Extension bundle

| extension | bytes | compressed | Shopify's limit |
| --- | --- | --- | --- |
| ${extensionBundle.name} | ${extensionBundle.bytes} | ${extensionBundle.gzipBytes} | ${extensionBundle.limitGzipBytes} |
`;
fs.writeFileSync(path.join(here, "results.md"), md);
console.log(`\nWrote bench/results.json and bench/results.md`);
