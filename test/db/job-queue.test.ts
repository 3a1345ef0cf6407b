// The job queue on the project's database kind (SQLite → plainjob,
// PostgreSQL → pg-boss): the same definitions, dedupe keys and retries.
import fs from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import db, { provider } from "~/db.server";
import { createJobQueue, sqliteQueueFile, type JobQueue } from "~/jobs/queue.server";
import type { JobDefinition } from "~/jobs/types";

const runs: { name: string; payload: Record<string, unknown>; at: number; worker: string }[] = [];
const failuresLeft = new Map<string, number>();

function definitions(worker: string): JobDefinition[] {
  return [
    {
      name: "test-record",
      run: async (_ctx, payload) => {
        runs.push({ name: "test-record", payload, at: Date.now(), worker });
      },
    },
    {
      name: "test-flaky",
      retryLimit: 4,
      run: async (_ctx, payload) => {
        const id = String(payload.id);
        const left = failuresLeft.get(id) ?? 0;
        runs.push({ name: "test-flaky", payload, at: Date.now(), worker });
        if (left > 0) {
          failuresLeft.set(id, left - 1);
          throw new Error(`planned failure, ${left} left`);
        }
      },
    },
    {
      name: "test-cron",
      cron: "0 0 1 1 *",
      run: async () => {
        runs.push({ name: "test-cron", payload: {}, at: Date.now(), worker });
      },
    },
  ];
}

const open: JobQueue[] = [];
function queue(worker = "a") {
  const q = createJobQueue({ db, definitions: definitions(worker), retryDelaySeconds: 1, pollIntervalMs: 200, log: () => {} });
  open.push(q);
  return q;
}

async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 20_000) {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Time for a wrongly enqueued job to run, before asserting it did not. */
const settleQueue = () => new Promise((r) => setTimeout(r, 1000));

afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.stop()));
  runs.length = 0;
});

afterAll(() => {
  if (provider === "sqlite") fs.rmSync(sqliteQueueFile(process.env.DATABASE_URL!), { force: true });
});

