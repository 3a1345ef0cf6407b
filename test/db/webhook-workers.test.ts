// Webhooks processed past one machine (ENCORE_WEBHOOKS=queue): the intake
// verifies, records and enqueues; two independent workers on one queue (two
// pg-boss instances on PostgreSQL, two plainjob connections on SQLite —
// as two processes would have) take the jobs. Every event is processed
// exactly once, duplicates and twin jobs included, and the ledger comes out
// as the sequential model computes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SHOP } from "../../sandbox/store/index.ts";
import db from "~/db.server";
import { createJobQueue, type JobQueue } from "~/jobs/queue.server";
import { processWebhookJob } from "~/jobs/webhooks.server";
import { CLAIM_LEASE_MS, claimEvent, recordDelivery } from "~/models/webhook-event.server";
import { handlers, type AnyHandler } from "~/services/webhooks/handlers.server";
import { receiveWebhook } from "~/services/webhooks/intake.server";
import { PROCESS_WEBHOOK_JOB, processRecordedEvent, type ProcessOutcome } from "~/services/webhooks/process.server";
import { verifyWebhook } from "~/shopify.server";
import { createShop } from "../factories";
import { serveAction } from "../http";
import { expectLedgerMatchesModel, generateDeliveries, sendDeliveries } from "../load-model";
import { webhookRequest } from "../webhooks";

const EVENTS = 300;

const open: JobQueue[] = [];
function worker(name: string, outcomes: { worker: string; id: string; outcome: ProcessOutcome }[], handlerSet?: Record<string, AnyHandler>) {
  const definition = processWebhookJob({ handlers: handlerSet, onOutcome: (id, outcome) => outcomes.push({ worker: name, id, outcome }) });
  const q = createJobQueue({ db, definitions: [definition as never], retryDelaySeconds: 1, pollIntervalMs: 200, log: process.env.DEBUG_JOBS ? console.log : () => {} });
  open.push(q);
  return q;
}

