// Queue mode's intake under load: deliveries arriving together are recorded
// in one statement and their jobs enqueued in one call; duplicates, twins in
// one batch and a failed enqueue each get the answer that loses nothing.
import { beforeEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import type { JobPayload } from "~/jobs/types";
import { markFailed, markProcessed, recordDelivery, type Delivery } from "~/models/webhook-event.server";
import { PROCESS_WEBHOOK_JOB } from "~/services/webhooks/process.server";
import { recordAndEnqueue, writeQueued } from "~/services/webhooks/queue-intake.server";
import { createShop } from "../factories";

// A shop per test: the database is not reset between a file's tests.
let SHOP = "";
let shops = 0;
beforeEach(async () => {
  SHOP = `queue-intake-${++shops}.myshopify.com`;
  await createShop(db, { id: SHOP });
});
const delivery = (eventId: string): Delivery => ({ shopId: SHOP, topic: "ORDERS_PAID", webhookId: `w-${eventId}-${Math.random()}`, eventId, payload: `{"id":"${eventId}"}` });

/** An enqueueMany that records its calls, failing while `failing` is set. */
function fakeQueue() {
  const calls: { name: string; payloads: JobPayload[] }[] = [];
  const queue = { calls, failing: false, enqueueMany: async (name: string, payloads: JobPayload[]) => {
    if (queue.failing) throw new Error("queue unreachable");
    calls.push({ name, payloads });
  } };
  return queue;
}

const eventIdOf = (eventKey: string) => db.webhookEvent.findFirstOrThrow({ where: { shopId: SHOP, eventKey } }).then((e) => e.id);

describe("writeQueued", () => {
  it("queues new events and an unprocessed twin in one call, and leaves an event processed before alone", async () => {
    const done = await recordDelivery(db, delivery("e-done"));
    await markProcessed(db, done.id);
    const q = fakeQueue();

    const outcomes = await writeQueued(db, q.enqueueMany, [delivery("e-1"), delivery("e-2"), delivery("e-1"), delivery("e-done")]);

    expect(outcomes.map((o) => o.kind)).toEqual(["queued", "queued", "requeued", "processed"]);
    const [e1, e2] = [await eventIdOf("e-1"), await eventIdOf("e-2")];
    expect(q.calls).toEqual([{ name: PROCESS_WEBHOOK_JOB, payloads: [{ id: e1 }, { id: e2 }, { id: e1 }] }]);
    const rows = await db.webhookEvent.findMany({ where: { shopId: SHOP, eventKey: { in: ["e-1", "e-2"] } }, orderBy: { eventKey: "asc" } });
    expect(rows.map((r) => [r.eventKey, r.status, r.attempts])).toEqual([["e-1", "received", 2], ["e-2", "received", 1]]);
  });

  it("answers not-queued when the enqueue fails, keeping the events, so Shopify's retry queues them", async () => {
    const q = fakeQueue();
    q.failing = true;
    const failed = await writeQueued(db, q.enqueueMany, [delivery("e-3")]);
    expect(failed).toEqual([{ kind: "not-queued", error: new Error("queue unreachable") }]);
    expect(await db.webhookEvent.count({ where: { shopId: SHOP, eventKey: "e-3", status: "received" } })).toBe(1);

    q.failing = false;
    expect(await writeQueued(db, q.enqueueMany, [delivery("e-3")])).toEqual([{ kind: "requeued" }]);
    expect(q.calls).toEqual([{ name: PROCESS_WEBHOOK_JOB, payloads: [{ id: await eventIdOf("e-3") }] }]);
  });
});

describe("payloads", () => {
  const payloadOf = async (eventKey: string) => (await db.webhookEvent.findFirstOrThrow({ where: { shopId: SHOP, eventKey } })).payload;

  it("are kept for a worker, not for an app server that processes the event at once; a repeat restores a missing one", async () => {
    await recordDelivery(db, delivery("p-queued"));
    expect(await payloadOf("p-queued")).toBe('{"id":"p-queued"}');
    // Claimed on arrival (inline processing): the app server holds the payload.
    const { id } = await recordDelivery(db, delivery("p-inline"), { claim: true });
    expect(await payloadOf("p-inline")).toBeNull();
    // Its processing failed; Shopify's retry reaches an intake that queues it
    // (the deployment moved to workers): the worker will need the payload.
    await markFailed(db, id, new Error("planned"));
    expect(await writeQueued(db, fakeQueue().enqueueMany, [delivery("p-inline")])).toEqual([{ kind: "requeued" }]);
    expect(await payloadOf("p-inline")).toBe('{"id":"p-inline"}');
    // A processed event's repeat leaves it without one.
    await markProcessed(db, id);
    expect(await writeQueued(db, fakeQueue().enqueueMany, [delivery("p-inline")])).toEqual([{ kind: "processed" }]);
    expect(await payloadOf("p-inline")).toBeNull();
  });
});

describe("recordAndEnqueue", () => {
  it("gathers deliveries that arrive while a batch is written: every event enqueued once, in fewer calls", async () => {
    const q = fakeQueue();
    const keys = Array.from({ length: 40 }, (_, i) => `c-${i}`);
    const outcomes = await Promise.all(keys.map((k) => recordAndEnqueue(db, q.enqueueMany, delivery(k))));
    expect(outcomes.every((o) => o.kind === "queued")).toBe(true);
    // The first starts alone; the rest arrived while it was written.
    expect(q.calls.map((c) => c.payloads.length)).toEqual([1, 39]);
    const enqueued = q.calls.flatMap((c) => c.payloads.map((p) => p.id)).sort();
    const recorded = (await db.webhookEvent.findMany({ where: { shopId: SHOP }, select: { id: true } })).map((e) => e.id).sort();
    expect(enqueued).toEqual(recorded);
  });
});

describe("a delivery kept as the bytes received (node:http's path)", () => {
  const bytes = (eventId: string) => ({ ...delivery(eventId), payload: Buffer.from(`{"id":"${eventId}","title":"Tee – Black"}`) });

  it("is stored as its text, new or taken by an event left without its payload", async () => {
    await recordDelivery(db, bytes("e-b1"));
    // Claimed without its payload by an app server that then failed on it.
    const claimed = await recordDelivery(db, bytes("e-b2"), { claim: true });
    await markFailed(db, claimed.id, new Error("lost connection"));
    expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: claimed.id } })).payload).toBeNull();
    expect(await recordDelivery(db, bytes("e-b2"))).toEqual({ id: claimed.id, status: "failed" });

    const rows = await db.webhookEvent.findMany({ where: { shopId: SHOP, eventKey: { in: ["e-b1", "e-b2"] } }, orderBy: { eventKey: "asc" } });
    expect(rows.map((r) => r.payload)).toEqual(['{"id":"e-b1","title":"Tee – Black"}', '{"id":"e-b2","title":"Tee – Black"}']);
  });
});
