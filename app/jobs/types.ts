// The contract between features and the job queue (app/jobs/queue.server.ts).
//
// A feature describes its background work as `JobDefinition`s in its own
// app/jobs/<feature>.server.ts and lists them in app/jobs/index.server.ts; the
// queue persists jobs, retries them with backoff and runs the schedules. Job
// bodies are idempotent service calls: a job may run more than once (a worker
// that dies mid-job is retried), never with a different outcome.
import type { Db } from "../db.server";

export type JobPayload = Record<string, string | number | boolean | null>;

export interface EnqueueOptions {
  /** Deduplication key: a second enqueue with the same name and key is ignored. */
  key?: string;
  /** Not before this time (defaults to now). */
  runAt?: Date;
}

export type Enqueue = (name: string, payload: JobPayload, options?: EnqueueOptions) => Promise<void>;
/**
 * Jobs of one name written together (the queued webhook intake's batches, a
 * batch of orders' thank-you emails). `keys`, aligned with the payloads,
 * deduplicate as Enqueue's key does (a payload whose key was enqueued before,
 * or earlier in the list, is skipped); `runAt` is every job's.
 */
export type EnqueueMany = (name: string, payloads: JobPayload[], options?: { keys?: (string | undefined)[]; runAt?: Date }) => Promise<void>;

/** The payloads to enqueue: those without a key, and the first of each key not `taken` already. */
export function firstOfEachKey<P>(payloads: P[], keys: (string | undefined)[] | undefined, taken: (key: string) => boolean): P[] {
  const seen = new Set<string>();
  return payloads.filter((_, i) => {
    const key = keys?.[i];
    if (key === undefined) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return !taken(key);
  });
}

export interface JobContext {
  db: Db;
  /** The queue's clock, so tests can move time. */
  now: () => Date;
  enqueue: Enqueue;
  /** For a scan's many jobs: a transaction per page of them, not per job. */
  enqueueMany: EnqueueMany;
  log: (message: string, extra?: Record<string, unknown>) => void;
}

export interface JobDefinition<P extends JobPayload = JobPayload> {
  name: string;
  run: (ctx: JobContext, payload: P) => Promise<void>;
  /** Cron expression in UTC for recurring jobs (run with an empty payload). */
  cron?: string;
  /** Attempts before the job is marked failed (default 5), with exponential backoff. */
  retryLimit?: number;
  /** Jobs of this name one process works at once (default 1). */
  concurrency?: number;
}
