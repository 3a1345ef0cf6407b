#!/usr/bin/env node
// The one entry point to the Prisma CLI for this project (`npm run prisma -- …`).
//
// Prisma 6.19 normally downloads native engines, which this project never
// needs: the client uses the TypeScript query compiler and the CLI uses the
// Wasm schema engine through a driver adapter (see prisma.config.ts). Pointing
// the engine variables at an existing file stops the CLI from trying to
// download anything, so a fresh clone works offline.
//
//   generate          regenerate both clients (SQLite and PostgreSQL)
//   deploy            apply committed migrations to DATABASE_URL's database
//   setup             generate + deploy
//   sync-schemas      write prisma/postgres/schema.prisma from prisma/schema.prisma
//   new-migration N   write migration N for both databases from the schema change
//   check-migrations  fail if either database's migrations do not build the schema
//   <anything else>   passed to the Prisma CLI as is
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseTarget } from "../app/db/target.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prismaBin = path.join(root, "node_modules", "prisma", "build", "index.js");
const sqliteSchema = path.join(root, "prisma", "schema.prisma");
const postgresSchema = path.join(root, "prisma", "postgres", "schema.prisma");

const engineEnv = {
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || prismaBin,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY || prismaBin,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  PRISMA_DISABLE_WARNINGS: "1",
  CHECKPOINT_DISABLE: "1",
};

export function postgresSchemaText(sqliteText) {
  const out = sqliteText
    .replace(/^\/\/ Encore's data model\.[^\n]*\n(\/\/[^\n]*\n)*/m, "")
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output          = "../node_modules/.prisma/client"', 'output          = "../../node_modules/.prisma/encore-postgres"');
  return (
    "// GENERATED from prisma/schema.prisma by `npm run prisma -- sync-schemas`.\n" +
    "// Do not edit: change prisma/schema.prisma and re-run the command.\n\n" +
    out
  );
}

function run(args, env = {}, { capture = false } = {}) {
  const merged = { ...process.env, ...engineEnv, ...env };
  // The schema reads env("DATABASE_URL"); give it the resolved default too.
  merged.DATABASE_URL = databaseTarget(merged.DATABASE_URL, merged.ENCORE_PRISMA_PROVIDER).url;
  const result = spawnSync(process.execPath, [prismaBin, ...args], {
    cwd: root,
    env: merged,
    stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
  });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
  return result.stdout;
}

function syncSchemas() {
  const text = postgresSchemaText(fs.readFileSync(sqliteSchema, "utf8"));
  fs.mkdirSync(path.dirname(postgresSchema), { recursive: true });
  if (!fs.existsSync(postgresSchema) || fs.readFileSync(postgresSchema, "utf8") !== text) {
    fs.writeFileSync(postgresSchema, text);
    console.log("prisma: wrote prisma/postgres/schema.prisma");
  }
}

function generate() {
  syncSchemas();
  for (const provider of ["sqlite", "postgresql"]) {
    run(["generate"], { ENCORE_PRISMA_PROVIDER: provider }, { capture: true });
  }
  console.log("prisma: generated the SQLite and PostgreSQL clients in node_modules/.prisma/");
}

function deploy() {
  run(["migrate", "deploy"]);
}

const pgBase = process.env.MIGRATION_PG_URL || "postgresql://postgres@127.0.0.1:5432";
const psql = (db, sql) => spawnSync("psql", [`${pgBase}/${db}`, "-qc", sql], { stdio: ["ignore", "ignore", "inherit"] });

// Runs fn on a scratch database of the given kind, dropped afterwards.
function withScratch(provider, fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "encore-migrate-"));
  const pgDb = `encore_scratch_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = provider === "sqlite" ? `file:${path.join(dir, "scratch.sqlite")}` : `${pgBase}/${pgDb}`;
  if (provider === "postgresql") psql("postgres", `CREATE DATABASE ${pgDb}`);
  try {
    return fn({ DATABASE_URL: url, ENCORE_PRISMA_PROVIDER: provider }, { dir, pgDb });
  } finally {
    if (provider === "postgresql") psql("postgres", `DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The models that the committed migrations build, as a Prisma schema for the
