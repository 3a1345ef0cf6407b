// Every job definition the queue runs. Each feature lists its own in
// app/jobs/<feature>.server.ts; add the list here.
import { emailJobs } from "./emails.server";
import type { JobDefinition } from "./types";

export const jobDefinitions: readonly JobDefinition<never>[] = [...emailJobs];
