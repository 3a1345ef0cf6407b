// The benchmarks' HTTP sender: requests serialized once, before the clock,
// and written as they are on kept-alive sockets; an answer is read only as
// far as its status and its end. The sender shares the machine's two cores
// with the servers it measures, and node:http's client cost some 0.4 ms of
// CPU per request (a sixth of all the CPU a full orders/paid took): what it
// spent was taken from the servers, the floor's as much as the app's.
import net from "node:net";

/**
 * An HTTP/1.1 request's bytes: request line, headers, body. The same bytes go
 * to any of the servers measured (their Host header is not theirs; no
 * server here looks at it).
 */
export function requestBytes(method: string, path: string, headers: Record<string, string>, body: string): Buffer {
  const payload = Buffer.from(body, "utf8");
  const lines = [`${method} ${path} HTTP/1.1`, "host: 127.0.0.1"];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== "content-length" && name.toLowerCase() !== "host") lines.push(`${name}: ${value}`);
  }
  lines.push(`content-length: ${payload.length}`, "", "");
  return Buffer.concat([Buffer.from(lines.join("\r\n"), "latin1"), payload]);
}

const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * Where the answer at the start of `buf` ends, and its status; null while
 * more bytes are needed. Content-Length and chunked bodies both.
 */
export function parseAnswer(buf: Buffer): { status: number; end: number; close: boolean } | null {
  const head = buf.indexOf(HEADER_END);
  if (head < 0) return null;
  const text = buf.toString("latin1", 0, head);
  const status = Number(text.slice(9, 12));
  const header = (name: string) => new RegExp(`\\r\\n${name}:[ \\t]*([^\\r]*)`, "i").exec(text)?.[1].trim();
  const close = header("connection")?.toLowerCase() === "close";
  let at = head + HEADER_END.length;
  if (header("transfer-encoding")?.toLowerCase().includes("chunked")) {
    for (;;) {
      const lineEnd = buf.indexOf("\r\n", at, "latin1");
      if (lineEnd < 0) return null;
      const size = parseInt(buf.toString("latin1", at, lineEnd), 16);
      at = lineEnd + 2 + size + 2;
      if (at > buf.length) return null;
      if (size === 0) return { status, end: at, close };
    }
  }
  const end = at + Number(header("content-length") ?? 0);
  return end <= buf.length ? { status, end, close } : null;
}

interface Connection {
  socket: net.Socket;
  buffered: Buffer;
  /** The request in flight on it: called with the answer's status, or 0 when the connection failed. */
  waiting: ((status: number) => void) | null;
}

/** Kept-alive connections to one server, as many as requests in flight. */
export class RawHttpClient {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly host: string;
  private readonly port: number;

  constructor(url: string) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port || 80);
  }

  /** Writes the request; resolves with the answer's status (0: the connection failed). */
  async send(bytes: Buffer): Promise<number> {
    const kept = this.idle.pop();
    const status = await this.exchange(kept ?? this.open(), bytes);
    // A kept-alive connection the server closed as idle (node:http's
    // keepAliveTimeout, 5 s: a slow level leaves the warm-up's extra sockets
    // unused that long) just as it was taken: the request goes again on a
    // new one, as HTTP clients do. A new connection's failure counts.
    return status === 0 && kept ? this.exchange(this.open(), bytes) : status;
  }

  private exchange(conn: Connection, bytes: Buffer): Promise<number> {
    return new Promise((resolve) => {
      conn.waiting = (status) => {
        conn.waiting = null;
        resolve(status);
      };
      conn.socket.write(bytes);
    });
  }

  close() {
    for (const c of this.all) c.socket.destroy();
    this.all.clear();
    this.idle.length = 0;
  }

  private open(): Connection {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    const conn: Connection = { socket, buffered: Buffer.alloc(0), waiting: null };
    this.all.add(conn);
    const drop = () => {
      this.all.delete(conn);
      const at = this.idle.indexOf(conn);
      if (at >= 0) this.idle.splice(at, 1);
      conn.waiting?.(0);
    };
    socket.on("data", (chunk: Buffer) => {
      conn.buffered = conn.buffered.length ? Buffer.concat([conn.buffered, chunk]) : chunk;
      const answer = parseAnswer(conn.buffered);
      if (!answer) return;
      conn.buffered = conn.buffered.subarray(answer.end);
      const done = conn.waiting;
      if (answer.close) {
        this.all.delete(conn);
        socket.destroy();
      } else this.idle.push(conn);
      done?.(answer.status);
    });
    socket.on("error", drop);
    socket.on("close", drop);
    return conn;
  }
}
