// Starts the whole offline stack: the sandbox (Shopify's side) and the built
// Encore app, wired to each other, with the app installed on the sandbox shop.
// Used by `npm run demo` and by the browser tests.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox, type Sandbox } from "./server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The sandbox's own app credentials (the app is configured with the same). */
export const SANDBOX_API_KEY = "encore-sandbox-api-key";
export const SANDBOX_API_SECRET = "encore-sandbox-api-secret";
export const SANDBOX_SCOPES = "read_customers,write_customers,read_orders,read_products,write_discounts,read_returns,write_returns,read_fulfillments";

const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

export interface StackOptions {
  appPort?: number;
  sandboxPort?: number;
  databaseUrl?: string;
  seed?: number;
  /** Show the app's log on this process's stdout. */
  verbose?: boolean;
  retryDelaysMs?: number[];
}

export interface Stack {
  sandbox: Sandbox;
  appUrl: string;
  adminUrl: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitFor(url: string, app: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`The app exited with code ${app.exitCode} while starting`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The app did not answer at ${url} within ${timeoutMs / 1000}s`);
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const appPort = options.appPort ?? (await freePort());
  const appUrl = `http://localhost:${appPort}`;
  const sandbox = await startSandbox({
    port: options.sandboxPort ?? 0,
    appUrl,
    apiKey: SANDBOX_API_KEY,
    apiSecret: SANDBOX_API_SECRET,
    seed: options.seed,
    retryDelaysMs: options.retryDelaysMs,
  });

  const app = spawn(
    process.execPath,
    [
      "--import",
      path.join(root, "sandbox", "fetch-intercept.mjs"),
      path.join(root, "node_modules", "@remix-run", "serve", "dist", "cli.js"),
      path.join(root, "build", "server", "index.js"),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(appPort),
        HOST: "127.0.0.1",
        SHOPIFY_APP_URL: appUrl,
        SHOPIFY_API_KEY: SANDBOX_API_KEY,
        SHOPIFY_API_SECRET: SANDBOX_API_SECRET,
        SCOPES: SANDBOX_SCOPES,
        APP_BRIDGE_URL: `${sandbox.url}/app-bridge.js`,
        SHOPIFY_SANDBOX_URL: sandbox.url,
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      },
      stdio: ["ignore", options.verbose ? "inherit" : "ignore", "inherit"],
    },
  );

  const stop = async () => {
    if (app.exitCode === null) {
      app.kill("SIGTERM");
      await new Promise((r) => app.once("exit", r));
    }
    await sandbox.close();
  };

  try {
    await waitFor(`${appUrl}/`, app);
    // The merchant opens the app from the admin: session token → token
    // exchange → afterAuth records the shop. Webhooks are accepted from then on.
    // (A browser's user agent: Shopify's library turns bots away with 410.)
    const res = await fetch(sandbox.embeddedAppUrl("/app"), { headers: { "user-agent": BROWSER_UA } });
    if (!res.ok) throw new Error(`Installing on the sandbox shop failed: HTTP ${res.status}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { sandbox, appUrl, adminUrl: `${sandbox.url}/admin`, stop };
}
