import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";

export const PG_BASE_URL = process.env.TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432";
export const PG_ADMIN_URL = `${PG_BASE_URL}/postgres`;
// Named after the checkout, so that two checkouts on one machine (worktrees,
// CI beside a developer) can run their suites at the same time.
const checkout = createHash("sha256").update(process.cwd()).digest("hex").slice(0, 8);
export const TEMPLATE_DB = `encore_test_template_${checkout}`;
export const SQLITE_TEMPLATE = path.join(os.tmpdir(), "encore-tests", checkout, "template.sqlite");
export const pgUrl = (db: string) => `${PG_BASE_URL}/${db}`;

export function runPsql(url: string, sql: string) {
  execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-qc", sql], { stdio: ["ignore", "ignore", "inherit"] });
}
