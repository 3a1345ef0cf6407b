// Webhook ingest: orders/paid through the real built app (scripts/serve.mjs, real
// HMAC verification, into the ledger) and, as the floor, the least any
// receiver must do — verify the HMAC and insert the raw event — with no
// framework around it. Both answer the same signed requests on the same
// database, so the ratio is the price of everything Encore does on top.
import { createHmac, timingSafeEqual, randomUUID } from "node:crypto";
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { createClient } from "@libsql/client";
import { configureSandboxEmails, configureSandboxTiers, startStack, SANDBOX_API_SECRET, type Stack } from "../sandbox/stack.ts";
import { buildCustomers, createOrderStream, seedStore, SHOP } from "../sandbox/store/index.ts";
import { webhookHeaders } from "../sandbox/webhooks.ts";
import { dropDatabase, freshDatabase, type Provider } from "./db.ts";
import { RawHttpClient, requestBytes } from "./http-sender.ts";
import { cpuCensus, cpuPerRequest, runLoad, runLoadWithCpu, type LoadResult } from "./stats.ts";

export type { Provider };

export interface IngestResult {
  provider: Provider;
  /** inline: the order is credited before the answer; queue: recorded and enqueued (ENCORE_WEBHOOKS=queue). */
  mode: "inline" | "queue";
  /** App server processes taking the requests in turn, as behind a load balancer. */
  appServers: number;
  concurrency: number;
  full: LoadResult;
  floor: LoadResult;
  /** full p50 latency / floor p50 latency */
  latencyRatio: number;
  /** floor throughput / full throughput */
  throughputRatio: number;
}

/**
 * Queue mode as it runs on a busy day: the workers (PostgreSQL; SQLite's app
 * server works its own queue) process while the intake takes the webhooks,
 * on the same cores. `answers`: the intake's answers; `ledgerPerSecond`: the
 * events over the time from the first sent to the last one's ledger entry.
 */
export interface SteadyResult {
  provider: Provider;
  workers: number;
  concurrency: number;
  events: number;
  answers: LoadResult;
  ledgerSeconds: number;
  ledgerPerSecond: number;
}

/** Queue mode's other half: how fast the workers turn the recorded events into ledger entries. */
export interface DrainResult {
  provider: Provider;
  /** Worker processes (PostgreSQL); on SQLite the app server works its jobs itself. */
  workers: number;
  events: number;
  seconds: number;
  perSecond: number;
}

/** A signed delivery, ready to send: Shopify signs before it sends, so the signing is not timed. */
type Delivery = Buffer;

/**
 * A big store's sale: its buyers are many, and few buy twice in an hour (the
 * sandbox store's 150 customers would make every batch wait on the same
 * customers' rows, as no busy store's do).
 */
const BUYERS = 20_000;

/** Distinct paid orders from the seeded store's catalog, each with its customer, signed as Shopify delivers them. */
function paidOrders(count: number): Delivery[] {
  const { catalog } = seedStore(3);
  const customers = buildCustomers(3, BUYERS);
  const stream = createOrderStream({ catalog, customers, seed: 3, start: new Date("2026-11-27T00:00:00Z"), refundRate: 0, cancelRate: 0, guestRate: 0 });
  const deliveries: Delivery[] = [];
  while (deliveries.length < count) {
    for (const e of stream.next()) {
      if (e.topic !== "orders/paid") continue;
      const body = JSON.stringify(e.payload);
      // A retry carries the same webhook and event ids, as Shopify's do.
      const headers = webhookHeaders({ topic: "orders/paid", shop: SHOP.domain, body, secret: SANDBOX_API_SECRET, apiVersion: "2026-10", webhookId: randomUUID(), eventId: randomUUID() });
      deliveries.push(requestBytes("POST", "/webhooks", headers, body));
    }
  }
  return deliveries.slice(0, count);
}

/**
 * Sends deliveries[offset + i], taking the servers in turn as a round-robin
 * load balancer does. A delivery that fails (a 5xx, or a connection the
 * server dropped) is counted as an error and noted in `failed`, for `redeliver`.
 */
