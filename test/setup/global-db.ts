// Once per test run and database kind: build a template database with the
// real Prisma CLI (`migrate deploy` of the committed migrations). Each test
// file then gets a cheap copy of it (see ./db.ts).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { PG_ADMIN_URL, SQLITE_TEMPLATE, TEMPLATE_DB, pgUrl, runPsql } from "./db-names";

export default function setup(project: TestProject) {
  const kind = project.config.env?.ENCORE_TEST_DB ?? process.env.ENCORE_TEST_DB;
  const root = process.cwd();
  let url: string;
  if (kind === "postgresql") {
    runPsql(PG_ADMIN_URL, `DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    runPsql(PG_ADMIN_URL, `CREATE DATABASE ${TEMPLATE_DB}`);
    url = pgUrl(TEMPLATE_DB);
  } else {
    fs.mkdirSync(path.dirname(SQLITE_TEMPLATE), { recursive: true });
    fs.rmSync(SQLITE_TEMPLATE, { force: true });
    url = `file:${SQLITE_TEMPLATE}`;
  }
  execFileSync(process.execPath, [path.join(root, "scripts", "prisma.mjs"), "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit"],
  });
}
