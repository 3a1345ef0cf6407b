// VIP tiers and the record of customers' moves between them.
import type { Db, Tx } from "../db.server";
import { cachedShopData, invalidateShopData } from "../services/cache.server";
import { toMilli } from "../services/money";
import { direct, type SqlClient } from "../db/direct";
import { customersLockedInOrder, inList, insertStatement, isPostgres, newRowId } from "./sql";

export type TierRow = NonNullable<Awaited<ReturnType<Db["earningTier"]["findFirst"]>>>;

/** The shop's tiers, lowest threshold first. */
export async function listTiers(db: Db | Tx, shopId: string): Promise<TierRow[]> {
  const rows = await db.earningTier.findMany({ where: { shopId } });
  return rows.sort((a, b) => (toMilli(a.threshold) < toMilli(b.threshold) ? -1 : toMilli(a.threshold) > toMilli(b.threshold) ? 1 : a.id.localeCompare(b.id)));
}

/** The tiers through the per-shop cache, for orders/paid (see cachedRules). */
export function cachedTiers(db: Db, shopId: string): Promise<TierRow[]> {
  return cachedShopData(db, shopId, "earning-tiers", () => listTiers(db, shopId));
}

export const forgetTiers = (db: Db, shopId: string) => invalidateShopData(db, shopId, "earning-tiers");

export interface TierInput {
  name: string;
  threshold: string;
  multiplier: string;
  perks: string;
}

export async function createTier(db: Db, shopId: string, tier: TierInput) {
  const created = await db.earningTier.create({ data: { shopId, ...tier } });
  forgetTiers(db, shopId);
  return created;
}

export async function updateTier(db: Db, shopId: string, id: string, tier: TierInput) {
  const { count } = await db.earningTier.updateMany({ where: { id, shopId }, data: tier });
  forgetTiers(db, shopId);
  return count > 0;
}

export async function deleteTier(db: Db, shopId: string, id: string) {
  const { count } = await db.earningTier.deleteMany({ where: { id, shopId } });
  forgetTiers(db, shopId);
  return count > 0;
}

