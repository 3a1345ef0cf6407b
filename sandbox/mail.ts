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
    // Stopping does not wait long for clients that keep a connection open.
    closeTimeout: 1000,
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

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const page = (title: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#202223}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e1e3e5;padding:6px 8px;text-align:left;font-size:14px}
.frames{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}iframe{border:1px solid #ccc;border-radius:6px;background:#fff}pre{background:#f6f6f7;padding:12px;white-space:pre-wrap;max-width:900px}a{color:#2c6ecb}</style></head>
<body><p><strong>Sandbox mail catcher</strong> — every email the app sent through SMTP (not delivered anywhere). <a href="/mail">All emails</a></p>${body}</body></html>`;

/**
 * The sandbox's pages for caught mail: `/mail` (list), `/mail/{id}` (HTML at
 * desktop and mobile widths, the text part and the headers), `/mail/{id}.html`
 * and `/mail.json`. Returns null for other paths.
 */
export function mailPage(catcher: MailCatcher, pathname: string): { status: number; type: string; body: string } | null {
  if (pathname === "/mail.json") {
    return {
      status: 200,
      type: "application/json",
      body: JSON.stringify(
        catcher.messages.map((m) => ({ id: m.id, receivedAt: m.receivedAt, to: m.envelopeTo, subject: m.parsed.subject, text: m.parsed.text })),
      ),
    };
  }
  if (pathname === "/mail" || pathname === "/mail/") {
    const rows = [...catcher.messages]
      .reverse()
      .map(
        (m) =>
          `<tr><td>${m.id}</td><td>${esc(m.receivedAt.replace("T", " ").slice(0, 19))}</td><td>${esc(m.envelopeTo.join(", "))}</td><td><a href="/mail/${m.id}">${esc(m.parsed.subject ?? "(no subject)")}</a></td><td>${/^List-Unsubscribe:/im.test(m.raw) ? "marketing" : "transactional"}</td></tr>`,
      )
      .join("");
    return {
      status: 200,
      type: "text/html; charset=utf-8",
      body: page(
        "Caught emails",
        catcher.messages.length
          ? `<table><tr><th>#</th><th>Received</th><th>To</th><th>Subject</th><th>Kind</th></tr>${rows}</table>`
          : `<p>No emails yet. The thank-you email goes out after each paid order once the shop's SMTP points here (port ${catcher.port}).</p>`,
      ),
    };
  }
  const match = /^\/mail\/(\d+)(\.html)?$/.exec(pathname);
  if (!match) return null;
  const m = catcher.messages.find((x) => x.id === Number(match[1]));
  if (!m) return { status: 404, type: "text/plain", body: "No such email" };
  const html = typeof m.parsed.html === "string" ? m.parsed.html : "";
  if (match[2]) return { status: 200, type: "text/html; charset=utf-8", body: html };
  const headers = m.raw.split(/\r?\n\r?\n/)[0];
  return {
    status: 200,
    type: "text/html; charset=utf-8",
    body: page(
      m.parsed.subject ?? "Email",
      `<h1>${esc(m.parsed.subject ?? "(no subject)")}</h1><p>To ${esc(m.envelopeTo.join(", "))} · from ${esc(m.parsed.from?.text ?? "")}</p>
      <div class="frames"><div><p>Desktop</p><iframe width="640" height="900" sandbox srcdoc="${esc(html)}"></iframe></div>
      <div><p>Mobile</p><iframe width="375" height="900" sandbox srcdoc="${esc(html)}"></iframe></div></div>
      <h2>Plain-text part</h2><pre>${esc(m.parsed.text ?? "")}</pre><h2>Headers</h2><pre>${esc(headers)}</pre>`,
    ),
  };
}
