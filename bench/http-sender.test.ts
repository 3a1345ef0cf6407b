import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RawHttpClient, requestBytes } from "./http-sender.ts";

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server whose connections answer `perConnection` requests, then close on the next one unanswered (as an idle timeout racing a request does). */
async function serve(perConnection: number): Promise<string> {
  const served = new WeakMap<object, number>();
  server = http.createServer((req, res) => {
    const n = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, n);
    if (n > perConnection) req.socket.destroy();
    else res.writeHead(200, { "content-length": "2" }).end("ok");
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
}

const request = requestBytes("POST", "/webhooks", { "content-type": "application/json" }, "{}");

describe("RawHttpClient", () => {
  it("sends again on a new connection when a kept-alive one closes as it is taken", async () => {
    const client = new RawHttpClient(await serve(1));
    expect(await client.send(request)).toBe(200);
    expect(await client.send(request)).toBe(200);
    client.close();
  });

  it("counts a new connection's failure", async () => {
    const client = new RawHttpClient(await serve(0));
    expect(await client.send(request)).toBe(0);
    client.close();
  });
});
