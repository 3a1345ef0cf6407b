// The job queue behind the contract in ./types.ts, on two well-kept libraries
// chosen by DATABASE_URL (see README, "Background jobs"):
//
// - SQLite (embedded default): plainjob, in-process, on `node:sqlite` (Node's
//   built-in SQLite speaks the better-sqlite3 surface plainjob needs, so no
//   native addon is installed). Its tables live in a file beside the app's
//   database (`dev.sqlite` → `dev.jobs.sqlite`) so that polling never takes
//   the app database's write lock while a webhook is being answered.
// - PostgreSQL (at scale): pg-boss, in the app's database (schema `pgboss`),
//   with `npm run worker` processes doing the work and the web process only
//   enqueueing.
//
// What the two modes share, so a job behaves the same on both:
// - Dedupe: a permanent (name, key) row written in the SAME transaction as the
//   job, so a second enqueue with the key is ignored forever — not just while
//   the first job is still queued (pg-boss's singletonKey) or at all
//   (plainjob has no keys).
// - Retries: `retryLimit` attempts in all, with pg-boss's exponential backoff
//   formula (base × 2^(n-1)…2^n, jittered). pg-boss applies it natively; for
//   plainjob the wrapper below re-enqueues the next attempt with that delay.
// - runAt (delayed jobs) and cron schedules (UTC), persisted, surviving
//   restarts; graceful stop waits for running jobs.
import { DatabaseSync } from "node:sqlite";
import path from "node:path";
import { CronExpressionParser } from "cron-parser";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { defineQueue, defineWorker, type Connection } from "plainjob";
import type { Db } from "../db.server";
import { databaseTarget } from "../db/target";
import { poolTransaction, statementName } from "../db/direct";
import { firstOfEachKey, type Enqueue, type EnqueueMany, type EnqueueOptions, type JobContext, type JobDefinition, type JobPayload } from "./types";

export const DEFAULT_ATTEMPTS = 5;

export interface JobQueueOptions {
  db: Db;
  definitions: readonly JobDefinition<never>[];
  /** Defaults to DATABASE_URL. */
  url?: string;
  now?: () => Date;
  log?: JobContext["log"];
  /** Backoff base in seconds (default 30): attempt n waits base × 2^(n-1)…2^n. */
  retryDelaySeconds?: number;
  /** How often an idle worker looks for due jobs (default 1000 ms). */
  pollIntervalMs?: number;
  /** A running job not finished after this long is handed to another worker (default 15 min). */
  expireSeconds?: number;
}

export interface JobQueue {
  readonly kind: "sqlite" | "postgresql";
  enqueue: Enqueue;
  enqueueMany: EnqueueMany;
  /** Starts working the definitions' jobs and schedules in this process. */
  start(): Promise<void>;
  /** Stops taking jobs, waits for running ones, closes connections. */
  stop(): Promise<void>;
  /** Names of the cron schedules registered by start(). */
  schedules(): Promise<string[]>;
  /** Jobs of `name` not yet finished (waiting, delayed, running or awaiting a retry). */
  pending(name: string): Promise<number>;
}

interface Envelope {
  payload: JobPayload;
  attempt: number;
}

/** pg-boss's backoff (types.d.ts, QueueOptions.retryBackoff), shared by both modes. */
export function backoffSeconds(base: number, retryCount: number, random = Math.random()): number {
  const exp = 2 ** Math.min(16, retryCount);
  return base * (exp / 2 + (exp / 2) * random);
}

export function sqliteQueueFile(url: string): string {
  const file = url.slice("file:".length).split("?")[0];
  const ext = path.extname(file);
  return `${ext ? file.slice(0, -ext.length) : file}.jobs${ext || ".sqlite"}`;
}

export function createJobQueue(options: JobQueueOptions): JobQueue {
  const target = databaseTarget(options.url ?? process.env.DATABASE_URL);
  return target.provider === "postgresql" ? pgBossQueue(target.url, options) : plainjobQueue(target.url, options);
}

