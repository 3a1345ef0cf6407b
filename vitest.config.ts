// Three projects: pure unit tests, and the database-backed tests run twice —
// once on SQLite (the embedded default) and once on PostgreSQL — so every
// ledger and webhook behaviour is proven on both.
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

const dbTests = ["test/db/**/*.test.ts", "app/**/*.db.test.ts"];

const dbProject = (name: "sqlite" | "postgresql") => ({
  plugins: [tsconfigPaths()],
  test: {
    name,
    include: dbTests,
    environment: "node",
    env: { ENCORE_TEST_DB: name },
    globalSetup: ["test/setup/global-db.ts"],
    setupFiles: ["test/setup/env.ts", "test/setup/shopify-http.ts", "test/setup/db.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        plugins: [tsconfigPaths()],
        test: {
          name: "unit",
          include: ["app/**/*.test.ts", "test/unit/**/*.test.ts", "scripts/**/*.test.ts", "sandbox/**/*.test.ts"],
          exclude: dbTests,
          environment: "node",
          setupFiles: ["test/setup/env.ts"],
        },
      },
      dbProject("sqlite"),
      dbProject("postgresql"),
      {
        // Checkout / customer account UI extensions, with Shopify's extension tester.
        esbuild: { jsx: "automatic", jsxImportSource: "preact" },
        test: {
          name: "extensions",
          include: ["extensions/*/tests/**/*.test.ts"],
          environment: "jsdom",
          // The tester imports the extension's module itself: inlined, that
          // import goes through Vite (TSX, Preact JSX) rather than Node.
          server: { deps: { inline: ["@shopify/ui-extensions-tester"] } },
        },
      },
      {
        plugins: [tsconfigPaths()],
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/setup/global-browser.ts"],
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
