// The process's queue: one per process, on DATABASE_URL, with every feature's
// definitions. Embedded (SQLite) installs work jobs inside the app server;
// on PostgreSQL the app server only enqueues and `npm run worker` works.
import db, { provider } from "../db.server";
import { jobDefinitions } from "./index.server";
import { createJobQueue, type JobQueue } from "./queue.server";
import type { Enqueue, EnqueueMany } from "./types";

let queue: JobQueue | undefined;
let signalsHandled = false;

/**
 * On SIGTERM/SIGINT the queue stops taking jobs, finishes the running ones
 * and the process exits (its open connections and timers would otherwise keep
 * it alive).
 */
function stopOnSignals() {
  if (signalsHandled) return;
  signalsHandled = true;
  const stop = async (signal: NodeJS.Signals) => {
    console.log(`[jobs] ${signal}: finishing running jobs…`);
    await queue?.stop().catch((error) => console.error("[jobs] stop failed", error));
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

export function appQueue(): JobQueue {
  if (!queue) {
    queue = createJobQueue({ db, definitions: jobDefinitions() });
    stopOnSignals();
  }
  return queue;
}

export const enqueue: Enqueue = (name, payload, options) => appQueue().enqueue(name, payload, options);
export const enqueueMany: EnqueueMany = (name, payloads, options) => appQueue().enqueueMany(name, payloads, options);

/** Closes the process's queue (its connections) if one was opened; a later appQueue() opens a new one. */
export async function closeAppQueue(): Promise<void> {
  const q = queue;
  queue = undefined;
  await q?.stop();
}

let started: Promise<void> | undefined;

/**
 * Called once when the app server loads (app/entry.server.tsx). Embedded
 * (SQLite) mode works jobs in-process unless ENCORE_JOBS=off; on PostgreSQL
 * the workers are `npm run worker` processes.
 */
export function startEmbeddedJobs(): Promise<void> | undefined {
  if (provider !== "sqlite" || process.env.ENCORE_JOBS === "off") return undefined;
  return (started ??= (async () => {
    await appQueue().start();
    console.log("[jobs] working jobs in-process (SQLite, plainjob)");
  })().catch((error) => console.error("[jobs] could not start", error)));
}

/** `npm run worker`: works every job until SIGTERM/SIGINT, then stops gracefully. */
export async function runJobWorker(): Promise<void> {
  const q = appQueue();
  await q.start();
  console.log(`[jobs] worker started (${q.kind === "postgresql" ? "PostgreSQL, pg-boss" : "SQLite, plainjob"})`);
}
