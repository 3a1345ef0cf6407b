// Raw statements on PostgreSQL straight through node-postgres, on the pool
// Prisma's client itself uses (./../db.server.ts hands both the same one).
//
// Why: a raw statement through Prisma's client costs some 0.4 ms of CPU and
// 0.5 ms of wall time more than the same statement through pg (its request
// pipeline and query interpreter run for each; bench/results.md), and an
// orders/paid batch is a dozen of them in a row: most of a webhook's latency
// and a third of the app server's CPU on a busy day. The webhook path's
// statements are raw SQL already, written for both databases (./../models/
// sql.ts), so they go this way on PostgreSQL; on SQLite, and for everything
// written with Prisma's models, Prisma's client is the way.
import { createHash } from "node:crypto";
import pg from "pg";

/**
 * What the raw-SQL models need of a client: Prisma's client, its transaction
 * client, or a direct one (pool or transaction) from here — same calls, same
 * numbered placeholders.
 */
export interface SqlClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

// Prisma's raw results, as the models read them: a `timestamp` column (Prisma's
// DateTime, stored as UTC without a zone) is a Date in UTC, not in the
// process's zone as pg would read it; a bigint is a BigInt. The rest as pg.
const TIMESTAMP = 1114;
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMP) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    if (oid === INT8) return (value: string) => BigInt(value);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

// Parameters as Prisma sends them: a Date as its UTC instant (pg would write
// the process's local time, which a `timestamp` column stores as it reads).
const param = (value: unknown) => (value instanceof Date ? value.toISOString() : typeof value === "bigint" ? value.toString() : value);

// Named statements: PostgreSQL parses and plans an unnamed statement every
// time it runs (the statement log shows up to 0.7 ms of parse and 0.4 ms of
// bind for a batch's inserts, on a core the app servers share); a named one
// is parsed once per connection and its plan kept. The name is the text's
// hash, so the same text is the same statement on every connection. (Texts
// differ with the length of an IN list or VALUES rows; the JSON-parameter
// inserts do not. Past a bound, further texts go unnamed.)
const names = new Map<string, string>();
const MAX_NAMED = 10_000;

export function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `encore_${createHash("sha256").update(text).digest("base64url").slice(0, 22)}`;
    names.set(text, name);
  }
  return name;
}

/** A query on `queryable` as a named statement (see statementName), with Prisma's readings of the values (`types`, `param`). */
export function namedQuery(queryable: pg.Pool | pg.PoolClient, text: string, values: readonly unknown[] = []) {
  return queryable.query({ name: statementName(text), text, values: values.map(param), types });
}

function sqlOn(queryable: pg.Pool | pg.PoolClient): SqlClient {
  const run = (text: string, values: unknown[]) => namedQuery(queryable, text, values);
  return {
    // (Read by isPostgres in ../models/sql.ts, as on Prisma's own clients.)
    _activeProvider: "postgresql",
    async $queryRawUnsafe<T>(query: string, ...values: unknown[]) {
      return (await run(query, values)).rows as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]) {
      return (await run(query, values)).rowCount ?? 0;
    },
  } as SqlClient;
}

const pools = new WeakMap<object, { pool: pg.Pool; client: SqlClient }>();

/** Makes `db`'s raw statements go through `pool` (the pool its adapter uses). */
export function registerPool(db: object, pool: pg.Pool) {
  pools.set(db, { pool, client: sqlOn(pool) });
}

/**
 * The client to run `client`'s raw statements on: on PostgreSQL, for Prisma's
 * client of the app (not a transaction of it), the direct one; else itself.
 */
export function direct(client: SqlClient): SqlClient {
  return pools.get(client)?.client ?? client;
}

/** Whether `db`'s raw statements go directly (PostgreSQL), so directTransaction can run. */
export const goesDirect = (db: SqlClient) => pools.has(db);

/**
 * A statement with its values written into it, escaped, as Prisma would send
 * them (`param`): for the simple query protocol, which takes several
 * statements in one round trip but no parameters. (PostgreSQL reads an
 * untyped literal as the type its place wants, as it does a parameter.)
 */
export function withValues(text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = param(values[Number(n) - 1]);
    return value === null || value === undefined ? "NULL" : pg.escapeLiteral(String(value));
  });
}

/**
 * Runs `fn` in a transaction whose raw statements go directly: BEGIN, fn,
 * COMMIT on one pooled connection (ROLLBACK when fn throws). Only where
 * goesDirect(db); Prisma's models cannot run on it. Statements without
 * parameters (see withValues) can go with BEGIN — `opening`, whose rows fn
 * gets, one list per statement — and with COMMIT — `closing`, made from fn's
 * result, whose rows come back with it — in the same round trip: the simple
 * query protocol takes several statements.
 */
export async function directTransaction<T>(
  db: SqlClient,
  fn: (tx: SqlClient, opened: Rows[]) => Promise<T>,
  statements: { opening?: readonly string[]; closing?: (result: T) => readonly string[] } = {},
): Promise<{ result: T; closed: Rows[] }> {
  const registered = pools.get(db);
  if (!registered) throw new Error("directTransaction: this client's statements do not go directly");
  return poolTransaction(registered.pool, (connection, opened) => fn(sqlOn(connection), opened), statements);
}

/**
 * directTransaction's transaction on any pool's connection (the job queue's
 * keyed enqueue uses its own pool): fn gets the connection itself.
 */
export async function poolTransaction<T>(
  pool: pg.Pool,
  fn: (connection: pg.PoolClient, opened: Rows[]) => Promise<T>,
  { opening = [], closing }: { opening?: readonly string[]; closing?: (result: T) => readonly string[] } = {},
): Promise<{ result: T; closed: Rows[] }> {
  const connection = await pool.connect();
  // Every statement's rows but BEGIN's or COMMIT's.
  const run = async (statements: readonly string[]) => {
    const answer: pg.QueryResult | pg.QueryResult[] = await connection.query({ text: statements.join(";\n"), types });
    const results = Array.isArray(answer) ? answer : [answer];
    // PostgreSQL answers COMMIT of a transaction an error has aborted with ROLLBACK, not an error.
    if (statements[statements.length - 1] === "COMMIT" && results[results.length - 1].command === "ROLLBACK") throw new Error("the transaction was rolled back");
    return results.filter((r) => r.command !== "BEGIN" && r.command !== "COMMIT").map((r) => r.rows);
  };
  let broken: Error | undefined;
  try {
    const opened = await run(["BEGIN", ...opening]);
    try {
      const result = await fn(connection, opened);
      const closed = await run([...(closing?.(result) ?? []), "COMMIT"]);
      return { result, closed };
    } catch (error) {
      await connection.query("ROLLBACK").catch((rollbackError: Error) => {
        // A connection that cannot roll back is not returned to the pool.
        broken = rollbackError;
      });
      throw error;
    }
  } finally {
    connection.release(broken);
  }
}

export type Rows = Record<string, unknown>[];
