// Latency/throughput arithmetic shared by the benchmarks, and what a
// request costs in CPU (cpuCensus).
import { execFileSync } from "node:child_process";
import fs from "node:fs";

export interface LoadResult {
  requests: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** What a request cost in CPU, where measured (runLoadWithCpu). */
  cpuMs?: CpuCensus | null;
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)];
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Runs `send(i)` for i in [0, total) from `concurrency` workers and measures
 * each call. `send` resolves true when the request succeeded.
 */
export async function runLoad(total: number, concurrency: number, send: (i: number) => Promise<boolean>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      const ok = await send(i);
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    concurrency,
    seconds: round(seconds),
    perSecond: round(total / seconds, 1),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    errors,
  };
}

/**
 * CPU time (ms) the machine's processes have used, by kind: this process
 * (the sender, and the floor's server, which runs in it), the other Node
 * processes (Encore's app servers and workers), PostgreSQL's, and all of
 * them with the kernel's threads. Read from /proc, so Linux only: null
 * elsewhere. Per request, it is the figure that travels between machines —
 * requests per second are how many of those milliseconds the cores have.
 */
export interface CpuCensus {
  sender: number;
  app: number;
  database: number;
  all: number;
}

/**
 * A /proc/<pid>/stat line's command and its user + system time, its own and
 * its ended children's, in clock ticks. With the children's, a process that
 * ends between two censuses (a PostgreSQL backend whose client disconnected)
 * moves its time to its parent (the postmaster) rather than taking it out of
 * the sum: without them a level could cost the database less than nothing.
 */
export function parseProcStat(line: string): { command: string; ticks: number } {
  // The command is in parentheses and may itself hold spaces or parentheses.
  const close = line.lastIndexOf(")");
  const fields = line.slice(close + 2).split(" ");
  // (After the command: state is field 3, utime 14, stime 15, cutime 16, cstime 17.)
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return { command: line.slice(line.indexOf("(") + 1, close), ticks };
}

let ticksPerSecond: number | undefined;

export function cpuCensus(): CpuCensus | null {
  if (!fs.existsSync("/proc/self/stat")) return null;
  ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  const census: CpuCensus = { sender: 0, app: 0, database: 0, all: 0 };
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // ended since the listing
    }
    const { command, ticks } = parseProcStat(stat);
    const ms = (ticks * 1000) / ticksPerSecond;
    census.all += ms;
    if (Number(pid) === process.pid) census.sender += ms;
    else if (command === "node") census.app += ms;
    else if (command.startsWith("postgres")) census.database += ms;
  }
  return census;
}

/** The CPU ms per request between two censuses (null without /proc). */
export function cpuPerRequest(before: CpuCensus | null, after: CpuCensus | null, requests: number): CpuCensus | null {
  if (!before || !after) return null;
  const per = (kind: keyof CpuCensus) => round((after[kind] - before[kind]) / requests, 3);
  return { sender: per("sender"), app: per("app"), database: per("database"), all: per("all") };
}

/** runLoad, with the CPU its requests cost each (see cpuCensus). */
export async function runLoadWithCpu(total: number, concurrency: number, send: (i: number) => Promise<boolean>) {
  const before = cpuCensus();
  const load = await runLoad(total, concurrency, send);
  return { ...load, cpuMs: cpuPerRequest(before, cpuCensus(), total) };
}
