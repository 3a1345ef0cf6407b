// A real HTTP server in front of a Remix action (or of a node:http listener,
// as scripts/serve.mjs mounts the webhook intake), for tests that must go
// through sockets (concurrency, keep-alive) rather than call the code directly.
import http from "node:http";
import type { AddressInfo } from "node:net";

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;
export interface TestServer {
  url: string;
  close: () => Promise<void>;
}

export function serveAction(action: Action): Promise<TestServer> {
  return serveListener(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    try {
      const response = await action({
        request: new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined }),
        params: {},
        context: {},
      });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
}

export async function serveListener(listener: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