// given provider. The adapter-based schema engine can neither diff against a
// live URL nor introspect PostgreSQL, so the SQLite migrations are applied to
// a scratch file and introspected; check-migrations keeps the PostgreSQL
// migrations equivalent to them.
function migratedModels(provider, dir) {
  return withScratch("sqlite", (env) => {
    run(["migrate", "deploy"], env, { capture: true });
    const printed = run(["db", "pull", "--print"], env, { capture: true });
    // The CLI prints an adapter warning before the schema on stdout.
    const schema = printed.slice(Math.max(0, printed.search(/^generator /m)));
    const file = path.join(dir, `migrated-${provider}.prisma`);
    fs.writeFileSync(file, schema.replace('provider = "sqlite"', `provider = "${provider}"`));
    return file;
  });
}

const providers = [
  { provider: "sqlite", dir: "prisma/migrations", schema: sqliteSchema },
  { provider: "postgresql", dir: "prisma/postgres/migrations", schema: postgresSchema },
];

const isEmptyDiff = (sql) => !sql.trim() || /empty migration/i.test(sql);

function newMigration(name) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npm run prisma -- new-migration <snake_case_name>");
    process.exit(2);
  }
  syncSchemas();
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "encore-models-"));
  // Both "from" schemas before writing anything: they are built from the
  // SQLite migrations, which the first iteration adds to.
  const froms = providers.map((t) => migratedModels(t.provider, tmp));
  for (const [i, t] of providers.entries()) {
    const from = froms[i];
    // The adapter connects even to diff two datamodels: give it a scratch
    // database of the provider's kind (DATABASE_URL may name the other kind).
    const sql = withScratch(t.provider, (env) =>
      run(["migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", t.schema, "--script"], env, {
        capture: true,
      }),
    );
    if (isEmptyDiff(sql)) {
      console.log(`prisma: no change for ${t.provider}`);
      continue;
    }
    const out = path.join(root, t.dir, `${stamp}_${name}`);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "migration.sql"), sql);
    console.log(`prisma: wrote ${path.relative(root, out)}/migration.sql`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

function pgSchemaDump(env, pgDb) {
  const dump = spawnSync("pg_dump", ["--schema-only", "--no-owner", "--exclude-table=_prisma_migrations", `${pgBase}/${pgDb}`], {
    encoding: "utf8",
  });
  if (dump.status !== 0) throw new Error(dump.stderr);
  return dump.stdout.replace(/^(--.*|\\(un)?restrict .*)$/gm, "").replace(/\n{2,}/g, "\n");
}

// Fails when the committed migrations of either database do not build the schema.
function checkMigrations() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "encore-models-"));
  const problems = [];
  const sqliteDrift = run(
    ["migrate", "diff", "--from-schema-datamodel", migratedModels("sqlite", tmp), "--to-schema-datamodel", sqliteSchema, "--script"],
    { ENCORE_PRISMA_PROVIDER: "sqlite" },
    { capture: true },
  );
  if (!isEmptyDiff(sqliteDrift)) problems.push(`SQLite migrations differ from the schema:\n${sqliteDrift}`);
  // PostgreSQL: the migrations, applied in order, must leave the same schema
  // as creating the whole schema from scratch.
  const migrated = withScratch("postgresql", (env, { pgDb }) => {
    run(["migrate", "deploy"], env, { capture: true });
    return pgSchemaDump(env, pgDb);
  });
  const fresh = withScratch("postgresql", (env, { pgDb }) => {
    const sql = run(["migrate", "diff", "--from-empty", "--to-schema-datamodel", postgresSchema, "--script"], env, { capture: true });
    const file = path.join(tmp, "fresh.sql");
    fs.writeFileSync(file, sql);
    run(["db", "execute", "--schema", postgresSchema, "--file", file], env, { capture: true });
    return pgSchemaDump(env, pgDb);
  });
  if (migrated !== fresh) problems.push("PostgreSQL migrations differ from the schema (compare pg_dump of both).");
  fs.rmSync(tmp, { recursive: true, force: true });
  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log("prisma: migrations match the schema on SQLite and PostgreSQL");
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case "generate":
      generate();
      break;
    case "deploy":
      deploy();
      break;
    case "setup":
      generate();
      deploy();
      break;
    case "sync-schemas":
      syncSchemas();
      break;
    case "check-migrations":
      checkMigrations();
      break;
    case "new-migration":
      newMigration(rest[0]);
      break;
    default:
      run([command, ...rest].filter(Boolean));
  }
}