function context(options: JobQueueOptions, enqueue: Enqueue, enqueueMany: EnqueueMany): JobContext {
  return {
    db: options.db,
    now: options.now ?? (() => new Date()),
    enqueue,
    enqueueMany,
    log: options.log ?? ((message, extra) => console.log(`[jobs] ${message}`, extra ?? "")),
  };
}

const attemptsOf = (d: JobDefinition<never>) => Math.max(1, d.retryLimit ?? DEFAULT_ATTEMPTS);
const concurrencyOf = (d: JobDefinition<never>) => Math.max(1, d.concurrency ?? 1);

// ---------------------------------------------------------------------------
// SQLite: plainjob on node:sqlite

/** plainjob's connection over node:sqlite's DatabaseSync (prepare/run/get/all/exec are compatible). */
function nodeSqliteConnection(db: DatabaseSync, filename: string): Connection {
  const transaction = <T extends (...args: never[]) => unknown>(fn: T) => {
    const inMode =
      (mode: string) =>
      (...args: Parameters<T>) => {
        db.exec(`BEGIN ${mode}`);
        try {
          const result = fn(...args);
          db.exec("COMMIT");
          return result;
        } catch (error) {
          db.exec("ROLLBACK");
          throw error;
        }
      };
    return Object.assign(inMode("DEFERRED"), { immediate: inMode("IMMEDIATE") });
  };
  return {
    driver: "better-sqlite3",
    filename,
    pragma: (statement: string) => db.exec(`PRAGMA ${statement}`),
    exec: (sql: string) => db.exec(sql),
    prepare: (sql: string) => db.prepare(sql),
    transaction,
    close: () => db.close(),
  } as unknown as Connection;
}

/**
 * An enqueueMany's payloads (and their keys) a page at a time, each page its
 * own transaction: a scan's thousands of jobs (a busy hour's changed
 * balances, a big store's lapsed customers) are not one statement or one
 * transaction. Keys are claimed with their own job, so a page commits alone;
 * a key repeated in a later page is already claimed by then.
 */
const ENQUEUE_PAGE = 500;
function* pagesOf(payloads: JobPayload[], keys: (string | undefined)[] | undefined) {
  for (let start = 0; start < payloads.length; start += ENQUEUE_PAGE) {
    yield { first: start === 0, payloads: payloads.slice(start, start + ENQUEUE_PAGE), keys: keys?.slice(start, start + ENQUEUE_PAGE) };
  }
}

