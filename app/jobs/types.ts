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
/** Jobs of one name, without keys, written together (the queued webhook intake's batches). */
export type EnqueueMany = (name: string, payloads: JobPayload[]) => Promise<void>;

export interface JobContext {
  db: Db;
  /** The queue's clock, so tests can move time. */
  now: () => Date;
  enqueue: Enqueue;
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
