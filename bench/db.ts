// Fresh, migrated databases for the benchmarks, and the app's Prisma client
// on them.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PG_BASE = process.env.BENCH_PG_URL || "postgresql://postgres@127.0.0.1:5432";

export type Provider = "sqlite" | "postgresql";

/** An empty database `name` (dropped first if it exists), migrated. Returns its URL. */
export function freshDatabase(provider: Provider, name: string): string {
  let url: string;
  if (provider === "postgresql") {
    dropDatabase(provider, name);
    execFileSync("psql", [`${PG_BASE}/postgres`, "-qc", `CREATE DATABASE ${name}`], { stdio: "ignore" });
    url = `${PG_BASE}/${name}`;
  } else {
    const dir = path.join(os.tmpdir(), name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    url = `file:${path.join(dir, "bench.sqlite")}`;
  }
  execFileSync(process.execPath, [path.join(root, "scripts", "prisma.mjs"), "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return url;
}

export function dropDatabase(provider: Provider, name: string) {
  if (provider === "postgresql") {
    execFileSync("psql", [`${PG_BASE}/postgres`, "-qc", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: "ignore" });
  } else {
    fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

/** Rows per multi-row INSERT when seeding. */
export const SEED_CHUNK = 1000;

/** createMany in chunks (bind variable limits), for seeding. */
export async function insertAll<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += SEED_CHUNK) await insert(rows.slice(i, i + SEED_CHUNK));
}

export const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** The app's Prisma client (app/db.server.ts) on `url`. */
export async function openDb(url: string) {
  // Importing db.server opens its default client on DATABASE_URL: make that a bench database too.
  process.env.DATABASE_URL ??= url;
  const { createDb } = await import("../app/db.server.ts");
  return createDb(url).db;
}
