// The sandbox's mail catcher: a real SMTP server (smtp-server) that accepts
// every message, parses it (mailparser) and keeps it for the sandbox's
// /mail pages. The tests use it too, as the SMTP server the app delivers to.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  id: number;
  receivedAt: string;
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface MailCatcher {
  port: number;
  messages: CaughtMail[];
  /** Answer the next n messages with a temporary failure (451), as a flaky server does. */
  rejectNext(n: number): void;
  /** Resolves once `count` messages have been accepted. */
  waitFor(count: number, timeoutMs?: number): Promise<CaughtMail[]>;
  stop(): Promise<void>;
}

export async function startMailCatcher(options: { port?: number; user?: string; password?: string } = {}): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  let rejecting = 0;
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    // Any credentials are fine unless the catcher was given some.
    onAuth(auth, _session, callback) {
      if (options.user && (auth.username !== options.user || auth.password !== options.password)) {
        return callback(new Error("Invalid username or password"));
      }
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (rejecting > 0) {
          rejecting--;
          const error = Object.assign(new Error("Temporary failure, try again later"), { responseCode: 451 });
          return callback(error);
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            messages.push({
              id: messages.length + 1,
              receivedAt: new Date().toISOString(),
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw: raw.toString("utf8"),
              parsed,
            });
            waiters.splice(0).forEach((w) => w());
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
    logger: false,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  return {
    port,
    messages,
    rejectNext(n) {
      rejecting = n;
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} emails, caught ${messages.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return messages;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
