// Before each database test file: a fresh database of the project's kind,
// copied from the migrated template, and DATABASE_URL pointing at it, so that
// app/db.server.ts (imported by the test afterwards) connects to it.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { PG_ADMIN_URL, SQLITE_TEMPLATE, TEMPLATE_DB, pgUrl, runPsql } from "./db-names";

const kind = process.env.ENCORE_TEST_DB;
const name = `encore_test_${randomBytes(5).toString("hex")}`;

if (kind === "postgresql") {
  runPsql(PG_ADMIN_URL, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  process.env.DATABASE_URL = pgUrl(name);
} else {
  const file = path.join(path.dirname(SQLITE_TEMPLATE), `${name}.sqlite`);
  fs.copyFileSync(SQLITE_TEMPLATE, file);
  process.env.DATABASE_URL = `file:${file}`;
}

afterAll(async () => {
  // The job queue holds its own connections (pg-boss) or file (plainjob):
  // close them before the database goes.
  const { closeAppQueue } = await import("../../app/jobs/runtime.server");
  await closeAppQueue();
  const { default: db } = await import("../../app/db.server");
  await db.$disconnect();
  if (kind === "postgresql") {
    runPsql(PG_ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } else {
    const { sqliteQueueFile } = await import("../../app/jobs/queue.server");
    const files = [process.env.DATABASE_URL!.slice("file:".length), sqliteQueueFile(process.env.DATABASE_URL!)];
    for (const file of files) for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
  }
});
