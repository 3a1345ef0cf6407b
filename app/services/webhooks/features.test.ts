import { describe, expect, it } from "vitest";
import type { Db } from "../../db.server";
import type { ShopRecord } from "../../models/shop.server";
import { runOrdersPaid, type FeatureHooks } from "./features";
import type { OrderPayload } from "./payloads";

const db = {} as Db;
const shop = { id: "s.myshopify.com" } as ShopRecord;
const orders = [{ id: 1 }, { id: 2 }] as unknown as OrderPayload[];

/** A feature that logs its start and end, finishing when the test says. */
function feature(name: string, log: string[], gates: Map<string, () => void>, result?: (o: OrderPayload) => unknown): FeatureHooks {
  return {
    ordersPaidBatch: async (_db, _shop, batch) => {
      log.push(`${name} start`);
      await new Promise<void>((go) => gates.set(name, go));
      log.push(`${name} end`);
      if (name.startsWith("fail")) throw new Error(`${name} failed`);
      return batch.map((o) => result?.(o));
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("runOrdersPaid", () => {
  it("runs the lanes together and a lane's features in turn; the summary is the first lane's first feature's result", async () => {
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const running = runOrdersPaid(
      [[feature("loyalty", log, gates, (o) => `points for ${o.id}`), feature("rewards", log, gates)], [feature("offers", log, gates)], [{ ordersPaid: async (_d, _s, o) => `email ${o.id}` }]],
      db,
      shop,
      orders,
    );
    await tick();
    expect(log).toEqual(["loyalty start", "offers start"]);
    gates.get("offers")!();
    await tick();
    expect(log).toEqual(["loyalty start", "offers start", "offers end"]);
    gates.get("loyalty")!();
    await tick();
    expect(log).toEqual(["loyalty start", "offers start", "offers end", "loyalty end", "rewards start"]);
    gates.get("rewards")!();
    expect(await running).toEqual(["points for 1", "points for 2"]);
  });

  it("stops a lane at its failure and fails once every lane has stopped", async () => {
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const running = runOrdersPaid([[feature("fail-a", log, gates), feature("later", log, gates)], [feature("b", log, gates)]], db, shop, orders);
    const outcome = running.then(
      () => "resolved",
      (e: Error) => e.message,
    );
    await tick();
    gates.get("fail-a")!();
    await tick();
    expect(log).toEqual(["fail-a start", "b start", "fail-a end"]);
    gates.get("b")!();
    expect(await outcome).toBe("fail-a failed");
    expect(log).toEqual(["fail-a start", "b start", "fail-a end", "b end"]);
  });
});
