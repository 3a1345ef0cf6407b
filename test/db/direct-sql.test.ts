// app/db/direct.ts: on PostgreSQL the webhook path's raw statements skip
// Prisma's client and go through node-postgres on the same pool. They must
// read and write values exactly as through Prisma, whatever the process's
// time zone, and their transaction must be one.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db, { provider } from "~/db.server";
import { direct, directTransaction, goesDirect, withValues } from "~/db/direct";
import { createShop } from "../factories";

const postgres = provider === "postgresql";

describe("direct raw statements", () => {
  // A zone other than UTC: pg alone would read a `timestamp` as local time.
  const zone = process.env.TZ;
  beforeEach(() => {
    process.env.TZ = "America/New_York";
  });
  afterEach(() => {
    process.env.TZ = zone;
  });

  it("go directly on PostgreSQL only, and read and write as Prisma's raw statements do", async () => {
    expect(goesDirect(db)).toBe(postgres);
    expect(direct(db) === db).toBe(!postgres);
    const shop = await createShop(db);
    const at = new Date("2026-11-27T23:59:58.123Z");
    const customer = await db.customer.create({ data: { shopId: shop.id, shopifyId: `gid://shopify/Customer/${randomUUID()}`, balance: 42, createdAt: at } });

    const read = `SELECT "id", "createdAt", "balance", (SELECT count(*) FROM "Customer" WHERE "shopId" = $1) AS "n" FROM "Customer" WHERE "shopId" = $1 AND "createdAt" = $2`;
    const [row] = await direct(db).$queryRawUnsafe<Record<string, unknown>[]>(read, shop.id, at);
    expect(row).toEqual((await db.$queryRawUnsafe<Record<string, unknown>[]>(read, shop.id, at))[0]);
    expect(row.id).toBe(customer.id);
    expect(new Date(row.createdAt as string | Date).toISOString()).toBe(at.toISOString());
    expect(Number(row.balance)).toBe(42);

    // A Date written directly is the same instant when Prisma reads it back.
    const later = new Date("2026-11-28T04:00:00.500Z");
    expect(await direct(db).$executeRawUnsafe(`UPDATE "Customer" SET "updatedAt" = $1 WHERE "id" = $2`, later, customer.id)).toBe(1);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).updatedAt.toISOString()).toBe(later.toISOString());
  });

  it.runIf(postgres)("commits a direct transaction's statements together, or none when it throws", async () => {
    const shop = await createShop(db);
    const insert = (tx: Parameters<Parameters<typeof directTransaction>[1]>[0], id: string) =>
      tx.$executeRawUnsafe(`INSERT INTO "Customer" ("id", "shopId", "shopifyId", "updatedAt") VALUES ($1, $2, $3, $4)`, id, shop.id, `gid://shopify/Customer/${id}`, new Date());
    const failing = directTransaction(db, async (tx) => {
      await insert(tx, randomUUID());
      await insert(tx, randomUUID());
      throw new Error("then it fails");
    });
    await expect(failing).rejects.toThrow("then it fails");
    expect(await db.customer.count({ where: { shopId: shop.id } })).toBe(0);

    const ids = [randomUUID(), randomUUID()];
    await directTransaction(db, async (tx) => {
      for (const id of ids) await insert(tx, id);
      // Inside, its own writes are seen; outside, not yet.
      expect(await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM "Customer" WHERE "shopId" = $1`, shop.id)).toHaveLength(2);
      expect(await db.customer.count({ where: { shopId: shop.id } })).toBe(0);
    });
    expect((await db.customer.findMany({ where: { shopId: shop.id } })).map((c) => c.id).sort()).toEqual(ids.sort());
  });

  it.runIf(postgres)("opens and closes a transaction with statements whose values are written in, reads their rows as a parameter's, and rolls them back with it", async () => {
    const shop = await createShop(db);
    const at = new Date("2026-11-27T23:59:58.123Z");
    const id = randomUUID();
    // A value that would break out of a literal if it were not escaped.
    const shopifyId = `gid://shopify/Customer/o'brien\\${id}`;
    const insert = withValues(
      `INSERT INTO "Customer" ("id", "shopId", "shopifyId", "email", "balance", "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING "id", "shopifyId", "email", "balance", "createdAt"`,
      [id, shop.id, shopifyId, null, 7, at],
    );
    const count = withValues(`SELECT count(*) AS "n" FROM "Customer" WHERE "shopId" = $1`, [shop.id]);

    const failing = directTransaction(
      db,
      async (_tx, opened) => {
        expect(opened).toHaveLength(2);
        const [[row], [counted]] = opened;
        expect(row).toEqual({ id, shopifyId, email: null, balance: 7, createdAt: at });
        // Read after the insert, in the same transaction; a bigint as Prisma reads it.
        expect(counted.n).toBe(1n);
        throw new Error("then it fails");
      },
      { opening: [insert, count] },
    );
    await expect(failing).rejects.toThrow("then it fails");
    expect(await db.customer.count({ where: { shopId: shop.id } })).toBe(0);

    // A closing statement made from fn's result runs before COMMIT; its rows come back.
    const done = await directTransaction(
      db,
      async (tx) => {
        await tx.$executeRawUnsafe(`UPDATE "Customer" SET "balance" = 9 WHERE "id" = $1`, id);
        return 9;
      },
      { opening: [insert], closing: (balance) => [withValues(`SELECT "balance" FROM "Customer" WHERE "id" = $1 AND "balance" = $2`, [id, balance])] },
    );
    expect(done).toEqual({ result: 9, closed: [[{ balance: 9 }]] });
    expect(await db.customer.findUniqueOrThrow({ where: { id } })).toMatchObject({ shopifyId, email: null, balance: 9, createdAt: at });

    // A closing statement that fails rolls the transaction back.
    const other = randomUUID();
    const badClose = directTransaction(db, async () => {}, {
      opening: [withValues(`INSERT INTO "Customer" ("id", "shopId", "shopifyId", "updatedAt") VALUES ($1, $2, $1, $3)`, [other, shop.id, at])],
      closing: () => [`SELECT 1 / 0`],
    });
    await expect(badClose).rejects.toThrow(/division by zero/);
    expect(await db.customer.findUnique({ where: { id: other } })).toBeNull();
  });
});