async function until(check: () => Promise<boolean>, what: string, limitMs = 120_000) {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const unprocessed = () => db.webhookEvent.count({ where: { shopId: SHOP.domain, status: { not: "processed" } } });

let server: Awaited<ReturnType<typeof serveAction>> | undefined;
beforeAll(() => createShop(db, { id: SHOP.domain }));
afterEach(async () => {
  await server?.close();
  server = undefined;
  await Promise.all(open.splice(0).map((q) => q.stop()));
});
afterAll(() => Promise.all(open.map((q) => q.stop())));

describe("webhook intake with queue workers", () => {
  it("two workers on one queue process every event exactly once, and the ledger matches the model", { timeout: 180_000 }, async () => {
    const t0 = Date.now();
    const outcomes: { worker: string; id: string; outcome: ProcessOutcome }[] = [];
    const a = worker("a", outcomes);
    const b = worker("b", outcomes);
    server = await serveAction(({ request }) => receiveWebhook(request, { db, authenticate: verifyWebhook, enqueue: a.enqueueMany }));

    // 10% of deliveries twice: the second delivery of an unprocessed event
    // queues a twin job, which the event's claim must turn into a no-op.
    // Half arrive before the workers start (a backlog both compete for), the
    // rest while they work.
    const { events, deliveries } = generateDeliveries(EVENTS, 0.1);
    const half = Math.floor(deliveries.length / 2);
    expect(await sendDeliveries(`${server.url}/webhooks`, deliveries.slice(0, half), 8)).toEqual([]);
    expect(await db.ledgerEntry.count()).toBe(0);
    await Promise.all([a.start(), b.start()]);
    expect(await sendDeliveries(`${server.url}/webhooks`, deliveries.slice(half), 8)).toEqual([]);
    const t1 = Date.now();
    await until(async () => (await unprocessed()) === 0 && (await a.pending(PROCESS_WEBHOOK_JOB)) === 0, "the workers to drain the queue");
    if (process.env.DEBUG_JOBS) console.log(`sent in ${t1 - t0} ms, drained after ${Date.now() - t1} ms`);

    const processed = outcomes.filter((o) => o.outcome.status === "processed");
    const timesProcessed = new Map<string, number>();
    for (const o of processed) timesProcessed.set(o.id, (timesProcessed.get(o.id) ?? 0) + 1);
    const recorded = await db.webhookEvent.findMany({ where: { shopId: SHOP.domain }, select: { id: true } });
    expect(recorded).toHaveLength(events.length);
    expect(new Map(recorded.map((r) => [r.id, timesProcessed.get(r.id) ?? 0]))).toEqual(new Map(recorded.map((r) => [r.id, 1])));
    // Both workers took a share, and twin jobs were skipped rather than run.
    expect(new Set(processed.map((o) => o.worker))).toEqual(new Set(["a", "b"]));
    expect(outcomes.length).toBeGreaterThan(processed.length);
    await expectLedgerMatchesModel(db, events);
  });

  it("accepts before processing, and a failing event is retried by the queue until it is processed", { timeout: 60_000 }, async () => {
    let failuresLeft = 2;
    const flaky: Record<string, AnyHandler> = {
      ...handlers,
      CUSTOMERS_CREATE: {
        ...handlers.CUSTOMERS_CREATE,
        run: async (...args) => {
          if (failuresLeft-- > 0) throw new Error("planned failure");
          return handlers.CUSTOMERS_CREATE.run(...args);
        },
      },
    };
    const outcomes: { worker: string; id: string; outcome: ProcessOutcome }[] = [];
    const q = worker("a", outcomes, flaky);
    server = await serveAction(({ request }) => receiveWebhook(request, { db, authenticate: verifyWebhook, enqueue: q.enqueueMany }));
    const body = JSON.stringify({ id: 777001, email: "queued@example.com", first_name: "Queued", last_name: "Shopper", tags: "" });
    const eventKey = "queued-customer-777001";
    const request = webhookRequest({ shop: SHOP.domain, topic: "customers/create", body, eventId: eventKey, url: `${server.url}/webhooks` });
    const event = () => db.webhookEvent.findFirst({ where: { eventKey } });

    const res = await fetch(request.url, { method: "POST", headers: request.headers, body });
    expect(res.status).toBe(200);
    expect((await res.json()).message).toBe("Accepted; queued for processing");
    // Recorded, not yet processed: no worker is running.
    expect(await event()).toMatchObject({ status: "received" });
    expect(await db.customer.count({ where: { shopifyId: "gid://shopify/Customer/777001" } })).toBe(0);

    await q.start();
    await until(async () => (await event())?.status === "processed", "the retried event", 50_000);
    expect(await event()).toMatchObject({ status: "processed", payload: null, error: null });
    expect(await db.customer.count({ where: { shopifyId: "gid://shopify/Customer/777001" } })).toBe(1);
    expect(failuresLeft).toBe(-1);

    // Shopify delivers it again: recognised as processed, nothing queued.
    const again = await fetch(request.url, { method: "POST", headers: request.headers, body });
    expect((await again.json()).message).toBe("Duplicate delivery; already processed");
    expect(await q.pending(PROCESS_WEBHOOK_JOB)).toBe(0);
  });
  it("ignores a shop Encore does not serve without recording or queueing anything", async () => {
    const outcomes: { worker: string; id: string; outcome: ProcessOutcome }[] = [];
    const q = worker("a", outcomes);
    server = await serveAction(({ request }) => receiveWebhook(request, { db, authenticate: verifyWebhook, enqueue: q.enqueueMany }));
    await createShop(db, { id: "gone.myshopify.com", uninstalledAt: new Date() });
    const body = JSON.stringify({ id: 777002, email: "gone@example.com", tags: "" });
    const request = webhookRequest({ shop: "gone.myshopify.com", topic: "customers/create", body, url: `${server.url}/webhooks` });
    const res = await fetch(request.url, { method: "POST", headers: request.headers, body });
    expect(res.status).toBe(200);
    expect((await res.json()).message).toBe("Shop is not installed; nothing to do");
    expect(await db.webhookEvent.count({ where: { shopId: "gone.myshopify.com" } })).toBe(0);
    expect(await q.pending(PROCESS_WEBHOOK_JOB)).toBe(0);
  });
});

describe("event claims", () => {
  it("one holder at a time; a claim older than the lease is taken over from a process that died", async () => {
    const { id } = await recordDelivery(db, { shopId: SHOP.domain, topic: "CUSTOMERS_UPDATE", webhookId: "claim-test", payload: "{}" });
    const t0 = new Date("2026-11-27T10:00:00Z");
    expect(await claimEvent(db, id, t0)).toBe(true);
    expect(await claimEvent(db, id, new Date(t0.getTime() + 1000))).toBe(false);
    expect(await claimEvent(db, id, new Date(t0.getTime() + CLAIM_LEASE_MS - 1))).toBe(false);
    expect(await claimEvent(db, id, new Date(t0.getTime() + CLAIM_LEASE_MS + 1))).toBe(true);
    await db.webhookEvent.update({ where: { id }, data: { status: "processed" } });
    expect(await claimEvent(db, id, new Date(t0.getTime() + 10 * CLAIM_LEASE_MS))).toBe(false);
  });

  it("a worker's jobs claim together: each event runs once, and a twin job of one of them is skipped", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const payload = JSON.stringify({ id: 880000 + i, email: `together${i}@example.com`, tags: "" });
      ids.push((await recordDelivery(db, { shopId: SHOP.domain, topic: "CUSTOMERS_UPDATE", webhookId: `together-${i}-${Date.now()}`, payload })).id);
    }
    const ran: string[] = [];
    const counting: Record<string, AnyHandler> = {
      CUSTOMERS_UPDATE: { ...handlers.CUSTOMERS_UPDATE, needsShop: false, run: async (_db, _shop, payload) => ran.push(String((payload as { id: unknown }).id)) },
    };
    // As a worker's batch of jobs runs them: all at once, one event's job twice.
    const outcomes = await Promise.all([...ids, ids[2]].map((id) => processRecordedEvent(db, id, { handlers: counting })));
    expect(outcomes.map((o) => o.status)).toEqual(["processed", "processed", "processed", "processed", "processed", "processed", "skipped"]);
    expect(ran.sort()).toEqual(["880000", "880001", "880002", "880003", "880004", "880005"]);
    expect(await db.webhookEvent.count({ where: { id: { in: ids }, status: "processed" } })).toBe(6);
  });
});