function plainjobQueue(url: string, options: JobQueueOptions): JobQueue {
  const file = sqliteQueueFile(url);
  const sqlite = new DatabaseSync(file);
  const silent = { debug() {}, info() {}, warn: console.warn, error: console.error };
  const queue = defineQueue({
    connection: nodeSqliteConnection(sqlite, file),
    logger: silent,
    timeout: (options.expireSeconds ?? 900) * 1000,
    maintenanceInterval: 30_000,
  });
  sqlite.exec(`CREATE TABLE IF NOT EXISTS encore_job_keys (
    name TEXT NOT NULL, key TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (name, key))`);
  const claimKey = sqlite.prepare("INSERT OR IGNORE INTO encore_job_keys (name, key, created_at) VALUES (?, ?, ?)");
  // plainjob runs a new schedule at once; start it at its next occurrence instead, as pg-boss does.
  const firstRun = sqlite.prepare("UPDATE plainjob_scheduled_jobs SET next_run_at = ? WHERE type = ? AND next_run_at = 0");
  const listSchedules = sqlite.prepare("SELECT type FROM plainjob_scheduled_jobs ORDER BY type");
  const countPending = sqlite.prepare("SELECT COUNT(*) AS n FROM plainjob_jobs WHERE type = ? AND status IN (0, 1)");

  const add = (name: string, envelope: Envelope, runAt?: Date) =>
    queue.add(name, envelope, { delay: Math.max(0, (runAt?.getTime() ?? 0) - Date.now()) });

  const enqueue: Enqueue = async (name, payload, opts: EnqueueOptions = {}) => {
    sqlite.exec("BEGIN IMMEDIATE");
    try {
      const claimed = opts.key ? claimKey.run(name, opts.key, Date.now()).changes > 0 : true;
      if (claimed) add(name, { payload, attempt: 1 }, opts.runAt);
      sqlite.exec("COMMIT");
    } catch (error) {
      sqlite.exec("ROLLBACK");
      throw error;
    }
  };

  const enqueueMany: EnqueueMany = async (name, payloads, { keys, runAt } = {}) => {
    for (const page of pagesOf(payloads, keys)) {
      // node:sqlite is synchronous: without a turn between pages, a scan's
      // thousands of jobs held the app server's event loop, and the webhooks
      // it answers, for as long as they took. (A webhook batch's are one page.)
      if (!page.first) await new Promise((resolve) => setImmediate(resolve));
      sqlite.exec("BEGIN IMMEDIATE");
      try {
        const fresh = firstOfEachKey(page.payloads, page.keys, (key) => claimKey.run(name, key, Date.now()).changes === 0);
        for (const payload of fresh) add(name, { payload, attempt: 1 }, runAt);
        sqlite.exec("COMMIT");
      } catch (error) {
        sqlite.exec("ROLLBACK");
        throw error;
      }
    }
  };

  const ctx = context(options, enqueue, enqueueMany);
  const base = options.retryDelaySeconds ?? 30;
  const running: { stop: () => Promise<void>; done: Promise<void> }[] = [];
  let stopping = false;

  function startWorker(definition: JobDefinition<never>) {
    const worker = defineWorker(
      definition.name,
      async (job) => {
        // Let the event loop take its I/O first. A job's statements on SQLite
        // resolve as microtasks (the driver is synchronous underneath), and
        // plainjob takes the next job as soon as one ends: with a backlog the
        // worker never gave the loop back, and the webhooks arriving
        // meanwhile waited seconds for an answer (p99 3 s at 8 senders).
        await new Promise((resolve) => setImmediate(resolve));
        const parsed = JSON.parse(job.data) as Partial<Envelope>;
        // Cron runs arrive from plainjob's scheduler as `{}`.
        const envelope: Envelope = { payload: parsed.payload ?? {}, attempt: parsed.attempt ?? 1 };
        try {
          await definition.run(ctx, envelope.payload as never);
        } catch (error) {
          if (envelope.attempt >= attemptsOf(definition)) throw error;
          // The next attempt is a new row written before this one is marked
          // done: a crash in between runs the job again, never loses it.
          const delay = backoffSeconds(base, envelope.attempt) * 1000;
          add(definition.name, { payload: envelope.payload, attempt: envelope.attempt + 1 }, new Date(Date.now() + delay));
          ctx.log(`${definition.name} attempt ${envelope.attempt} failed; retrying`, { error: String(error) });
        }
      },
      {
        queue,
        logger: silent,
        pollIntervall: options.pollIntervalMs ?? 1000,
        onFailed: (job, error) => ctx.log(`${definition.name} failed after ${attemptsOf(definition)} attempts`, { id: job.id, error }),
      },
    );
    // A worker whose loop throws (e.g. SQLITE_BUSY beyond the busy timeout)
    // is restarted rather than left dead.
    const loop = async (): Promise<void> => {
      while (!stopping) {
        try {
          await worker.start();
        } catch (error) {
          ctx.log(`${definition.name} worker stopped unexpectedly; restarting`, { error: String(error) });
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    };
    running.push({ stop: () => worker.stop(), done: loop() });
  }

  let started = false;
  let closed = false;
  return {
    kind: "sqlite",
    enqueue,
    enqueueMany,
    async start() {
      if (started) return;
      started = true;
      for (const definition of options.definitions) {
        if (definition.cron) {
          queue.schedule(definition.name, { cron: definition.cron });
          const next = CronExpressionParser.parse(definition.cron, { tz: "UTC" }).next().getTime();
          firstRun.run(next, definition.name);
        }
        // plainjob's workers take one job at a time: run as many as the job's concurrency.
        for (let i = 0; i < concurrencyOf(definition); i++) startWorker(definition);
      }
    },
    async stop() {
      if (closed) return;
      closed = true;
      stopping = true;
      await Promise.all(running.map((r) => r.stop()));
      await Promise.all(running.map((r) => r.done));
      queue.close();
    },
    async schedules() {
      return (listSchedules.all() as { type: string }[]).map((r) => r.type);
    },
    async pending(name) {
      return Number((countPending.get(name) as { n: number }).n);
    },
  };
}

// ---------------------------------------------------------------------------
// PostgreSQL: pg-boss

const PG_SCHEMA = "pgboss";

function pgBossQueue(url: string, options: JobQueueOptions): JobQueue {
  // LISTEN/NOTIFY wakes idle workers as soon as a job is sent, instead of at their next poll.
  const boss = new PgBoss({ connectionString: url, schema: PG_SCHEMA, max: 4, useListenNotify: true });
  // A separate small pool runs every enqueue's statements, named (see
  // `named` below): a keyed one's transaction (key row + pg-boss's job row)
  // and, outside a transaction, pg-boss's insert alone.
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const base = options.retryDelaySeconds ?? 30;
  let ready: Promise<void> | null = null;

  // A transaction on the small pool; `opening` goes with BEGIN in one round
  // trip and fn gets its rows (see poolTransaction).
  const inTransaction = async (fn: (client: pg.PoolClient, opened: Record<string, unknown>[]) => Promise<void>, opening?: string) => {
    await poolTransaction(pool, (client, opened) => fn(client, opened[0] ?? []), { opening: opening ? [opening] : [] });
  };
  let working = false;

  const log = options.log ?? ((message: string, extra?: Record<string, unknown>) => console.log(`[jobs] ${message}`, extra ?? ""));
  boss.on("error", (error) => log("pg-boss error", { error: String(error) }));

  const prepare = () =>
    (ready ??= (async () => {
      await boss.start();
      // Workers often start together; CREATE TABLE IF NOT EXISTS is not safe
      // against a concurrent twin, so the creation is serialized by a lock.
      await inTransaction(async (client) => {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('encore_job_keys'))");
        await client.query(`CREATE TABLE IF NOT EXISTS ${PG_SCHEMA}.encore_job_keys (
          name text NOT NULL, key text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (name, key))`);
      });
      for (const definition of options.definitions) {
        const queueOptions = {
          retryLimit: attemptsOf(definition) - 1,
          retryDelay: base,
          retryBackoff: true,
          expireInSeconds: options.expireSeconds ?? 900,
          notify: true,
        };
        // Two processes may start at once: creating is first-wins, updating applies today's options.
        if (!(await boss.getQueue(definition.name))) await boss.createQueue(definition.name, queueOptions).catch(() => {});
        await boss.updateQueue(definition.name, queueOptions);
      }
    })());

  // The keys' claim, which a keyed enqueue's transaction opens with (see
  // inTransaction): the keys it returns are new, their jobs to insert.
  const claimKeys = (name: string, keys: string[]) =>
    `INSERT INTO ${PG_SCHEMA}.encore_job_keys (name, key) VALUES ${keys.map((k) => `(${pg.escapeLiteral(name)}, ${pg.escapeLiteral(k)})`).join(", ")} ON CONFLICT DO NOTHING RETURNING key`;

  // Statements inside our transactions (pg-boss's too), named (see statementName):
  // its insert is long, and PostgreSQL would parse and plan it every time.
  // Outside a transaction (an enqueue without keys: queue mode's intake, once
  // per batch of deliveries) they run named on the pool itself.
  const named = (client: pg.PoolClient | pg.Pool) => ({ executeSql: (text: string, values?: unknown[]) => client.query({ name: statementName(text), text, values }) });
  const pooled = named(pool);

  const enqueue: Enqueue = async (name, payload, opts: EnqueueOptions = {}) => {
    await prepare();
    const startAfter = opts.runAt ? { startAfter: opts.runAt } : {};
    // Without a key there is nothing to write beside the job: one statement.
    if (!opts.key) {
      await boss.send(name, payload, { ...startAfter, db: pooled });
      return;
    }
    await inTransaction(async (client, claimed) => {
      if (claimed.length) await boss.send(name, payload, { ...startAfter, db: named(client) });
    }, claimKeys(name, [opts.key]));
  };

  // One statement for all (pg-boss's insert takes the queue's retry options,
  // as send does); with keys, a transaction opened with their claim (BEGIN
  // and the claim in one round trip), the insert, COMMIT.
  const enqueueMany: EnqueueMany = async (name, payloads, { keys, runAt } = {}) => {
    await prepare();
    const job = (data: JobPayload) => ({ data, ...(runAt ? { startAfter: runAt } : {}) });
    for (const page of pagesOf(payloads, keys)) {
      if (!page.keys?.some((k) => k !== undefined)) {
        await boss.insert(name, page.payloads.map(job), { db: pooled });
        continue;
      }
      const wanted = [...new Set(page.keys.filter((k): k is string => k !== undefined))];
      await inTransaction(async (client, rows) => {
        const claimed = new Set(rows.map((r) => r.key));
        const fresh = firstOfEachKey(page.payloads, page.keys, (key) => !claimed.has(key));
        if (fresh.length) await boss.insert(name, fresh.map(job), { db: named(client) });
      }, claimKeys(name, wanted));
    }
  };

  const ctx = context(options, enqueue, enqueueMany);
  let closed = false;
  return {
    kind: "postgresql",
    enqueue,
    enqueueMany,
    async start() {
      if (working) return;
      working = true;
      await prepare();
      const pollingIntervalSeconds = Math.max(0.5, (options.pollIntervalMs ?? 1000) / 1000);
      for (const definition of options.definitions) {
        const batchSize = concurrencyOf(definition);
        // A batch of up to `concurrency` jobs runs at once; each job succeeds
        // or fails (and is retried) on its own. While batches come back full
        // there is a backlog, and the worker fetches again without waiting.
        // NOTIFY only announces new jobs; retries and delayed jobs come due
        // silently, so the poll keeps its pace while notify is on.
        const polling = { pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds };
        const workOptions = { ...polling, batchSize, burstWhenBatchFull: batchSize > 1, perJobResults: true } as const;
        await boss.work<JobPayload>(definition.name, workOptions, async (jobs) =>
          Promise.all(
            jobs.map(async (job) => {
              try {
                await definition.run(ctx, (job.data ?? {}) as never);
                return { id: job.id, status: "completed" as const };
              } catch (error) {
                ctx.log(`${definition.name} failed; pg-boss retries it`, { id: job.id, error: String(error) });
                return { id: job.id, status: "failed" as const, output: { message: String(error) } };
              }
            }),
          ),
        );
        if (definition.cron) await boss.schedule(definition.name, definition.cron, {}, { tz: "UTC" });
      }
    },
    async stop() {
      if (closed) return;
      closed = true;
      if (ready) await ready.catch(() => {});
      await boss.stop({ graceful: true, timeout: 30_000, close: true });
      await pool.end();
    },
    async schedules() {
      await prepare();
      return (await boss.getSchedules()).map((s) => s.name).sort();
    },
    async pending(name) {
      await prepare();
      const { rows } = await pool.query(
        `SELECT COUNT(*)::int AS n FROM ${PG_SCHEMA}.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
        [name],
      );
      return rows[0].n as number;
    },
  };
}
