import { randomFillSync } from "node:crypto";
// Building raw statements over many rows, the same text for SQLite and
// PostgreSQL: numbered placeholders ($1…), each used once and in order, which
// PostgreSQL takes and SQLite binds by position.

export const quoteNames = (names: readonly string[]) => names.map((c) => `"${c}"`).join(", ");

/** `($1, $2), ($3, $4)…` for `rows` rows of `width` values, numbered from `first`. */
export function valuesList(rows: number, width: number, first = 1): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < width; c++) cells.push(`$${first + r * width + c}`);
    out.push(`(${cells.join(", ")})`);
  }
  return out.join(", ");
}

/** `$first, $first+1…` for an IN list of `count` values. */
export const inList = (count: number, first = 1) => Array.from({ length: count }, (_, i) => `$${first + i}`).join(", ");

/**
 * `INSERT INTO table (columns) …` with its parameters, for rows given as
 * objects keyed by column, on `client`'s database. SQLite takes a VALUES
 * list. PostgreSQL takes the rows as one JSON parameter, which
 * json_populate_recordset turns into the table's own row type (its column
 * types convert the values): Prisma's client costs some 5 µs of CPU per
 * parameter, and a batch of orders' awards or ledger entries is hundreds of
 * them — in one parameter, a quarter of the cost.
 */
export function insertStatement<R extends Record<string, unknown>>(client: object, table: string, columns: readonly (keyof R & string)[], rows: readonly R[], first = 1) {
  if (isPostgres(client)) {
    const json = JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))));
    return {
      sql: `INSERT INTO "${table}" (${quoteNames(columns)}) SELECT ${quoteNames(columns)} FROM json_populate_recordset(NULL::"${table}", $${first}::json)`,
      params: [json] as unknown[],
    };
  }
  return {
    sql: `INSERT INTO "${table}" (${quoteNames(columns)}) VALUES ${valuesList(rows.length, columns.length, first)}`,
    params: rows.flatMap((row) => columns.map((c) => row[c])),
  };
}

/**
 * Whether a client (or transaction client) talks to PostgreSQL. (Prisma's own
 * record of the provider: a transaction client has no public one.
 * test/db/ledger-concurrency.test.ts checks the order lock, which depends on
 * it, is really taken.)
 */
export const isPostgres = (client: object) => (client as { _activeProvider?: string })._activeProvider === "postgresql";

/**
 * On PostgreSQL, a FROM item that locks the customers `$first…` (as many as
 * `count`) in Shopify id order, for a statement that updates several
 * customers: joined to the update on "lockedId", it hands its rows over
 * locked in that order, so two statements sharing customers wait for each
 * other instead of deadlocking (upsertCustomers locks in the same order).
 * Empty on SQLite, whose transactions write one at a time.
 */
export const customersLockedInOrder = (client: object, count: number, first: number) =>
  isPostgres(client) ? `, (SELECT "id" AS "lockedId" FROM "Customer" WHERE "id" IN (${inList(count, first)}) ORDER BY "shopifyId" FOR UPDATE) AS l` : "";

// Entropy for newRowId, drawn in blocks (one system call per 256 ids).
const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;

/**
 * An id for a row a raw statement inserts: a UUIDv7 (RFC 9562), whose first
 * 48 bits are the time in milliseconds. Ids made one after another sort one
 * after another, so inserts append to the primary key's index instead of
 * dirtying a random page of it per row — on a table of millions, the
 * difference between writing a few pages per transaction and thousands.
 */
export function newRowId(now = Date.now()): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const b = Buffer.from(pool.subarray(poolOffset, (poolOffset += 16)));
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70; // version 7
  b[8] = (b[8] & 0x3f) | 0x80; // variant 10
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
