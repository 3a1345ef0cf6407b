// Correctness under load: a busy day's webhooks — orders, partial refunds,
// cancellations — delivered through a real HTTP server by concurrent senders,
// shuffled and partly duplicated, as Shopify may deliver them. Afterwards every
// customer's balance and every order's net ledger must equal what a plain
// sequential model of the program computes from the same events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHOP } from "../../sandbox/store/index.ts";
import db from "../../app/db.server";
import { action } from "../../app/routes/webhooks";
import { createShop } from "../factories";
import { serveAction } from "../http";
import { expectLedgerMatchesModel, generateDeliveries, sendDeliveries } from "../load-model";

const postgres = process.env.ENCORE_TEST_DB === "postgresql";
// Sized to finish in well under a minute on a 2-core machine: about 60
// events/s through the whole path here, so 2,000 on PostgreSQL and 1,000 on
// SQLite (ENCORE_LOAD_EVENTS changes it; the 10,000 in a minute needs
// ~170/s, see bench/results.md for where the time goes). SQLite serializes
// writers, so it gets fewer senders.
const EVENTS = Number(process.env.ENCORE_LOAD_EVENTS) || (postgres ? 2_000 : 1_000);
const SENDERS = Number(process.env.ENCORE_LOAD_SENDERS) || (postgres ? 8 : 3);
const DUPLICATE_RATE = 0.05;

let server: Awaited<ReturnType<typeof serveAction>>;
beforeAll(async () => {
  await createShop(db, { id: SHOP.domain });
  server = await serveAction(action);
});
afterAll(() => server.close());

describe(`${EVENTS.toLocaleString("en")} shuffled, duplicated events from ${SENDERS} concurrent senders`, () => {
  it("leave every balance and every order's ledger as the sequential model computes", { timeout: 300_000 }, async () => {
    const { events, deliveries } = generateDeliveries(EVENTS, DUPLICATE_RATE);
    expect(await sendDeliveries(`${server.url}/webhooks`, deliveries, SENDERS)).toEqual([]);
    await expectLedgerMatchesModel(db, events);
  });
});
