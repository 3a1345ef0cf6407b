// SQLite's transactions run on the app's one connection (./libsql.ts).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import db, { provider } from "../db.server";

/** Open descriptors of this process on the database file: one per connection. */
function connectionsToDatabase() {
  const file = path.resolve(process.env.DATABASE_URL!.replace(/^file:/, ""));
  return fs.readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false; // closed meanwhile
    }
  }).length;
}

describe.skipIf(provider !== "sqlite")("SQLite connection", () => {
  it("runs every transaction on the one connection, which keeps its settings, and a failed transaction leaves it usable", async () => {
    await db.shop.count();
    const before = connectionsToDatabase();
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) {
      await db.$transaction(async (tx) => {
        await tx.shop.create({ data: { id: `one-connection-${i}.myshopify.com` } });
      });
    }
    expect(connectionsToDatabase()).toBe(before);
    expect(await db.$queryRawUnsafe("PRAGMA cache_size")).toEqual([{ cache_size: -65536 }]);
    expect(await db.$queryRawUnsafe("PRAGMA busy_timeout")).toEqual([{ timeout: 5000 }]);

    await expect(
      db.$transaction(async (tx) => {
        await tx.shop.create({ data: { id: "rolled-back.myshopify.com" } });
        throw new Error("the work failed");
      }),
    ).rejects.toThrow("the work failed");
    expect(await db.shop.count({ where: { id: "rolled-back.myshopify.com" } })).toBe(0);
    // A unique violation inside: the same.
    await expect(db.$transaction(async (tx) => tx.shop.create({ data: { id: "one-connection-0.myshopify.com" } }))).rejects.toMatchObject({ code: "P2002" });
    await db.$transaction(async (tx) => tx.shop.create({ data: { id: "after-failures.myshopify.com" } }));
    expect(await db.shop.count({ where: { id: { startsWith: "one-connection-" } } })).toBe(20);
    expect(await db.shop.count({ where: { id: "after-failures.myshopify.com" } })).toBe(1);
  });

  it("gives the event loop a turn during a long chain of statements, so requests and timers are not held back", async () => {
    // Statements for ~150 ms, one after another; a timer due at once must
    // fire long before they end (the client's promises resolve as
    // microtasks, which alone would hold every timer and socket back).
    let firedAt = Infinity;
    const started = performance.now();
    setTimeout(() => {
      firedAt = performance.now() - started;
    }, 0);
    while (performance.now() - started < 150) await db.$queryRawUnsafe("SELECT count(*) FROM Shop");
    expect(firedAt).toBeLessThan(50);
  });
});
