// `npm run bench`: Encore's performance figures, written to bench/results.json
// and bench/results.md with the machine's core count and the run's date.
// A benchmark, not a test: it reports figures against the targets and never
// fails on them (it fails only when a measured path is broken).
//
//   --only ingest,bundle,offers,copurchase,results   run some sections (default: all)
//   --db sqlite,postgresql   databases for ingest, offers and co-purchase (default: both)
//   --scale 0.01             fraction of the 1M-order store, for a quick smoke run (default 1)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { register } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildExtension } from "../scripts/build-extension.mjs";
import type { LoadResult } from "./stats.ts";
import { benchWebhookIngest, type DrainResult, type IngestResult, type SteadyResult } from "./webhooks.ts";

// The offers and results sections run the app's own modules (extensionless imports).
register("./ts-resolve.mjs", import.meta.url);
const { benchOffers } = await import("./offers.ts");
const { benchResultsDashboard } = await import("./results-dashboard.ts");
const { HISTORY_PAGE_SIZE } = await import("../app/services/offers/history.server.ts");
type OffersRun = Awaited<ReturnType<typeof benchOffers>>;
type Provider = Parameters<typeof benchOffers>[0];
type DashboardResult = Awaited<ReturnType<typeof benchResultsDashboard>>;

const here = path.dirname(fileURLToPath(import.meta.url));
const SECTIONS = ["ingest", "bundle", "offers", "copurchase", "results"] as const;
const { values } = parseArgs({
  options: {
    // Orders per concurrency level. A p99 needs enough of them: at 32
    // senders, 1,000 orders take about a second and come back in trains of
    // 32, so their p99 — the 10th slowest — was whichever train the machine
    // last stalled, not the level's tail.
    orders: { type: "string", default: "5000" },
    only: { type: "string", default: SECTIONS.join(",") },
    db: { type: "string", default: "sqlite,postgresql" },
    scale: { type: "string", default: "1" },
    requests: { type: "string", default: "2000" },
    // (Internal: the offers section's per-database process.)
    "offers-child": { type: "string" },
  },
});
const only = new Set(values.only.split(","));
const providers = (["sqlite", "postgresql"] as const).filter((p) => values.db.split(",").includes(p));
const scale = Number(values.scale);
const perLevel = Number(values.orders);
// The issue's 1, 8 and 64 concurrent senders, and 24 and 32. N senders, each
// sending again once answered, reach N / latency orders/s (Little's law): 8
// reach 1,000 orders/s only with answers under 8 ms on average, and 64 at
// 1,000 orders/s wait 64 ms on average — the target's orders/s and p99 can
// only meet in between. Where exactly depends on the machine: on 2 cores a
// train of 32 takes 8–20 ms to gather through the app server's one event
// loop, and one of 24 about three quarters of that (bench/results.md).
const levels = [1, 8, 24, 32, 64];
const log = (s: string) => console.log(s);
const timed = async <T>(section: string, work: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const result = await work();
  seconds[section] = Math.round((performance.now() - t0) / 1000);
  return result;
};
const seconds: Record<string, number> = {};

// The offers section runs each database in a process of its own, so that
// one's memory is not in the other's peak, nor its garbage in the other's
// latencies: this process again, with --offers-child.
const offersOptions = { scale, batch: HISTORY_PAGE_SIZE, endpoint: only.has("offers"), requests: Number(values.requests), levels: [1, 4], log };
if (values["offers-child"]) {
  const { provider, out } = JSON.parse(values["offers-child"]) as { provider: Provider; out: string };
  fs.writeFileSync(out, JSON.stringify(await benchOffers(provider, offersOptions)));
  process.exit(0);
}
const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
const date = new Date().toISOString();
console.log(`Encore benchmarks — ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${date}`);

const ingest: IngestResult[] = [];
const drains: DrainResult[] = [];
const steady: SteadyResult[] = [];
if (only.has("ingest")) {
  await timed("ingest", async () => {
    for (const provider of providers) {
      log(`Webhook ingest on ${provider}, ${perLevel} orders/paid per concurrency level…`);
      const result = await benchWebhookIngest(provider, levels, perLevel, log);
      ingest.push(...result.ingest);
      drains.push(result.drain);
      steady.push(...result.steady);
    }
  });
}

// The thank-you / order status extension as Shopify would receive it.
let extensionBundle: { name: string; bytes: number; gzipBytes: number; limitGzipBytes: number } | null = null;
if (only.has("bundle")) {
  const bundle = await buildExtension({ write: false });
  extensionBundle = { name: "encore-thank-you", bytes: bundle.bytes, gzipBytes: bundle.gzipBytes, limitGzipBytes: 64 * 1024 };
  log(`Extension bundle: ${bundle.bytes} bytes, ${bundle.gzipBytes} compressed (Shopify's limit 65536)`);
}

// The endpoint reads what the co-purchase build wrote: one run gives both.
// Each database runs in a process of its own (offers-child above).
const offers: OffersRun[] = [];
if (only.has("offers") || only.has("copurchase")) {
  await timed("offers", async () => {
    for (const provider of providers) {
      log(`Offers on ${provider}: co-purchase build${only.has("offers") ? " and the thank-you endpoint" : ""}, ${scale} × 1M orders…`);
      const out = path.join(os.tmpdir(), `encore-bench-offers-${provider}.json`);
      const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), "--offers-child", JSON.stringify({ provider, out })], { stdio: "inherit" });
      if (child.status !== 0) throw new Error(`the offers benchmark on ${provider} failed (exit ${child.status ?? child.signal})`);
      offers.push(JSON.parse(fs.readFileSync(out, "utf8")) as OffersRun);
      fs.rmSync(out);
    }
  });
}

