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

/** `INSERT INTO table (columns) VALUES (…), (…)` with its parameters, for rows given as objects keyed by column. */
export function insertStatement<R extends Record<string, unknown>>(table: string, columns: readonly (keyof R & string)[], rows: readonly R[]) {
  return {
    sql: `INSERT INTO "${table}" (${quoteNames(columns)}) VALUES ${valuesList(rows.length, columns.length)}`,
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
