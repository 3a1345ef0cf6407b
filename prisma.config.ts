// Prisma CLI configuration. The CLI runs the Wasm schema engine through a
// driver adapter (no downloaded engine binaries), on the database that
// DATABASE_URL names: SQLite by default, PostgreSQL for postgres:// URLs.
// Run the CLI through `npm run prisma -- …` (scripts/prisma.mjs), which sets
// the environment the engine-free CLI needs.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { databaseTarget } from "./app/db/target";

const target = databaseTarget(process.env.DATABASE_URL, process.env.ENCORE_PRISMA_PROVIDER);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", target.schemaPath),
  migrations: { path: path.join("prisma", target.migrationsPath) },
  async adapter() {
    if (target.provider === "postgresql") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: target.url });
    }
    const { PrismaLibSQL } = await import("@prisma/adapter-libsql");
    return new PrismaLibSQL({ url: target.url });
  },
});