export function tierHistory(db: Db, customerId: string, take = 20) {
  return db.tierChange.findMany({ where: { customerId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
}

/** Members per tier id. */
export async function tierMemberCounts(db: Db, shopId: string): Promise<Map<string, number>> {
  const groups = await db.customer.groupBy({ by: ["tierId"], where: { shopId, redactedAt: null, tierId: { not: null } }, _count: { _all: true } });
  return new Map(groups.map((g) => [g.tierId as string, g._count._all]));
}

/** An award as the tier measures count it. */
export interface MeasuredAward {
  pointsAwarded: number;
  pointsReversed: number;
  merchandiseTotal: string;
  merchandiseRefunded: string;
}

export type TierWindow = { since: Date; until: Date };
export type TierFacts = Map<string, { tierId: string | null; awards: MeasuredAward[] }>;

/**
 * Each customer's tier now and their awarded orders (those created in the
 * window, when one is given), in one read for them all: orders/paid places
 * every member of a batch. factsOf reads its rows; customers that do not
 * exist are missing.
 */
export function tierFactsQuery(shopId: string, customerIds: string[], window?: TierWindow) {
  // (The window's bounds come after the ids in the text as in the numbers:
  // SQLite numbers $-parameters in the order they first appear.) The join is
  // on the customer alone — a customer's awards are all their shop's — so the
  // only index that serves it is the one led by "customerId": with the shop in
  // the condition, PostgreSQL could pick the shop's award index (shopId
  // first) and read every award of the shop per customer, which it did on a
  // busy day's fresh tables before they had statistics (35 ms growing to 80).
  // It does not select "shopId": the subquery's filter is the shop check, and
  // a filter only ("shopId" || ''), which no index serves: on those fresh
  // tables PostgreSQL also read the customers through the shop's index, all
  // of them, instead of the few ids through the primary key.
  const n = customerIds.length;
  return {
    sql: `SELECT c."id", c."tierId", a."pointsAwarded", a."pointsReversed", a."merchandiseTotal", a."merchandiseRefunded"
     FROM (SELECT "id", "tierId" FROM "Customer" WHERE ("shopId" || '') = $1 AND "id" IN (${inList(n, 2)})) c
     LEFT JOIN "OrderAward" a ON a."customerId" = c."id" AND a."status" = 'awarded'${window ? ` AND a."createdAt" >= $${n + 2} AND a."createdAt" <= $${n + 3}` : ""}`,
    params: [shopId, ...customerIds, ...(window ? [window.since, window.until] : [])],
  };
}

/**
 * tierFactsQuery for customers named by their Shopify ids, for a transaction
 * that reads them in the round trip that saves them (orders/paid opens with
 * its customers' upsert: see creditOrders), before it knows their row ids.
 * `heldOnly`: only those in a tier (a shop without tiers has only those to
 * move, out). The customer's row is found through the shop's unique index on
 * Shopify ids; the awards, as in tierFactsQuery, by customer alone.
 */
export function tierFactsByShopifyIdQuery(shopId: string, shopifyIds: string[], { window, heldOnly }: { window?: TierWindow; heldOnly: boolean }) {
  const n = shopifyIds.length;
  return {
    sql: `SELECT c."id", c."tierId", a."pointsAwarded", a."pointsReversed", a."merchandiseTotal", a."merchandiseRefunded"
     FROM (SELECT "id", "tierId" FROM "Customer" WHERE "shopId" = $1 AND "shopifyId" IN (${inList(n, 2)})${heldOnly ? ` AND "tierId" IS NOT NULL` : ""}) c
     LEFT JOIN "OrderAward" a ON a."customerId" = c."id" AND a."status" = 'awarded'${window ? ` AND a."createdAt" >= $${n + 2} AND a."createdAt" <= $${n + 3}` : ""}`,
    params: [shopId, ...shopifyIds, ...(window ? [window.since, window.until] : [])],
  };
}

export function factsOf(rows: readonly Record<string, unknown>[]): TierFacts {
  const facts: TierFacts = new Map();
  for (const row of rows) {
    const id = String(row.id);
    const fact = facts.get(id) ?? { tierId: row.tierId as string | null, awards: [] };
    facts.set(id, fact);
    if (row.merchandiseTotal === null || row.merchandiseTotal === undefined) continue;
    fact.awards.push({
      pointsAwarded: Number(row.pointsAwarded),
      pointsReversed: Number(row.pointsReversed),
      merchandiseTotal: String(row.merchandiseTotal),
      merchandiseRefunded: String(row.merchandiseRefunded),
    });
  }
  return facts;
}

export interface NewTierChange {
  shopId: string;
  customerId: string;
  fromTierId: string | null;
  fromName: string | null;
  toTierId: string | null;
  toName: string | null;
  basisValue: string;
  reason: string;
  createdAt: Date;
}

const CHANGE_COLUMNS = ["id", "shopId", "customerId", "fromTierId", "fromName", "toTierId", "toName", "basisValue", "reason", "createdAt"] as const;

/**
 * Moves the customers, each only from the tier it was read in — a
 * concurrent recompute that moved one first wins, and records that move
 * instead — and records the moves made: one statement on PostgreSQL, two on
 * SQLite. The customers moved.
 */
export async function moveTiers(db: SqlClient, moves: NewTierChange[]): Promise<Set<string>> {
  if (!moves.length) return new Set();
  const client = direct(db);
  if (isPostgres(client)) {
    const move = moveTiersQuery(client, moves);
    return new Set((await client.$queryRawUnsafe<{ customerId: string }[]>(move.sql, ...move.params)).map((r) => r.customerId));
  }
  const { update, params, rows } = tierUpdate(client, moves);
  const moved = new Set((await client.$queryRawUnsafe<{ id: string }[]>(update, ...params)).map((r) => r.id));
  const made = rows.filter((m) => moved.has(m.customerId));
  if (made.length) {
    const insert = insertStatement(client, "TierChange", CHANGE_COLUMNS, made);
    await client.$executeRawUnsafe(insert.sql, ...insert.params);
  }
  return moved;
}

/** moveTiers' one statement on PostgreSQL, for a transaction to send with its COMMIT (see creditOrders); it answers the customers moved. */
export function moveTiersQuery(client: object, moves: NewTierChange[]) {
  const { update, params, rows } = tierUpdate(client, moves);
  // (The records, of the moves made only, after the update's parameters.)
  const changes = insertStatement(client, "TierChange", CHANGE_COLUMNS, rows, params.length + 1);
  return {
    sql: `WITH "moved" AS (${update})
       ${changes.sql} WHERE "customerId" IN (SELECT "id" FROM "moved") RETURNING "customerId"`,
    params: [...params, ...changes.params],
  };
}

function tierUpdate(client: object, moves: NewTierChange[]) {
  const n = moves.length;
  const locked = customersLockedInOrder(client, n, 3 * n + 1);
  const postgres = isPostgres(client);
  const update = `UPDATE "Customer" SET "tierId" = v.column3
     FROM (VALUES ${moves.map((_, i) => `(CAST($${3 * i + 1} AS TEXT), CAST($${3 * i + 2} AS TEXT), CAST($${3 * i + 3} AS TEXT))`).join(", ")}) AS v${locked}
     WHERE "Customer"."id" = v.column1 AND "Customer"."tierId" ${postgres ? "IS NOT DISTINCT FROM" : "IS"} v.column2${locked ? ` AND l."lockedId" = v.column1` : ""}
     RETURNING "Customer"."id"`;
  const params = [...moves.flatMap((m) => [m.customerId, m.fromTierId, m.toTierId]), ...(locked ? moves.map((m) => m.customerId) : [])];
  return { update, params, rows: moves.map((m) => ({ id: newRowId(), ...m })) };
}
