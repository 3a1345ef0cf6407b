// SQLite through Prisma's libsql adapter, on one connection.
//
// @libsql/client hands its connection to each transaction, opens a new one
// for whatever comes next, and never closes the one it handed over: every
// Prisma transaction on SQLite left an open connection behind — some 3 MB of
// native memory that garbage collection never frees (a 100,000-order import
// grew the process by gigabytes), and a cold page cache for the next
// statement. Prisma's adapter already runs everything on its client one at a
// time: a transaction holds the adapter's lock from BEGIN to COMMIT or
// ROLLBACK. So the transaction can run on the client's own connection.
import { createClient, type Client, type Config, type InStatement, type Transaction, type TransactionMode } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";

/** PrismaLibSQL whose transactions run on the client's one connection. */
export class OneConnectionLibSQL extends PrismaLibSQL {
  override createClient(config: Config): Client {
    return onOneConnection(createClient(config));
  }
}

const BEGIN: Record<TransactionMode, string> = { deferred: "BEGIN DEFERRED", write: "BEGIN IMMEDIATE", read: "BEGIN DEFERRED" };

// SQLite runs on this thread, and the client's promises resolve as
// microtasks: a chain of statements — the minute's co-purchase fold, a job
// after a job — never gave the event loop back, and webhooks arriving
// meanwhile waited for an answer for seconds (p99 5 s at 64 senders). Every
// statement outside a transaction first lets the loop take its I/O if it has
// not for a while. (Not inside one, which holds the adapter's one lock: with
// turns there, the embedded admin's pages stopped hydrating in the browser
// tests. Transactions here are short; the chains are of many of them.)
const TURN_MS = 10;
let turnAt = performance.now();
async function turn() {
  if (performance.now() - turnAt < TURN_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  turnAt = performance.now();
}

/** The client, with transaction() on its own connection and its statements taking their turns (see turn). */
export function onOneConnection(client: Client): Client {
  return new Proxy(client, {
    get(target, property) {
      if (property === "transaction") return (mode: TransactionMode = "write") => transactionOn(target, mode);
      if (property === "execute") {
        const execute = target.execute.bind(target) as (...args: unknown[]) => ReturnType<Client["execute"]>;
        return async (...args: unknown[]) => (await turn(), execute(...args));
      }
      const value = Reflect.get(target, property, target);
      // (Bound: the client's methods use its private fields.)
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function transactionOn(client: Client, mode: TransactionMode): Promise<Transaction> {
  await client.execute(BEGIN[mode]);
  let open = true;
  const ensureOpen = () => {
    if (!open) throw new Error("The transaction is closed");
  };
  // (Never leave the connection inside a transaction: a COMMIT that fails —
  // another process holding the file — is rolled back, and a ROLLBACK after
  // SQLite rolled back by itself has nothing left to do.)
  const rollback = () => client.execute("ROLLBACK").then(() => undefined, () => undefined);
  const commit = async () => {
    ensureOpen();
    open = false;
    try {
      await client.execute("COMMIT");
    } catch (error) {
      await rollback();
      throw error;
    }
  };
  return {
    execute: (statement: InStatement) => {
      ensureOpen();
      return client.execute(statement);
    },
    // (The client's own batch and executeMultiple open and end transactions of their own.)
    batch: async (statements: InStatement[]) => {
      const results = [];
      for (const statement of statements) {
        ensureOpen();
        results.push(await client.execute(statement));
      }
      return results;
    },
    executeMultiple: async () => {
      throw new Error("executeMultiple is not available inside a transaction");
    },
    commit,
    rollback: async () => {
      if (!open) return;
      open = false;
      await rollback();
    },
    close: () => {
      if (!open) return;
      open = false;
      void rollback();
    },
    get closed() {
      return !open;
    },
  } as Transaction;
}
