// Webhook processing in workers (ENCORE_WEBHOOKS=queue): the intake recorded
// the event and queued its id; any worker may take the job, and the event's
// claim (app/services/webhooks/process.server.ts) lets exactly one process it.
import type { AnyHandler } from "../services/webhooks/handlers.server";
import { PROCESS_WEBHOOK_JOB, processRecordedEvent, type ProcessOutcome } from "../services/webhooks/process.server";
import { databaseTarget } from "../db/target";
import type { JobDefinition } from "./types";

export interface ProcessWebhookOptions {
  /** Tests substitute handlers; production uses every topic's. */
  handlers?: Record<string, AnyHandler>;
  /** Told each event's outcome (tests count who processed what). */
  onOutcome?: (id: string, outcome: ProcessOutcome) => void;
}

export function processWebhookJob({ handlers, onOutcome }: ProcessWebhookOptions = {}): JobDefinition<{ id: string }> {
  return {
    name: PROCESS_WEBHOOK_JOB,
    // A flash sale's webhooks are many small jobs: many at once per worker
    // on PostgreSQL, where the orders/paid events among them are written as
    // one batch (services/webhooks/batch.server.ts). SQLite's in-process
    // workers share the app server's one connection with the intake: fewer.
    concurrency: databaseTarget(process.env.DATABASE_URL).provider === "postgresql" ? 32 : 8,
    // Shopify retries a failed delivery 8 times over 4 hours; the queue does
    // as much for an event the intake has already accepted.
    retryLimit: 9,
    run: async (ctx, { id }) => {
      const outcome = await processRecordedEvent(ctx.db, id, { handlers, now: ctx.now() });
      onOutcome?.(id, outcome);
    },
  };
}

export const webhookJobs = [processWebhookJob()];