let dashboard: DashboardResult | null = null;
if (only.has("results")) {
  log(`Results dashboard on postgresql, ${scale} × 1M orders…`);
  dashboard = await timed("results", () => benchResultsDashboard({ scale, runs: 50, log }));
}

const targets = { ingestPerSecondPostgres: 1000, ingestP99MsPostgres: 50, floorRatio: 3, offersP99Ms: 20, dashboardMs: 200 };
// A run of some sections keeps the others' figures from the last run, each
// section with the date and scale it was measured at.
const file = path.join(here, "results.json");
type Results = {
  date: string;
  machine: typeof machine;
  targets: typeof targets;
  sections: Record<string, { date: string; cpu?: string; seconds?: number; scale?: number; ordersPerLevel?: number }>;
  webhookIngest: IngestResult[];
  queueDrain: DrainResult[];
  queueSteady: SteadyResult[];
  extensionBundle: typeof extensionBundle;
  offersEndpoint: NonNullable<OffersRun["endpoint"]>[];
  coPurchaseBuild: OffersRun["copurchase"][];
  resultsDashboard: DashboardResult | null;
};
const previous: Partial<Results> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
const ran = (section: string, extra: Record<string, number> = {}) => ({ [section]: { date, cpu: machine.cpu, seconds: seconds[section], ...extra } });
// A run on some databases (--db) replaces their rows only; each row keeps the
// date it was measured (rows from before this field carry their section's).
type Dated = { provider: string; measured?: string };
const byProvider = <R extends Dated>(old: R[] | undefined, fresh: R[], section: string): R[] => [
  ...(old ?? []).filter((r) => !fresh.some((f) => f.provider === r.provider)).map((r) => ({ ...r, measured: r.measured ?? previous.sections?.[section]?.date })),
  ...fresh.map((r) => ({ ...r, measured: date })),
];
const results: Results = {
  webhookIngest: [],
  queueDrain: [],
  queueSteady: [],
  extensionBundle: null,
  offersEndpoint: [],
  coPurchaseBuild: [],
  resultsDashboard: null,
  ...previous,
  date,
  machine,
  targets,
  sections: {
    ...previous.sections,
    ...(only.has("ingest") ? ran("ingest", { ordersPerLevel: perLevel }) : {}),
    ...(only.has("bundle") ? ran("bundle") : {}),
    ...(offers.length ? ran("offers", { scale }) : {}),
    ...(dashboard ? ran("results", { scale }) : {}),
  },
  ...(only.has("ingest")
    ? {
        webhookIngest: byProvider(previous.webhookIngest, ingest, "ingest"),
        queueDrain: byProvider(previous.queueDrain, drains, "ingest"),
        queueSteady: byProvider(previous.queueSteady, steady, "ingest"),
      }
    : {}),
  ...(extensionBundle ? { extensionBundle } : {}),
  ...(offers.length
    ? {
        offersEndpoint: byProvider(previous.offersEndpoint, offers.flatMap((o) => (o.endpoint ? [o.endpoint] : [])), "offers"),
        coPurchaseBuild: byProvider(previous.coPurchaseBuild, offers.map((o) => o.copurchase), "offers"),
      }
    : {}),
  ...(dashboard ? { resultsDashboard: dashboard } : {}),
};
fs.writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
const { webhookIngest: allIngest, queueDrain: allDrains, queueSteady: allSteady, extensionBundle: bundleFigures, offersEndpoint: endpoint, coPurchaseBuild: copurchase, resultsDashboard: dashboardFigures } = results;
// (A section measured on another machine than this run's says which.)
const when = (section: string) => {
  const ran = results.sections[section];
  return ran ? ` (measured ${ran.date}${ran.cpu && ran.cpu !== machine.cpu ? ` on ${ran.cpu}` : ""})` : "";
};
/** The dates of a section's rows, where its databases were measured on different days. */
const whenRows = (section: string, rows: Dated[]) => {
  const dates = new Map(rows.map((r) => [r.provider, r.measured]));
  return new Set(dates.values()).size > 1 ? ` (measured ${[...dates].map(([provider, measured]) => `${provider} ${measured}`).join("; ")})` : when(section);
};

// CPU per request by kind (bench/stats.ts cpuCensus); rows measured before it have none.
const cpu = (c: LoadResult["cpuMs"], kinds: (keyof NonNullable<LoadResult["cpuMs"]>)[]) => (c ? kinds.map((k) => c[k]).join(" · ") : "—");
const cpuRatio = (full: LoadResult, floor: LoadResult) => (full.cpuMs && floor.cpuMs ? `${Math.round((full.cpuMs.all / floor.cpuMs.all) * 10) / 10}×` : "—");
/** Which of the run's levels meet the PostgreSQL target, inline (each order in the ledger before its answer). */
function ingestVerdict(rows: IngestResult[]): string {
  const inline = rows.filter((r) => r.provider === "postgresql" && r.mode === "inline");
  if (!inline.length) return "PostgreSQL was not measured in this run.";
  const met = inline.filter((r) => r.full.perSecond >= targets.ingestPerSecondPostgres && r.full.p99Ms < targets.ingestP99MsPostgres);
  const level = (r: IngestResult) => `${r.concurrency} senders on ${r.appServers ?? 1} app server${(r.appServers ?? 1) > 1 ? "s" : ""}, ${r.full.perSecond} orders/s with a p99 of ${r.full.p99Ms} ms`;
  return met.length
    ? `**Orders/s and p99 target met** on PostgreSQL, inline, into the ledger: ${met.map(level).join("; ")}.`
    : `**Orders/s and p99 target not met** at any level of this run on PostgreSQL (inline, into the ledger).`;
}
const row = (r: IngestResult) =>
  `| ${r.provider} | ${r.mode} | ${r.appServers ?? 1} | ${r.concurrency} | ${r.full.perSecond} | ${r.full.p50Ms} | ${r.full.p99Ms} | ${r.floor.perSecond} | ${r.floor.p50Ms} | ${r.floor.p99Ms} | ${r.latencyRatio}× | ${r.throughputRatio}× | ${cpu(r.full.cpuMs, ["app", "database", "sender", "all"])} | ${cpu(r.floor.cpuMs, ["all"])} | ${cpuRatio(r.full, r.floor)} |`;
