// scratch: sustained load for CPU sampling (not committed)
import { randomUUID } from "node:crypto";
import { startStack, SANDBOX_API_SECRET } from "../sandbox/stack.ts";
import { createOrderStream, seedStore, SHOP } from "../sandbox/store/index.ts";
import { webhookHeaders } from "../sandbox/webhooks.ts";
import { dropDatabase, freshDatabase } from "./db.ts";
import { runLoad } from "./stats.ts";
const N = Number(process.env.N ?? 3000), C = Number(process.env.C ?? 16), S = Number(process.env.S ?? 1);
const provider = (process.env.DB ?? "postgresql") as "postgresql" | "sqlite";
const url = freshDatabase(provider, "encore_bench");
if (process.env.LOGSQL) { const { execSync } = await import("node:child_process"); execSync(`psql -h 127.0.0.1 -U postgres -c "ALTER DATABASE encore_bench SET log_statement = 'all'"`); }
const { catalog, customers } = seedStore(3);
const stream = createOrderStream({ catalog, customers, seed: 3, start: new Date("2026-11-27T00:00:00Z"), refundRate: 0, cancelRate: 0, guestRate: 0 });
const bodies: string[] = [];
while (bodies.length < N + 100) for (const e of stream.next()) if (e.topic === "orders/paid") bodies.push(JSON.stringify(e.payload));
const stack = await startStack({ databaseUrl: url, verbose: Boolean(process.env.VERBOSE), env: process.env.MODE ? { ENCORE_WEBHOOKS: process.env.MODE } : {} });
const more = await Promise.all(Array.from({ length: S - 1 }, () => stack.startAppServer()));
const urls = [stack.appUrl, ...more].map((u) => `${u}/webhooks`);
const send = (off: number) => async (i: number) => {
  const body = bodies[off + i];
  const headers = webhookHeaders({ topic: "orders/paid", shop: SHOP.domain, body, secret: SANDBOX_API_SECRET, apiVersion: "2026-10", webhookId: randomUUID(), eventId: randomUUID() });
  const res = await fetch(urls[i % urls.length], { method: "POST", headers, body });
  await res.arrayBuffer();
  return res.status === 200;
};
await runLoad(100, 4, send(N));
console.log("GO", process.pid);
const r = await runLoad(N, C, send(0));
console.log(JSON.stringify(r));
await stack.stop();
dropDatabase(provider, "encore_bench");
