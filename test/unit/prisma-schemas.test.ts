// The PostgreSQL schema is generated from the SQLite one; both databases'
// committed migrations must build exactly the schema (checked with the real
// Prisma CLI on scratch databases).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { postgresSchemaText } from "../../scripts/prisma.mjs";

const root = path.resolve(__dirname, "../..");

describe("Prisma schemas and migrations", () => {
  it("prisma/postgres/schema.prisma is in sync with prisma/schema.prisma", () => {
    const expected = postgresSchemaText(fs.readFileSync(path.join(root, "prisma/schema.prisma"), "utf8"));
    expect(fs.readFileSync(path.join(root, "prisma/postgres/schema.prisma"), "utf8")).toBe(expected);
  });

  it("the committed migrations of SQLite and PostgreSQL build the schema", async () => {
    // Asynchronously: a minute-long synchronous child process blocks the
    // worker, and vitest reports its RPC timing out.
    const { stdout: out } = await promisify(execFile)(process.execPath, [path.join(root, "scripts/prisma.mjs"), "check-migrations"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(out).toMatch(/migrations match the schema on SQLite and PostgreSQL/);
  }, 180_000);
});
