import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";

export const PG_BASE_URL = process.env.TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432";
export const PG_ADMIN_URL = `${PG_BASE_URL}/postgres`;
export const TEMPLATE_DB = `encore_test_template`;
export const SQLITE_TEMPLATE = path.join(os.tmpdir(), "encore-tests", "template.sqlite");
export const pgUrl = (db: string) => `${PG_BASE_URL}/${db}`;

export function runPsql(url: string, sql: string) {
  execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-qc", sql], { stdio: ["ignore", "ignore", "inherit"] });
}