const parts: string[] = [
  `# Encore benchmarks

Run ${date} on ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GiB, Node ${machine.node}. \`npm run bench\` writes this file and \`results.json\`. Each section below says when it was measured; \`--only\` re-runs some and keeps the others.
`,
];
if (allIngest.length) {
  parts.push(`## Webhook ingest (orders/paid, signed, through the built app into the ledger)${whenRows("ingest", allIngest)}

Targets: ≥ ${targets.ingestPerSecondPostgres} orders/s with p99 < ${targets.ingestP99MsPostgres} ms on PostgreSQL; full path within ${targets.floorRatio}× of the floor (HMAC check + one insert of the raw event on bare node:http).

${ingestVerdict(allIngest)}

*app servers*: Encore processes on the machine taking the requests in turn, as behind a load balancer: one, and on PostgreSQL inline again with one per core (SQLite has one writer). *inline* credits the order before answering (the default); *queue* is the intake of \`ENCORE_WEBHOOKS=queue\` — verify, record, enqueue — whose answer no longer waits for the work. Each level is timed after a ramp, off the clock, of four requests per sender at its concurrency (its connections open, its batches formed), to the app and to the floor alike. Each level's figures are over ${perLevel.toLocaleString("en")} orders. (Until 2026-12-07 they were over 1,000: at 32 senders those took about a second and came back in trains of 32, so their p99, the tenth slowest, was whichever train the machine had last held up.)

*CPU ms/order*: the CPU time one order cost, from the processes' own counters (/proc) over the level: Encore's app servers · PostgreSQL's processes (on SQLite, the database is inside the app server) · the sender · every process on the machine, the kernel's threads included. It is the figure that carries from one machine to another — a machine's orders/s is about how many such milliseconds its cores have in a second (2,000 on two) — and *CPU vs floor* compares the whole path's to the floor's (whose server runs in the sender's process).

| database | mode | app servers | senders | orders/s | p50 ms | p99 ms | floor/s | floor p50 ms | floor p99 ms | p50 vs floor | floor/s vs full | CPU ms/order: app · db · sender · all | floor CPU ms/order | CPU vs floor |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${allIngest.map(row).join("\n")}

Queue mode's workers turning the recorded events into ledger entries (on PostgreSQL \`npm run worker\` processes started after the intake — once the install's own jobs, the catalog and history imports, have run — and timed from their first event; on SQLite the app server, working its queue while taking webhooks):

| database | workers | events | seconds | events/s |
| --- | --- | --- | --- | --- |
${allDrains.map((d) => `| ${d.provider} | ${d.workers || "in-process"} | ${d.events} | ${d.seconds} | ${d.perSecond} |`).join("\n")}
${
  allSteady.length
    ? `
Queue mode as it runs through a sale: the workers process while the intake takes the webhooks, on the same two cores (the workers idle at each level's start). *into the ledger/s*: the level's events over the time from the first sent to the last one's ledger entry.

| database | workers | senders | events | answers/s | answer p50 ms | answer p99 ms | into the ledger/s | CPU ms/event, request to ledger: app and workers · db · all |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${allSteady.map((r) => `| ${r.provider} | ${r.workers || "in-process"} | ${r.concurrency} | ${r.events} | ${r.answers.perSecond} | ${r.answers.p50Ms} | ${r.answers.p99Ms} | ${r.ledgerPerSecond} | ${cpu(r.answers.cpuMs, ["app", "database", "all"])} |`).join("\n")}
`
    : ""
}
Where the time goes (CPU profiles, PostgreSQL's statement log, pg_stat_statements and auto_explain, the CPU census above, and each path timed in the app server; 2026-12-03 to 2026-12-06).

What an order costs is mostly what its batch costs. The orders/paid deliveries in flight for a shop are written together, one batch per shop and app server at a time while the next gathers (app/services/webhooks/batch.server.ts, a group commit). On PostgreSQL a batch of one took some 7 ms of CPU (app server and database about half each), a batch of 30 about 1.4 ms per order: the orders/s of a level follow the size of its batches, and whatever splits the deliveries in flight into more, smaller batches costs. PostgreSQL's statement log at 8 senders showed that the batches had settled into a beat: 1, 7, 1, 7 … (1, 15 after the warm-up's 16 senders). A delivery that arrives while the batch of seven is written becomes a batch of one; the seven, answered and sent again, arrive while it is written and wait for it — every round of eight paid for two batches. Since 2026-12-06 21:00 the next batch lingers, up to 10 ms after the last one ended, for as many deliveries as recent batches had in flight (app/services/webhooks/group-commit.ts), and the beat became 8, 8, 8. On the Intel Xeon machine of 2026-12-06's night, in runs that alternated without it (two runs) and with it (6 ms in two runs, 10 ms in two; one app server): at 8 senders 390–413 orders/s became 580–590 and the CPU per order fell from 3.1–3.3 to 2.1 ms; at 24 senders 723–797 became 944–1,047 with a p99 of 34–42 ms; at 32 senders, with 10 ms, 1,056–1,216 orders/s with a p99 of 35–41 ms; at 64, 990–1,312 against 993–999. A linger of 6 ms gave most of that, 3 ms about half. A lone delivery never waits: after a batch of one, the next starts as soon as one arrives. Nor do a queue worker's events: they do not come back once written (the worker fetches more when all of its jobs are done), and lingering for them held up every fetch: the workers' drain, in two runs that night, made 375 events/s with it and 947 without. The same code's figures moved with the machine that night, more than the linger moved them: at 32 senders, thirteen runs gave 594–1,216 orders/s with a p99 of 35–145 ms, and a CPU per order of 1.0–2.2 ms. Three of them met the target (1,216 orders/s with a p99 of 35 ms, 1,093 with 49, 1,056 with 41).

Since 2026-12-06 23:30 the linger waits for the fewest deliveries in flight at the end of the last eight batches, not the most, and for as long as gathering them takes. At 32 senders on one app server the fixed 10 ms was shorter than gathering the train: the deliveries come back through the one event loop (HMAC, JSON, validation, one at a time), 8–20 ms for 32 on these cores. About one linger in five ran out with 20–30 of the 32 back, and those left out waited for two batches: the slowest 3 % of a level, a p99 at twice its p50 (in one run p95 35 ms, p97 48). The wait is now twice what recent gatherings that reached their target took per delivery, times the deliveries still missing, 10 to 40 ms (per delivery: after a train cut in two, the short gathering must not set the wait for the whole train again); with it, lingers ran out only at the end of a level or at a hiccup of the machine. Alternated at 32 senders on one app server, reckoning per delivery took the p99 from 59, 59 and 39 ms to 49, 45 and 36. Behind the load balancer, a server's share of the deliveries in flight varies from batch to batch, and waiting for the most it recently had ran out nearly every time: at 8 senders on two app servers, each batch waited the whole linger. In runs on the AMD EPYC machine that night that alternated the old and the new linger level by level in the same app servers: on two app servers, ×8 376 and 388 orders/s became 400 and 528, ×32 755 and 1,049 became 872 and 1,150 (p99 99 and 58 ms became 70 and 51); on one, ×32 850 and 942 became 912 and 924 (p99 75 and 89 became 66 and 43). ×64 did not move beyond the spread: MAX_BATCH (50) splits 64 in flight into 50 and 14 either way. The machine moved more than any of it: at 32 senders on one app server, the new linger and its drafts made 835–1,311 orders/s with a p99 of 33–83 ms from one run to the next that hour, and the runs that met the target were the machine's fast ones.

Also tried that night, and not kept. Two trains per app server (lingering for half of those in flight, so that one batch gathers while the other is written): the database's CPU per order rose with the smaller batches, and ×32 fell from 903–967 to 742–913 orders/s. Ending a linger 3 ms after the last arrival: the timer fires while deliveries wait unread in the sockets, so it cut trains short as often as before. A young generation of 64 MB (--max-semi-space-size): 40 % less time in the garbage collector, but in pauses of 12–15 ms instead of 5, and a worse p99.

Still open: the fewest in flight is the better target behind the load balancer and the most is the better one on a server that has a shop's deliveries to itself. On one app server at 32 senders, alternated with the adaptive wait in both: the most 1,155, 1,142, 914, 1,212 and 1,218 orders/s (p99 56, 39, 48, 31, 35 ms), the fewest 1,012, 974, 984, 1,072 and 1,141 (p99 48, 65, 60, 65, 38), the median between them. When a batch ends with some of the train still being read, the fewest keeps the next eight batches that much short, and those left out wait for two batches. On two app servers at 8 senders the fewest made 440–512 orders/s, the most 254–276. Choosing between them by whether recent lingers ran out (the most until one does, then the fewest for eight) landed in between both times, and so did the second fewest. What the tail is, on one app server at 32 senders (each linger and batch logged): the trains stay whole, 32 and 32, until the machine hiccups — a gathering that takes 26 ms and brings 8 of the 32 back. The batch of 8 ends before the other 24 are read, so the fewest in flight becomes 8, and the trains stay split, 8 and 24, until that reading is eight batches old: some 16 batches, each leaving deliveries behind for two. Counting the deliveries being read (the shop's header arrives before the body) would keep such a reading from counting as the train.

N senders that each send again once answered reach N / latency orders/s (Little's law): 8 senders reach 1,000 orders/s only with answers under 8 ms on average, while 64 senders at 1,000 orders/s wait 64 ms on average. A p99 under 50 ms at 64 senders would take some 2,500 orders/s, near the floor itself. So the target's orders/s and p99 can only meet between the two, and the run measures 24 and 32 senders as well (24 since 2026-12-07 06:50: on these cores a train of 32 takes 8–20 ms to gather through the app server's one event loop, and a level's p99 is set by its slowest few trains; at 24 the trains are shorter, the answers quicker, and the orders/s about the same — alternated in one app server, 3,000 orders a level, with ×32 the same hour: 1,194, 856 and 1,054 orders/s with a p99 of 36, 45 and 37 ms against 927, 937 and 1,247 with 55, 57 and 64).

What did not help, or made it worse. A second app server on two cores: each batches half the deliveries (on AMD EPYC, 2026-12-06: ×8 486 against 364 orders/s, ×64 990 against 973, and 2.7 against 4.7 ms of CPU per order at ×8); a second process per core pays off only where the cores are the app's alone. Letting a second batch of a shop start while one is written: ×64 986 → 754 orders/s when it started at 8 waiting, 629 at 16. Sending the awards, entries and balances with COMMIT, a round trip less on the loyalty transaction: no difference to be seen in three runs each (474 against 475 orders/s at ×8). Turning synchronous_commit off: 5–10 % at most. And an upper bound on folding the other features' writes into the loyalty transaction: with the purchase history and the thank-you emails not written at all, the orders/s at 8 and 24 senders stayed within the run-to-run spread (418–442 against 390–431 at ×8, 680–739 against 682–765 at ×24), for 10–15 % less CPU per order. The batches' chain and the app server's one thread set the pace, not the number of statements. On a shared virtual machine a level's figures vary by ±15 % from run to run, more than some changes make.

Since 2026-12-07 01:15 a delivery keeps less while it waits for its batch. At 32 senders some 64 orders are in flight on an app server — the batch being written and the train gathering — and every minor garbage collection copies what of them is on the JS heap: in the app server's trace (\`--trace-gc\`), one collection per 65 orders, each pausing the event loop 8–10 ms. A sampling profile of what each delivery allocated (objects since collected included) came to 196 KB: the validated order 44 KB (zod copied each of the hundred-odd fields Shopify sends, for the dozen Encore reads), the body's text 19 KB (two bytes a character: the sandbox's product titles have an en dash, as many stores' do), its copy with the ids quoted 20 KB, the parsed JSON 13 KB. Now the schemas keep only the fields Encore reads (app/services/webhooks/payloads.ts); the ids are quoted in the parsed object, and the body rewritten and parsed again only when an id is beyond 2^53 (app/services/shopify-json.ts); and node:http's path verifies the body's bytes as sent and keeps them, off the JS heap, in case the event must be stored. 148 KB a delivery. Over 6,000 orders at 32 senders, 66 minor collections instead of 92, pausing 6.9 ms on average instead of 9.8: the collector's share of the app server's busy time went from 20 % to 12 %, and what is left of that time is socket writes (18 %), parsing (10 %) and validating (8 %). The same code ran the PostgreSQL section three times that night, 5,000 orders a level, one app server at 32 senders: at 01:36, 1,281 orders/s with a p99 of 50.5 ms, half a millisecond short; at 02:25, 1,181 orders/s with a p99 of 46.6 ms, the target met; at 02:36 (recorded above), in one of the machine's slow phases (the floor at 1,866 requests/s against 2,494 at 02:25), 852 orders/s with a p99 of 62.9 ms. The app server's CPU per order was 0.34, 0.38 and 0.55 ms. One run in three met the target: it is within reach on these cores, not met reliably.

What a cycle is now, at 32 senders on one app server (each batch and linger timed in the app server, 3,000 orders): the deliveries travel as one train — 93 of 95 batches held all 32, and 3 of 96 lingers ran out — so each delivery's answer is a batch's write plus a gathering, 23 ms and 9 ms at the median, the p50 of 33 ms. The write is the loyalty lane's: 21 ms for its four round trips and the earning rules between them, while the purchase history (11 ms) and the thank-you emails (12.5 ms) run beside it on the same event loop and the same database, then the events' record (2 ms). Asynchronous commit changed nothing (synchronous_commit off, alternated: 1,030 and 966 orders/s against 1,126 and 900): what a batch waits for is the database's and the event loop's work, not the disk. The next step looked like fewer, fuller round trips on that lane — the purchase history and the emails' jobs written in the loyalty transaction's round trips rather than beside them; measured, it was not (below).

Since 2026-12-07 04:30 a batch's tier moves go with the loyalty transaction's COMMIT, in its round trip, rather than in one of their own after it: the customers' facts (their tier, their earlier awards) are read with their upsert, under its locks, and the batch's awards added to them in the app (app/services/loyalty/orders.server.ts). Timed in the app server at 32 senders on one app server (rounds of 3,000 orders after 8,000 that grow the tables, then an ANALYZE, as autovacuum has done by this level of a run), the write was 22.5 ms at the median — the loyalty transaction's opening 5.8, the earning rules 0.9, the awards, entries and balances 7.2, the tier facts with COMMIT 2.4, the tier moves after it 2.1, the events' record 2.7 — and is now 21.2 (p90 26.7 from 27–28). Measured and not kept: the events' record written beside the work, in a transaction opened with it and committed after, so that the answer waits for a COMMIT instead of the record's round trip. The write came to 20.8 ms, but in rounds alternated with the record after the work the orders/s did not move (×8: 625, 637, 707 against 611, 716, 702; ×32: 1,037, 1,031, 1,068 against 1,070, 1,169, 993), and at one sender each order paid for a transaction more. Nor folding the purchase history and the emails into the loyalty transaction: with neither written at all, the write's median did not move (31.0 against 30.9 ms, in a slow hour) — the loyalty lane is the batch's path, and the lanes beside it wait on other connections. Nor steady plans. On a busy day's new tables, PostgreSQL's generic plan of the awards statement, made on each connection at its first executions while the shop had few customers, went on scanning all of them as they grew, until autovacuum's next ANALYZE had it planned again: batch after batch the statement took 7 ms on one connection and 16 on the other, and at times 30–45. Custom plans for the batch's transaction (plan_cache_mode) made it steady at 9.1–9.4 ms but cost 1.8 ms a batch once the generic plans were good (alternated rounds: 1,012, 892, 897 and 816 orders/s against 1,017, 942, 1,010 and 921). The statement's lock subquery, whose stale plan was the worst of those scans, is gone: the upsert holds the customers' rows already, in the same order. What sets the p99 is whole trains: at 32 senders a 5,000-order level's p99 is its 50th slowest answer, about the second-slowest train of some 156, so one hiccup of the machine, one pause of the collector's old generation (11–12 ms, every few seconds) or one gathering cut short sets it. The PostgreSQL section ran twice with this code, in slow phases of the machine (the floor at one sender 871 and 951 requests/s, against 1,079 at 02:36; the old code, run beside the new at one and eight senders, made the same 130–139 orders/s at one): at 04:55, 905 orders/s at 32 senders with a p99 of 77.2 ms, and at 05:24 (recorded above) 848 with 63.2. The run at 04:31 with the record beside the work, in a phase as slow (794 requests/s), made 908 with a p99 of 67.6. None met the target. In the scratch rounds just before (3,000 orders each at 32 senders, after the 8,000 and the ANALYZE above), this code made 876, 1,047, 1,034 and 1,094 orders/s with a p99 of 75, 43, 41 and 48 ms: three of four within the target, in a faster phase.

Since 2026-12-07 06:50 a linger that has its fewest goes on gathering while the train keeps coming — each next delivery within twice the time per delivery the gathering took — up to as many as the last batch had in flight (app/services/webhooks/group-commit.ts). At 32 senders on one app server every level started with eight batches of 31 (each batch and linger logged in the app server): the ramp's last batches had set the fewest at 31, and the 32nd delivery of each train arrived just after its batch had started, to be answered a whole batch late. With the tail, 92 of 94 batches held all 32 from a level's first. Alternated in one run, 3,000 orders a round on the same app server: 1,197, 1,205 and 1,410 orders/s with a p99 of 72.3, 41.3 and 37.0 ms without it, 1,237, 1,279 and 1,368 with 50.8, 40.9 and 34.8 with it. What is left of the tail is whole trains whose write took 30–75 ms instead of 17–20: a minor collection (one every 95 orders or so, pausing the app server 5–10 ms, 5–8 % of its time) or a hiccup of the machine in the middle of a write. A young generation of 64 MB once more: a quarter as many collections, of 15–20 ms each, and more slow writes. The section ran once with this code and the ×24 level, at 06:52, with the floor at one sender at 870 requests/s (1,079 at 02:36): ×24 976.6 orders/s with a p99 of 44.6 ms, 2 % short of the target; ×32 920.6 with 58.1.

Since 2026-12-07 10:20 the PostgreSQL levels start with the tables' statistics as autovacuum keeps them. This machine's PostgreSQL runs with autovacuum off (its CI configuration, /etc/postgresql/15/main/conf.d/90-ci.conf), so until then a run's tables, grown from nothing to some 50,000 orders, were never analyzed, and the app's connections kept the generic plans they had made of their prepared statements on nearly empty tables. A production PostgreSQL analyzes a table once a tenth of it has changed (autovacuum is on unless turned off), and ANALYZE has every connection plan its statements again. So where autovacuum is off, the run analyzes before each level, off the clock (bench/webhooks.ts); with it on, the run leaves it to autovacuum. It is the database's CPU that tells: per order at ×24, 0.68 ms at 06:52 and 0.68–0.79 ms in the earlier runs without it, 0.40 ms with it, where the scratch runs that analyzed had measured 0.41–0.50. The section ran with it twice. At 10:21, the floor at one sender at 1,030 requests/s: ×8 811 orders/s with a p99 of 32.1 ms; ×24 1,404.8 with 35.1, within the target; ×32 1,525.8 with 61.3; ×64 1,574.8 with 101.9. At 10:38 (recorded above), the floor at 1,008: ×8 823 with 21.6; ×24 1,343.4 with 30.8 and ×32 1,507.9 with 38.0, both within it; ×64 1,568 with 81.0. At 10:53, from a fresh clone with \`npm run bench -- --only ingest --db postgresql\` (the floor at 885): ×8 894 with 21.3; ×24 1,436.4 with 28.4, within it; ×32 1,467.7 with 55.7; ×64 1,692.6 with 76.7. The machine was quicker than at 06:52 (the floor's CPU per request 0.64–0.71 ms at ×24 and ×32 against 0.76–0.80), but not by what the database's share fell. At 11:24, with the CPU census counting the time of processes that ended during a level (bench/stats.ts: a backend that disconnected had left the database's CPU per event negative), the machine was in a slow phase: the floor took 1.03 ms of CPU per request at ×24 (0.67–0.71 in the three runs before) and answered 1,651 requests/s there (2,435–2,488), and the full path's CPU per order rose with it, 1.36 ms against 0.87–0.94: ×8 653 with 25.8; ×24 1,007.3 with 69.8 and ×32 1,025.1 with 74.2, above 1,000 orders/s but not under 50 ms; ×64 1,455.6 with 97.6. At 12:05 (recorded above), the machine between the two (the floor's CPU per request 0.93 ms at ×24, 1,874 requests/s there): ×8 724 with 23.4; ×24 1,074.7 with 37.5 and ×32 1,209.1 with 48.2, both within the target; ×64 1,403.9 with 96.0. Of the five runs with the tables analyzed, four met the target and the one in the slowest phase did not: on these two cores it is met unless they run a third slower than at their best.

What a batch is. On PostgreSQL it is a handful of round trips. At the same time: the loyalty transaction in three — BEGIN, the orders' locks, the customers' upsert, the duplicate check and the customers' tier facts in one (statements with their values written in, escaped, which the simple query protocol takes several at a time: app/db/direct.ts), then the awards, ledger entries and balances, then the tier moves with COMMIT — the purchase history in one, and the batch's thank-you emails queued with their keys in three (this shop sends them, as a merchant's does). Then the events' record, once, as processed. Multi-row inserts pass their rows as one JSON parameter, and the rest are named prepared statements. All of them skip Prisma's client for node-postgres, on the pool its adapter uses (measured alone, a raw statement through the client took 0.75 ms and 0.55 ms of CPU, directly 0.3 ms and 0.15 ms). PostgreSQL's plans matter as much. With a batch's customers passed as JSON, whose row count the planner guesses at 100, it read every customer of the shop twice per batch to find the two it wanted, and the tier read went through the shop's index to all of the shop's customers, while a busy day's fresh tables had no statistics yet. Arrays, and a shop check no index serves, keep both on the primary key (app/models/ledger.server.ts, tier.server.ts). The production server (scripts/serve.mjs) answers \`POST /webhooks\` from node:http before Express and Remix. In an app server's profile at 8 senders, socket writes are 22 % of its busy time (a response per delivery, the batch's statements: a write costs dearly on this virtual machine), the garbage collector 10 %, parsing payloads with 64-bit ids 6 %, validating them 7 %, the HMAC 4 %. The sender writes requests serialized before the clock on raw kept-alive sockets (bench/http-sender.ts).

Machines differ. The same code took about half the CPU per order on the Intel Xeon of 2026-12-06's morning as on the AMD EPYC of its evening, and the Xeon of that night was slower than either (3.1–3.3 ms at 8 senders before the linger, against the AMD EPYC's 2.7). Each table here names the machine that measured it, figures of one machine compare with each other, and the CPU per order is the measure to carry to another.

Queue mode's intake answers sooner, but its workers then do the work on the same cores, a second handling of every event: with both running, fewer events per second reach the ledger than inline does on its own (the tables above). On one machine inline is the better use of the cores. Queue mode is for spreading the work over more machines (docs/deployment.md), and the production answer to a bigger sale is more app servers and workers on more cores.

SQLite runs on the app server's own thread, and its driver's promises resolve as microtasks. Until 2026-12-06 a chain of statements — the in-process worker taking job after job, the minute's co-purchase fold — never gave the event loop back, so the requests arriving meanwhile were neither read nor answered for seconds (a p99 of 3 to 5 s) and no batch could gather them. Now the loop gets a turn every 10 ms of statements outside a transaction (app/db/libsql.ts), and the worker yields before each job: at 64 senders inline went from 146 to some 1,000 orders/s and its p99 from 4.8 s to about half a second. Queue mode's p99 at 8 senders went from 3 s to 30 ms. A level's new connections cost SQLite more. libuv, under Node, accepts one new connection per turn of the event loop (since libuv's "don't accept() connections in a loop", 2022), and on SQLite a turn lasts as long as a batch's transaction, 20–40 ms. When the run jumped from 16 senders to 64, the 48 connections opened at once were accepted one per batch, the last after 1.4 s, while the senders already connected were answered within 0.2 s: a p99 of 0.5–0.9 s at 64 senders, for that reason alone. On PostgreSQL, whose statements leave the loop free, the same 48 were accepted within 70 ms. Since 2026-12-06 each level starts off the clock, with its connections open and its batches formed (bench/webhooks.ts), as a sale's traffic builds rather than jumps: the figures are the level's, not the jump's. The one SQLite connection is still shared by the webhooks' batches and the in-process jobs. SQLite is the embedded default for a store's first steps; a flash sale is PostgreSQL's.

Still open on SQLite (2026-12-07): the app server's event loop is sometimes held for seconds. The run at 11:08 had one such hold at inline ×64 (a p99 of 12.2 s: the 64 deliveries in flight all waited), and the one at 07:08 probably one at inline ×24 (313 orders/s, each order costing twice the CPU, while its p99 stayed at 78 ms: 24 answers are under 1 % of a level). The run at 11:47 (recorded above) had a monitor in its app servers (a 50 ms timer reporting each late turn, and the jobs' log lines timed): while the in-process worker drained queue mode's backlog, the minute's co-purchase fold held the loop for 22.8, 8.5 and 13.8 s, at 11:58, 11:59 and 12:00, each hold starting on the minute and ending half a second before the fold's log line; in the other levels its folds of up to 10,000 orders held it for 0.3–0.6 s at a time. At 11:58 and 11:59 no other scheduled job ran; at 11:55 the five-minute metafields scan (since 2026-12-07 11:45 writing its jobs a page of 500 per transaction, the loop taking its turn between pages: app/jobs/queue.server.ts) ran with the fold and held it for no more than 0.4 s. The holds match the fold's batches one for one: 9,432 orders in 189 batches of 50 at some 120 ms each, 22.8 s; 3,224 orders, 8.5 s; 4,893, 13.8 s. Each batch is a transaction, and on SQLite a transaction's statements, its BEGIN included, give the loop no turn (app/db/libsql.ts); why the other levels' folds held it only 0.3–0.6 s at a time was not established (there the webhooks' batches contend with the fold's for the one connection). Since 2026-12-07 12:40 the fold gives the loop a turn between its batches (app/services/offers/history.server.ts, with a test that fails without it); in the run at 12:52 (recorded above, with the same monitor) the drain's folds of 9,667, 5,154 and 3,064 orders held the loop for 0.44 s at most.
`);
}
if (bundleFigures) {
  parts.push(`## Extension bundle${when("bundle")}

| extension | bytes | compressed | Shopify's limit |
| --- | --- | --- | --- |
| ${bundleFigures.name} | ${bundleFigures.bytes} | ${bundleFigures.gzipBytes} | ${bundleFigures.limitGzipBytes} |
`);
}
if (endpoint.length) {
  parts.push(`## Offers endpoint (the thank-you extension's answer: points and offers)${whenRows("offers", endpoint)}

answerExtension — the extension route minus the session token check — for distinct orders with varied baskets (a fifth ahead of their webhook), over ${endpoint[0].products} products and the co-purchase statistics of ${endpoint[0].orders} orders, with merchant rules and an A/B test. Target: p99 < ${targets.offersP99Ms} ms.

| database | concurrency | requests | p50 ms | p99 ms | requests/s | errors | with "bought together" |
| --- | --- | --- | --- | --- | --- | --- | --- |
${endpoint.flatMap((e) => e.load.map((l) => `| ${e.provider} | ${l.concurrency} | ${l.requests} | ${l.p50Ms} | ${l.p99Ms} | ${l.perSecond} | ${l.errors} | ${Math.round(e.boughtTogetherShare * 100)} % |`)).join("\n")}

What an answer costs: one raw statement reads the order's history row and award, the token's customer and the precomputed recommendations of the products the extension sent (orderViewFacts; read again only when orders/paid recorded other products); the shop's rules, settings, running tests and best-sellers and the candidates' catalog items come from the per-process cache (catalog misses: one raw statement); one INSERT … ON CONFLICT DO NOTHING records the impressions. On 20,000 orders, moving from four client queries to these took PostgreSQL's p99 from 15.8 to 8.8 ms at ×1 and from 39.6 to 15.6 ms at ×4; on PostgreSQL they now skip Prisma's client (app/db/direct.ts). The size of the history hardly matters: every read is an index lookup. At ×4 the callers and the database share the two cores (and SQLite's callers its one connection), so the p99 follows the machine: on this one (2026-12-06) both databases are well within the target; on the earlier AMD EPYC machine (2026-12-05) PostgreSQL's p99 at ×4 was 23 ms and SQLite's 25 ms.
`);
}
if (copurchase.length) {
  parts.push(`## Co-purchase build${whenRows("offers", copurchase)}

The history import's path (recordPurchases, ${copurchase[0].ordersPerTransaction} orders per transaction) over ${copurchase[0].orders} orders, then the full top-K precompute; then one more order as orders/paid records it (storeUnfoldedPurchase), and one recorded and folded by the fold job alone (foldRecordedOrders: its counts and its products' lists refreshed).

| database | orders | build s | orders/s | peak RSS MB (before) | buyer-products | pairs | precompute s | orders/paid's record p50 / p99 ms | record + fold + refresh p50 / p99 ms |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${copurchase.map((c) => `| ${c.provider} | ${c.orders} | ${c.buildSeconds} | ${c.ordersPerSecond} | ${c.peakRssMb} (${c.baselineRssMb}) | ${c.rows.buyerProducts} | ${c.rows.pairs} | ${c.precomputeSeconds} | ${c.incremental.p50Ms} / ${c.incremental.p99Ms} | ${c.incrementalWithRefresh.p50Ms} / ${c.incrementalWithRefresh.p99Ms} |`).join("\n")}

The build slows along the way by design of the data: customers order about four times over the store's history (a few loyal ones far more), so a later order's buyer has bought more before, and each of its products pairs with all of them. Peak RSS is that of the database's own process (each runs in one), precompute and the endpoint's caches included; it no longer grows with every transaction on SQLite, whose driver used to leave a connection open per transaction (app/db/libsql.ts). Its statements are raw, with time-ordered ids (appends to the primary keys' indexes); what remains is mostly the databases' own work on the pairs' unique index. Real imports are paced by the Admin API (a page of 100 orders per request, rate-limited), well below these rates.
`);
}
if (dashboardFigures) {
  const dashboard = dashboardFigures;
  const names = Object.keys(dashboard.periods[0].parts);
  parts.push(`## Results dashboard (home page loader) on a store with ${dashboard.orders} orders${when("results")}

PostgreSQL. The first 365-day load computes and stores the closed days (DailyStat) and the closed parts of the distinct-customer figures (WindowStat), as a first visit after install does (afterwards the nightly job stores them): ${dashboard.firstLoadMs} ms. Then, per period, the loader's p50/p99 and each part's median (ms): repeatCustomers and activeMembers are the cached closed part plus today's live merge; the sections read their day-by-day counts from DailyStat. Target: ~${targets.dashboardMs} ms.

| period | runs | p50 ms | p99 ms | ${names.join(" | ")} |
| --- | --- | --- | --- | ${names.map(() => "---").join(" | ")} |
${dashboard.periods.map((p) => `| ${p.period} | ${p.loader.requests} | ${p.loader.p50Ms} | ${p.loader.p99Ms} | ${names.map((n) => p.parts[n]).join(" | ")} |`).join("\n")}
`);
}
fs.writeFileSync(path.join(here, "results.md"), parts.join("\n"));
console.log(`\nWrote bench/results.json and bench/results.md`);
