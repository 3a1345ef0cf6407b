// Starts the whole offline stack: the sandbox (Shopify's side) and the built
// Encore app, wired to each other, with the app installed on the sandbox shop.
// Used by `npm run demo` and by the browser tests.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startMailCatcher, type MailCatcher } from "./mail.ts";
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
  /** More environment for the app (and its workers), e.g. ENCORE_WEBHOOKS. */
  env?: Record<string, string>;
}

export interface Stack {
  sandbox: Sandbox;
  /** The SMTP catcher (emails shown at {sandbox}/mail). */
  mail: MailCatcher;
  appUrl: string;
  adminUrl: string;
  /** Starts an `npm run worker` process on the app's database and environment (stopped with the stack). */
  startWorker(): void;
  /** Stops the job workers started with startWorker (after their jobs in hand). */
  stopWorkers(): Promise<void>;
  /**
   * Starts one more app server on the same database and environment, as a
   * load balancer would have behind it (stopped with the stack); its URL.
   */
  startAppServer(): Promise<string>;
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
  const mail = await startMailCatcher();
  const sandbox = await startSandbox({
    mail,
    port: options.sandboxPort ?? 0,
    appUrl,
    apiKey: SANDBOX_API_KEY,
    apiSecret: SANDBOX_API_SECRET,
    seed: options.seed,
    retryDelaysMs: options.retryDelaysMs,
  });

  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SHOPIFY_APP_URL: appUrl,
    SHOPIFY_API_KEY: SANDBOX_API_KEY,
    SHOPIFY_API_SECRET: SANDBOX_API_SECRET,
    SCOPES: SANDBOX_SCOPES,
    APP_BRIDGE_URL: `${sandbox.url}/app-bridge.js`,
    SHOPIFY_SANDBOX_URL: sandbox.url,
    // Encrypts SMTP passwords at rest; a production app sets its own.
    ENCORE_ENCRYPTION_KEY: process.env.ENCORE_ENCRYPTION_KEY || "encore-sandbox-encryption-key",
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  // The app and its workers reach the sandbox instead of Shopify.
  const run = (script: string[], env: NodeJS.ProcessEnv) =>
    spawn(process.execPath, ["--import", path.join(root, "sandbox", "fetch-intercept.mjs"), ...script], {
      cwd: root,
      env,
      stdio: ["ignore", options.verbose ? "inherit" : "ignore", "inherit"],
    });
  const serve = (port: number) =>
    run([path.join(root, "scripts", "serve.mjs")], {
      ...appEnv,
      PORT: String(port),
      HOST: "127.0.0.1",
    });
  const app = serve(appPort);
  const workers: ChildProcess[] = [];
  const servers: ChildProcess[] = [];
  const startWorker = () => {
    workers.push(run([path.join(root, "scripts", "worker.mjs")], appEnv));
  };
  const stopChildren = async (children: ChildProcess[]) => {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  };
  const stopWorkers = () => stopChildren(workers.splice(0));
  const startAppServer = async () => {
    const port = await freePort();
    const server = serve(port);
    servers.push(server);
    await waitFor(`http://localhost:${port}/`, server);
    return `http://localhost:${port}`;
  };

  const stop = async () => {
    await stopChildren([app, ...servers, ...workers]);
    await sandbox.close();
    await mail.stop();
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
  return { sandbox, mail, appUrl, adminUrl: `${sandbox.url}/admin`, startWorker, stopWorkers, startAppServer, stop };
}

/** Posts to one of the app's admin actions as the embedded admin does (session token, fetch). */
async function adminAction(stack: Stack, route: string, path: string, fields: Record<string, string>) {
  const res = await fetch(`${stack.appUrl}${path}?_data=${encodeURIComponent(route)}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${stack.sandbox.sessionToken()}`,
      "user-agent": BROWSER_UA,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(fields),
  });
  const body = await res.text();
  if (!res.ok || /"ok":false/.test(body)) throw new Error(`${path} ${fields.intent}: HTTP ${res.status} ${body.slice(0, 300)}`);
}

/**
 * The demo shop sends its emails to the sandbox's SMTP catcher, through the
 * Emails page's own actions: branding, SMTP, and the thank-you email one
 * minute after payment (instead of the default ten) so the demo shows them
 * soon (the webhook benchmark's shop: later than its run).
 */
export async function configureSandboxEmails(stack: Stack, { thankYouDelayMinutes = 1 } = {}) {
  const post = (fields: Record<string, string>) => adminAction(stack, "routes/app.emails", "/app/emails", fields);
  await post({
    intent: "saveBranding",
    senderName: "",
    fromAddress: `hello@${stack.sandbox.shop.replace(".myshopify.com", "")}.example`,
    replyTo: "",
    logoUrl: "",
    brandColor: "#2c6ecb",
    trackingEnabled: "true",
  });
  await post({ intent: "saveSmtp", smtpHost: "127.0.0.1", smtpPort: String(stack.mail.port), smtpSecurity: "none", smtpUser: "", smtpPassword: "" });
  await post({ intent: "saveType", kind: "thank_you", enabled: "true", delay: String(thankYouDelayMinutes), subject: "", heading: "", body: "" });
}

/**
 * The VIP tiers a loyalty program usually has, saved through the Tiers
 * page's own action (lifetime spend, the default basis): the demo's
 * customers climb them, and the webhook benchmark's orders place every buyer
 * as a merchant's do.
 */
export async function configureSandboxTiers(stack: Stack) {
  for (const tier of [
    { name: "Silver", threshold: "250", multiplier: "1.25", perks: "Early access to sales" },
    { name: "Gold", threshold: "1000", multiplier: "1.5", perks: "Free shipping on every order" },
  ]) {
    await adminAction(stack, "routes/app.tiers", "/app/tiers", { intent: "tier", id: "", ...tier });
  }
}