function signedSend(clients: RawHttpClient[], deliveries: Delivery[], offset: number, failed: number[] = []) {
  return async (i: number) => {
    const ok = (await clients[i % clients.length].send(deliveries[offset + i])) === 200;
    if (!ok) failed.push(offset + i);
    return ok;
  };
}

/** Shopify's retries, after the measured run: every failed delivery again until it is accepted. */
async function redeliver(clients: RawHttpClient[], deliveries: Delivery[], failed: number[]) {
  for (const index of failed.splice(0)) {
    for (let attempt = 1; (await clients[0].send(deliveries[index])) !== 200; attempt++) {
      if (attempt === 8) throw new Error(`delivery ${index} was refused 8 times`);
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/** The floor: HMAC check + one INSERT of the raw event, on node:http. */
async function startFloor(provider: Provider, url: string) {
  let insert: (id: string, body: string) => Promise<unknown>;
  let close: () => Promise<unknown>;
  if (provider === "postgresql") {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    await pool.query("CREATE TABLE IF NOT EXISTS bench_floor (id text PRIMARY KEY, shop text NOT NULL, payload text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())");
    insert = (id, body) => pool.query("INSERT INTO bench_floor (id, shop, payload) VALUES ($1, $2, $3)", [id, SHOP.domain, body]);
    close = () => pool.end();
  } else {
    const client = createClient({ url });
    // The app server holds the same file: wait for its locks instead of failing.
    await client.execute("PRAGMA busy_timeout = 5000");
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("CREATE TABLE IF NOT EXISTS bench_floor (id TEXT PRIMARY KEY, shop TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
    insert = (id, body) => client.execute({ sql: "INSERT INTO bench_floor (id, shop, payload) VALUES (?, ?, ?)", args: [id, SHOP.domain, body] });
    close = async () => client.close();
  }
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    const expected = createHmac("sha256", SANDBOX_API_SECRET).update(raw).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    try {
      await insert(String(req.headers["x-shopify-event-id"] ?? req.headers["x-shopify-webhook-id"]), raw.toString("utf8"));
    } catch {
      // Counted as an error by the sender, as a failed app answer is.
      res.writeHead(500).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const client = new RawHttpClient(`http://127.0.0.1:${port}/webhooks`);
  return {
    client,
    stop: async () => {
      client.close();
      await new Promise((r) => server.close(r));
      await close();
    },
  };
}

const ratios = (full: LoadResult, floor: LoadResult) => ({
  latencyRatio: Math.round((full.p50Ms / Math.max(floor.p50Ms, 0.01)) * 10) / 10,
  throughputRatio: Math.round((floor.perSecond / Math.max(full.perSecond, 0.01)) * 10) / 10,
});

/**
 * Both modes on one database: inline (each level's requests to the app and to
 * the floor), then queue mode — the intake at each level, then the workers
 * draining what it recorded. Every order must reach the ledger exactly once.
 */
export async function benchWebhookIngest(
  provider: Provider,
  levels: number[],
  perLevel: number,
  log: (s: string) => void,
  // One app server. On PostgreSQL inline runs again with one per core, as a
  // load balancer would spread them: on two cores that also run the database
  // it is the worse use of them — each server's batches hold half the
  // deliveries in flight, so twice the round trips per order, and more
  // processes take turns on the cores (bench/results.md has both).
  { workers = 2, perCore = provider === "postgresql" ? os.cpus().length : 1 } = {},
): Promise<{ ingest: IngestResult[]; drain: DrainResult; steady: SteadyResult[] }> {
  const url = freshDatabase(provider, "encore_bench");
  // Every app server gets its warm-up: enough for the JIT to have compiled
  // the whole path (with 20, the first level ran half warm and the figures of
  // one run varied by a third).
  const WARM_UP = 250;
  // Each level starts off the clock: its senders' connections open and its
  // batches formed. A sale's traffic builds; jumping from 8 senders to 32 in
  // an instant opens 24 connections at once, which an app server accepts one
  // per turn of its event loop (libuv), and its first batches are the size of
  // the last level's: the first requests of a level measured the jump.
  const ramp = (concurrency: number) => 4 * concurrency;
  const perPass = levels.reduce((sum, c) => sum + ramp(c) + perLevel, 0);
  const passes = perCore > 1 ? [1, perCore] : [1];
  const inlineEvents = passes.reduce((sum, servers) => sum + WARM_UP * servers + perPass, 0);
  const perMode = WARM_UP + perPass;
  const steadyEvents = perLevel * levels.length;
  const deliveries = paidOrders(inlineEvents + perMode + steadyEvents);
  const floor = await startFloor(provider, url);
  const results: IngestResult[] = [];
  const steady: SteadyResult[] = [];
  let drain: DrainResult;
  try {
    const floors: LoadResult[] = [];
    const inline = await startStack({ databaseUrl: url, verbose: Boolean(process.env.BENCH_VERBOSE) });
    try {
      await finishInstallJobs(inline, provider, url);
      // As a merchant runs Encore: each paid order also queues its thank-you
      // email (due after the run, so none is sent during it) and places its
      // buyer in a VIP tier.
      await configureSandboxEmails(inline, { thankYouDelayMinutes: 120 });
      await configureSandboxTiers(inline);
      const failed: number[] = [];
      // The floor answers the levels' requests once, the first pass's (the
      // same bodies); its warm-up sends the first pass's warm-up again.
      await runLoad(WARM_UP, 16, signedSend([floor.client], deliveries, 0));
      let offset = 0;
      for (const appServers of passes) {
        const apps = await appClients(inline, appServers);
        // Warm-up: JIT, connection pools, prepared statements.
        await runLoad(WARM_UP * appServers, 16, signedSend(apps, deliveries, offset, failed));
        offset += WARM_UP * appServers;
        for (const [n, concurrency] of levels.entries()) {
          await analyzeAsAutovacuumWould(provider, url);
          if (appServers === 1) await runLoad(ramp(concurrency), concurrency, signedSend([floor.client], deliveries, offset));
          await runLoad(ramp(concurrency), concurrency, signedSend(apps, deliveries, offset, failed));
          offset += ramp(concurrency);
          const full = await runLoadWithCpu(perLevel, concurrency, signedSend(apps, deliveries, offset, failed));
          if (appServers === 1) floors.push(await runLoadWithCpu(perLevel, concurrency, signedSend([floor.client], deliveries, offset)));
          offset += perLevel;
          results.push({ provider, mode: "inline", appServers, concurrency, full, floor: floors[n], ...ratios(full, floors[n]) });
          log(`  ${provider} inline ×${concurrency} on ${appServers}: ${full.perSecond}/s p50 ${full.p50Ms} ms p99 ${full.p99Ms} ms (floor ${floors[n].perSecond}/s p50 ${floors[n].p50Ms} ms) errors ${full.errors}`);
        }
        apps.forEach((client) => client.close());
      }
      await redeliver(await appClients(inline, 1), deliveries, failed);
    } finally {
      await inline.stop();
    }
    if ((await countEarnEntries(provider, url)) !== inlineEvents) throw new Error(`inline: the ledger does not have ${inlineEvents} earn entries`);

    // Queue mode: on PostgreSQL the app servers only enqueue and the workers
    // start once the intake is done, so the two are measured apart; on SQLite
    // the one process works its own queue while it takes webhooks.
    const queued = await startStack({ databaseUrl: url, env: { ENCORE_WEBHOOKS: "queue" }, verbose: Boolean(process.env.BENCH_VERBOSE) });
    try {
      await finishInstallJobs(queued, provider, url);
      const apps = await appClients(queued, 1);
      const failed: number[] = [];
      const send = (offset: number) => signedSend(apps, deliveries, inlineEvents + offset, failed);
      const started = performance.now();
      await runLoad(WARM_UP, 16, send(0));
      let offset = WARM_UP;
      for (const [n, concurrency] of levels.entries()) {
        await analyzeAsAutovacuumWould(provider, url);
        await runLoad(ramp(concurrency), concurrency, send(offset));
        offset += ramp(concurrency);
        const full = await runLoadWithCpu(perLevel, concurrency, send(offset));
        offset += perLevel;
        results.push({ provider, mode: "queue", appServers: 1, concurrency, full, floor: floors[n], ...ratios(full, floors[n]) });
        log(`  ${provider} queue intake ×${concurrency}: ${full.perSecond}/s p50 ${full.p50Ms} ms p99 ${full.p99Ms} ms errors ${full.errors}`);
      }
      await redeliver(apps, deliveries, failed);
      let drainStarted = started;
      if (provider === "postgresql") {
        for (let i = 0; i < workers; i++) queued.startWorker();
        // The clock starts with the first event processed, past the workers' start-up.
        await until(async () => (await countEarnEntries(provider, url)) > inlineEvents, "the workers' first event", 60_000, 20);
        drainStarted = performance.now();
      }
      await until(async () => (await countEarnEntries(provider, url)) >= inlineEvents + perMode, "the workers to process every event", 30 * 60_000);
      const seconds = (performance.now() - drainStarted) / 1000;
      drain = { provider, workers: provider === "postgresql" ? workers : 0, events: perMode, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round((perMode / seconds) * 10) / 10 };
      log(`  ${provider} queue drain: ${drain.perSecond} events/s (${drain.workers || "in-process"} workers)`);

      // Then intake and workers at once, the workers idle at each start.
      const counter = await earnCounter(provider, url);
      try {
        for (const [n, concurrency] of levels.entries()) {
          await analyzeAsAutovacuumWould(provider, url);
          const before = await counter.count();
          const started = performance.now();
          const cpuBefore = cpuCensus();
          const answers = await runLoad(perLevel, concurrency, signedSend(apps, deliveries, inlineEvents + perMode + n * perLevel, failed));
          await redeliver(apps, deliveries, failed);
          await until(async () => (await counter.count()) >= before + perLevel, "the workers to keep up", 10 * 60_000, 10);
          const ledgerSeconds = (performance.now() - started) / 1000;
          // Intake and workers, each event from its request to its ledger entry.
          answers.cpuMs = cpuPerRequest(cpuBefore, cpuCensus(), perLevel);
          const result = {
            provider,
            workers: drain.workers,
            concurrency,
            events: perLevel,
            answers,
            ledgerSeconds: Math.round(ledgerSeconds * 100) / 100,
            ledgerPerSecond: Math.round((perLevel / ledgerSeconds) * 10) / 10,
          };
          steady.push(result);
          log(`  ${provider} queue with workers ×${concurrency}: answers ${answers.perSecond}/s p50 ${answers.p50Ms} ms p99 ${answers.p99Ms} ms; into the ledger ${result.ledgerPerSecond}/s`);
        }
      } finally {
        await counter.close();
      }
    } finally {
      await queued.stop();
    }
    // Exactly once: as many earn entries as orders, no more.
    const credited = await countEarnEntries(provider, url);
    if (credited !== inlineEvents + perMode + steadyEvents) throw new Error(`ledger has ${credited} earn entries, expected ${inlineEvents + perMode + steadyEvents}`);
  } finally {
    await floor.stop();
    dropDatabase(provider, "encore_bench");
  }
  return { ingest: results, drain, steady };
}

/**
 * The statistics a production database keeps. PostgreSQL's autovacuum
 * analyzes a table once a tenth of it has changed, and ANALYZE has the
 * connections plan their prepared statements again. A run's tables grow from
 * nothing to tens of thousands of rows; where autovacuum is off (as in some
 * CI configurations of PostgreSQL, this project's machines' among them) the
 * generic plans the app's connections make of their prepared statements on
 * the first, nearly empty tables would be kept all run — sequential scans of
 * tables grown a hundredfold, a cost no production database has. So there
 * the run analyzes before each level, off the clock. (SQLite's planner uses
 * no statistics unless ANALYZE has stored some: nothing to keep.)
 */
async function analyzeAsAutovacuumWould(provider: Provider, url: string) {
  if (provider !== "postgresql") return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SHOW autovacuum");
    if (rows[0].autovacuum === "off") await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

/** The stack's app server and as many more as asked for: a client of each (its sockets end with the servers). */
async function appClients(stack: Stack, servers: number): Promise<RawHttpClient[]> {
  const more = await Promise.all(Array.from({ length: servers - 1 }, () => stack.startAppServer()));
  return [stack.appUrl, ...more].map((u) => new RawHttpClient(`${u}/webhooks`));
}

async function until(done: () => Promise<boolean>, what: string, limitMs: number, everyMs = 250) {
  const deadline = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * What installing queued (the catalog and order history imports) is done
 * before the clock, as it would be long before a sale: the figures are
 * webhooks only. SQLite's app server works its own queue; on PostgreSQL a
 * worker does, stopped once they are done.
 */
async function finishInstallJobs(stack: Stack, provider: Provider, url: string) {
  if (provider === "postgresql") stack.startWorker();
  await until(async () => Object.keys(await installJobsLeft(provider, url)).length === 0, "the install's jobs", 5 * 60_000).catch(async (error: Error) => {
    throw new Error(`${error.message}: ${JSON.stringify(await installJobsLeft(provider, url))} left`);
  });
  await stack.stopWorkers();
}

/** The ledger's earn entries, counted again and again on one connection (the steady phase polls every 10 ms). */
async function earnCounter(provider: Provider, url: string): Promise<{ count: () => Promise<number>; close: () => Promise<void> }> {
  if (provider === "postgresql") {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return { count: async () => (await client.query(EARN_COUNT.postgresql)).rows[0].n, close: () => client.end() };
  }
  const client = createClient({ url });
  return { count: async () => Number((await client.execute(EARN_COUNT.sqlite)).rows[0].n), close: async () => client.close() };
}

/** One count from the database at `url` (a new connection: the bench polls from outside the app). */
async function countOf(provider: Provider, url: string, sql: { postgresql: string; sqlite: string; args?: number[] }): Promise<number> {
  if (provider === "postgresql") {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql.postgresql, sql.args)).rows[0].n;
    } finally {
      await client.end();
    }
  }
  const client = createClient({ url });
  try {
    return Number((await client.execute({ sql: sql.sqlite, args: sql.args ?? [] })).rows[0].n);
  } finally {
    client.close();
  }
}

// The install's imports (the history's a minute after the catalog's), and
// the offers jobs they lead to once due. Not the shop's other scheduled work
// (the metafields and reward scans, a delayed email): a store runs those
// through a sale, and the workers take them with the webhooks' events.
const INSTALL_JOBS = ["offers.catalog-sync", "offers.history-import"];

/** The install's jobs still to run, by name: pg-boss's or plainjob's (its own file beside the database's: sqliteQueueFile in app/jobs/queue.server.ts). */
async function installJobsLeft(provider: Provider, url: string): Promise<Record<string, number>> {
  const left: Record<string, number> = {};
  const names = INSTALL_JOBS.map((n) => `'${n}'`).join(", ");
  if (provider === "postgresql") {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT name, count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND (name IN (${names}) OR (name LIKE 'offers.%' AND start_after <= now())) GROUP BY name`,
      );
      for (const row of rows) left[row.name] = row.n;
    } finally {
      await client.end();
    }
  } else {
    const client = createClient({ url: url.replace(/(\.[^./]*)?$/, ".jobs$1") });
    try {
      const { rows } = await client.execute({
        sql: `SELECT type, count(*) AS n FROM plainjob_jobs WHERE status IN (0, 1) AND (type IN (${names}) OR (type LIKE 'offers.%' AND next_run_at <= ?)) GROUP BY type`,
        args: [Date.now()],
      });
      for (const row of rows) left[String(row.type)] = Number(row.n);
    } finally {
      client.close();
    }
  }
  return left;
}

const EARN_COUNT = {
  postgresql: `SELECT count(*)::int AS n FROM "LedgerEntry" WHERE type = 'earn'`,
  sqlite: `SELECT count(*) AS n FROM "LedgerEntry" WHERE type = 'earn'`,
};
const countEarnEntries = (provider: Provider, url: string) => countOf(provider, url, EARN_COUNT);
