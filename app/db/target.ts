// Which database a DATABASE_URL points at. Shared by the app, the Prisma CLI
// config and the test set-up so that all three agree.
import path from "node:path";

export type Provider = "sqlite" | "postgresql";

export interface DatabaseTarget {
  provider: Provider;
  url: string;
  /** Relative to prisma/. */
  schemaPath: string;
  /** Relative to prisma/. */
  migrationsPath: string;
}

/** The embedded default: a SQLite file inside the project. */
export const DEFAULT_DATABASE_URL = `file:${path.join("prisma", "dev.sqlite")}`;

export function databaseTarget(url?: string, forceProvider?: string): DatabaseTarget {
  const resolved = url && url.trim() !== "" ? url.trim() : DEFAULT_DATABASE_URL;
  const provider: Provider =
    forceProvider === "postgresql" || forceProvider === "sqlite"
      ? forceProvider
      : /^postgres(ql)?:\/\//i.test(resolved)
        ? "postgresql"
        : "sqlite";
  if (provider === "sqlite" && !resolved.startsWith("file:") && !forceProvider) {
    throw new Error(
      `DATABASE_URL must be a file: URL (SQLite) or a postgres:// URL (PostgreSQL); got "${resolved}"`,
    );
  }
  return provider === "postgresql"
    ? { provider, url: resolved, schemaPath: "postgres/schema.prisma", migrationsPath: "postgres/migrations" }
    : { provider, url: resolved, schemaPath: "schema.prisma", migrationsPath: "migrations" };
}
