// The process's queue: one per process, on DATABASE_URL, with every feature's
// definitions. Embedded (SQLite) installs work jobs inside the app server;
// on PostgreSQL the app server only enqueues and `npm run worker` works.
import db, { provider } from "../db.server";
import { jobDefinitions } from "./index.server";
import { createJobQueue, type JobQueue } from "./queue.server";
import type { Enqueue } from "./types";

let queue: JobQueue | undefined;

export function appQueue(): JobQueue {
  return (queue ??= createJobQueue({ db, definitions: jobDefinitions }));
}

export const enqueue: Enqueue = (name, payload, options) => appQueue().enqueue(name, payload, options);

let started: Promise<void> | undefined;

function stopOnSignals(q: JobQueue) {
  const stop = async (signal: NodeJS.Signals) => {
    console.log(`[jobs] ${signal}: finishing running jobs…`);
    await q.stop().catch((error) => console.error("[jobs] stop failed", error));
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/**
 * Called once when the app server loads. Embedded mode works jobs in-process;
 * never under tests (they start their own queues) or with ENCORE_JOBS=off.
 */
export function startEmbeddedJobs(): Promise<void> | undefined {
  if (provider !== "sqlite" || process.env.VITEST || process.env.NODE_ENV === "test" || process.env.ENCORE_JOBS === "off") {
    return undefined;
  }
  return (started ??= (async () => {
    const q = appQueue();
    await q.start();
    stopOnSignals(q);
    console.log("[jobs] working jobs in-process (SQLite, plainjob)");
  })().catch((error) => console.error("[jobs] could not start", error)));
}

/** `npm run worker`: works every job until SIGTERM/SIGINT, then stops gracefully. */
export async function runJobWorker(): Promise<void> {
  const q = appQueue();
  await q.start();
  stopOnSignals(q);
  console.log(`[jobs] worker started (${q.kind === "postgresql" ? "PostgreSQL, pg-boss" : "SQLite, plainjob"})`);
}
