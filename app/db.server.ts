// The Prisma client for DATABASE_URL: SQLite (the embedded default) or
// PostgreSQL. Both generated clients come from the same models, so the app is
// typed against one of them and runs on either.
import { createRequire } from "node:module";
import type { PrismaClient as SqliteClient, Prisma } from ".prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { registerPool } from "./db/direct";
import { OneConnectionLibSQL } from "./db/libsql";
import { databaseTarget, type Provider } from "./db/target";

export type Db = SqliteClient;
export type Tx = Prisma.TransactionClient;

// The generated clients live in node_modules/.prisma (see prisma/schema.prisma)
// and are CommonJS; Node's own resolver loads them, not the bundler. The SQLite
// client sits at Prisma's default place, .prisma/client, because libraries that
// import @prisma/client (the session storage) need something there.
const require = createRequire(import.meta.url);
const clients = {
  sqlite: () => require(".prisma/client").PrismaClient as typeof SqliteClient,
  postgresql: () => require(".prisma/encore-postgres").PrismaClient as typeof SqliteClient,
};

export interface DbHandle {
  db: Db;
  provider: Provider;
}

// Prisma's default (5 s to finish, 2 s to start) fails a webhook's short
// transaction whenever a flash sale keeps the pool or SQLite's single writer
// busy for a moment; Shopify's 5 s answer deadline is the real bound.
const transactionOptions = { timeout: 15_000, maxWait: 15_000 };

export function createDb(url = process.env.DATABASE_URL): DbHandle {
  const target = databaseTarget(url);
  if (target.provider === "postgresql") {
    // One pool for Prisma's client and the raw statements that skip it (./db/direct.ts),
    // ended with the client's $disconnect.
    const pool = new pg.Pool({ connectionString: target.url, max: Number(process.env.DATABASE_POOL_SIZE || 10) });
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    const db = new (clients.postgresql())({ adapter, transactionOptions });
    registerPool(db, pool);
    return { provider: target.provider, db };
  }
  const adapter = new OneConnectionLibSQL({ url: target.url });
  const db = new (clients.sqlite())({ adapter, transactionOptions });
  // Write-ahead logging: readers no longer block the writer, and a commit is
  // one append instead of a rewritten journal — an order of magnitude more
  // webhooks per second. The mode is stored in the file, so setting it on
  // every start is harmless.
  void db.$queryRawUnsafe("PRAGMA journal_mode = WAL").catch(() => undefined);
  // The app's one connection (./db/libsql.ts) keeps these. A page cache of
  // 64 MB instead of 2: a big store's indexes stay in memory rather than
  // being read back from the file by every lookup. Another process on the
  // file (the CLI's migrations, a second server) is waited for up to 5 s
  // instead of failing at once.
  void db.$queryRawUnsafe("PRAGMA cache_size = -65536").catch(() => undefined);
  void db.$queryRawUnsafe("PRAGMA busy_timeout = 5000").catch(() => undefined);
  return { provider: target.provider, db };
}

declare global {
  var __encoreDb: DbHandle | undefined;
}

// One client per process (and across Vite's dev-server reloads).
const handle = globalThis.__encoreDb ?? createDb();
// (Not in tests: each test file gets a database of its own.)
if (process.env.NODE_ENV === "development") globalThis.__encoreDb = handle;

export const provider = handle.provider;
const db = handle.db;
export default db;
