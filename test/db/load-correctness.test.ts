// Correctness under load: a busy day's webhooks — orders, partial refunds,
// cancellations — delivered through a real HTTP server by concurrent senders,
// shuffled and partly duplicated, as Shopify may deliver them. Afterwards every
// customer's balance and every order's net ledger must equal what a plain
// sequential model of the program computes from the same events. They reach
// the intake as in production: node:http straight into it (scripts/serve.mjs).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHOP } from "../../sandbox/store/index.ts";
import db from "../../app/db.server";
import { handleWebhookDelivery } from "../../app/webhooks.server";
import { createShop } from "../factories";
import { serveListener, type TestServer } from "../http";
import { expectLedgerMatchesModel, generateDeliveries, sendDeliveries } from "../load-model";

const postgres = process.env.ENCORE_TEST_DB === "postgresql";
// The size on PostgreSQL: 10,000 events from 64 senders, about 55 s
// on a 2-core machine with the sender, the server and the database in one
// test — the senders' concurrency is what lets orders/paid deliveries form
// batches (app/services/webhooks/batch.server.ts), as a flash sale's would.
// SQLite has one writer: 3,000 events in about 25 s (6,000 take 70 s: the cost
// per event still grows with the run). ENCORE_LOAD_EVENTS and
// ENCORE_LOAD_SENDERS change them.
const EVENTS = Number(process.env.ENCORE_LOAD_EVENTS) || (postgres ? 10_000 : 3_000);
const SENDERS = Number(process.env.ENCORE_LOAD_SENDERS) || 64;
const DUPLICATE_RATE = 0.05;

let server: TestServer;
beforeAll(async () => {
  await createShop(db, { id: SHOP.domain });
  server = await serveListener(handleWebhookDelivery);
});
afterAll(() => server.close());

describe(`${EVENTS.toLocaleString("en")} shuffled, duplicated events from ${SENDERS} concurrent senders`, () => {
  it("leave every balance and every order's ledger as the sequential model computes", { timeout: 300_000 }, async () => {
    const { events, deliveries } = generateDeliveries(EVENTS, DUPLICATE_RATE);
    expect(await sendDeliveries(`${server.url}/webhooks`, deliveries, SENDERS)).toEqual([]);
    await expectLedgerMatchesModel(db, events);
  });
});