describe(`job queue on ${provider}`, () => {
  it("uses the library for the database kind", () => {
    expect(queue().kind).toBe(provider);
  });

  it("retries a failing job with backoff until it succeeds", async () => {
    failuresLeft.set("r1", 2);
    const q = queue();
    await q.enqueue("test-flaky", { id: "r1" });
    await q.start();
    await until(() => runs.filter((r) => r.name === "test-flaky").length === 3 && failuresLeft.get("r1") === 0, "third attempt");
    await until(async () => (await q.pending("test-flaky")) === 0, "job finished");
    const [first, second, third] = runs.filter((r) => r.name === "test-flaky").map((r) => r.at);
    // Backoff: retry n waits at least base × 2^(n-1) seconds (base 1 s here).
    expect(second - first).toBeGreaterThanOrEqual(900);
    expect(third - second).toBeGreaterThanOrEqual(1900);
    expect(runs.filter((r) => r.name === "test-flaky")).toHaveLength(3);
  });

  it("gives up after retryLimit attempts", async () => {
    failuresLeft.set("r2", 99);
    const q = createJobQueue({
      db,
      definitions: [{ ...definitions("a")[1], retryLimit: 2 }],
      retryDelaySeconds: 1,
      pollIntervalMs: 200,
      log: () => {},
    });
    open.push(q);
    await q.enqueue("test-flaky", { id: "r2" });
    await q.start();
    await until(async () => runs.length === 2 && (await q.pending("test-flaky")) === 0, "two attempts then failed");
    await new Promise((r) => setTimeout(r, 2500));
    expect(runs).toHaveLength(2);
  });

  it("ignores a second enqueue with the same key, even after the first ran", async () => {
    const q = queue();
    await q.enqueue("test-record", { n: 1 }, { key: "k1" });
    await q.enqueue("test-record", { n: 2 }, { key: "k1" });
    expect(await q.pending("test-record")).toBe(1);
    await q.start();
    await until(() => runs.length === 1, "first job");
    await q.enqueue("test-record", { n: 3 }, { key: "k1" });
    await q.enqueue("test-record", { n: 4 }, { key: "k2" });
    await until(() => runs.length === 2, "second key");
    expect(runs.map((r) => r.payload.n)).toEqual([1, 4]);
  });

  it("enqueues many at once, skipping keys enqueued before or earlier in the list, and holding them until runAt", async () => {
    const q = queue();
    await q.enqueue("test-record", { n: 0 }, { key: "m0" });
    const runAt = new Date(Date.now() + 1500);
    await q.enqueueMany("test-record", [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }], { keys: ["m0", "m1", "m1", undefined, "m2"], runAt });
    expect(await q.pending("test-record")).toBe(4);
    await q.start();
    await until(() => runs.length === 4, "the four jobs");
    expect(runs.map((r) => r.payload.n).sort()).toEqual([0, 2, 4, 5]);
    expect(Math.min(...runs.filter((r) => r.payload.n !== 0).map((r) => r.at))).toBeGreaterThanOrEqual(runAt.getTime());
    // The keys stay taken.
    await q.enqueueMany("test-record", [{ n: 6 }, { n: 7 }], { keys: ["m2", "m3"] });
    await until(() => runs.length === 5, "the new key's job");
    await settleQueue();
    expect(runs.map((r) => r.payload.n).sort()).toEqual([0, 2, 4, 5, 7]);
  });

  it("enqueues a scan's thousands a page at a time: keys dedupe across pages, and the event loop gets turns between them", async () => {
    // A queue of its own, never started: the other tests' workers never see these jobs.
    const bulk: JobDefinition = { name: "test-bulk", run: async () => {} };
    const q = createJobQueue({ db, definitions: [bulk], log: () => {} });
    open.push(q);
    const payloads = Array.from({ length: 1200 }, (_, n) => ({ n }));
    // The 1,100th repeats the first's key, two pages later.
    const run = Date.now();
    const keys = payloads.map(({ n }) => `${run}:${n === 1100 ? 0 : n}`);
    let looped = false;
    setImmediate(() => (looped = true));
    await q.enqueueMany("test-bulk", payloads, { keys });
    if (provider === "sqlite") expect(looped).toBe(true); // (node:sqlite is synchronous: only the pages' turns let it in)
    expect(await q.pending("test-bulk")).toBe(1199);
  });

  it("holds a delayed job until runAt", async () => {
    const q = queue();
    const runAt = new Date(Date.now() + 1500);
    await q.enqueue("test-record", { delayed: true }, { runAt });
    await q.start();
    await until(() => runs.length === 1, "delayed job");
    expect(runs[0].at).toBeGreaterThanOrEqual(runAt.getTime());
  });

  it("keeps queued jobs across a restart", async () => {
    const before = queue();
    await before.enqueue("test-record", { survived: true }, { key: "restart" });
    await before.stop();
    expect(runs).toHaveLength(0);

    const after = queue();
    await after.enqueue("test-record", { survived: false }, { key: "restart" });
    await after.start();
    await until(() => runs.length === 1, "job after restart");
    expect(runs[0].payload).toEqual({ survived: true });
  });

  it("runs each job exactly once with two workers on one queue", async () => {
    const a = queue("a");
    const b = queue("b");
    await Promise.all([a.start(), b.start()]);
    for (let i = 0; i < 30; i++) await (i % 2 ? a : b).enqueue("test-record", { i });
    await until(() => runs.filter((r) => r.name === "test-record").length >= 30, "all jobs");
    await new Promise((r) => setTimeout(r, 1000));
    const done = runs.filter((r) => r.name === "test-record").map((r) => r.payload.i);
    expect(done).toHaveLength(30);
    expect(new Set(done).size).toBe(30);
  });

  it("registers cron schedules that survive a restart", async () => {
    const q = queue();
    await q.start();
    await q.stop();
    const again = queue();
    expect(await again.schedules()).toContain("test-cron");
  });

  it("waits for a running job when stopped", async () => {
    let started = false;
    let finished = false;
    const q = createJobQueue({
      db,
      definitions: [
        {
          name: "test-slow",
          run: async () => {
            started = true;
            await new Promise((r) => setTimeout(r, 800));
            finished = true;
          },
        },
      ],
      pollIntervalMs: 100,
      log: () => {},
    });
    open.push(q);
    await q.enqueue("test-slow", {});
    await q.start();
    await until(() => started, "job started");
    await q.stop();
    expect(finished).toBe(true);
  });
});
