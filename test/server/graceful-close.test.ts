/**
 * Graceful shutdown (what `perstore serve` does on SIGTERM): `close()` stops
 * accepting connections, lets a request that is in flight finish (its write
 * is done and answered), and resolves once it has.
 */
import { connect } from "node:net";
import { expect, it } from "vitest";
import { createModels } from "../../generated/index.js";
import { createHandler, hashToken, serveNode } from "../../src/server/index.js";

it("close() finishes the request in flight, then refuses new connections", async () => {
  const models = createModels();
  const token = "graceful-token";
  const handler = createHandler({
    models,
    access: {
      roles: { admin: { "*": "*" } },
      tokens: [{ role: "admin", sha256: await hashToken(token) }],
    },
  });
  let arrived!: () => void;
  const inFlight = new Promise<void>((resolve) => (arrived = resolve));
  // Tells the test when the request has reached the handler (its body still arriving).
  const watched = Object.assign(
    (request: Request) => {
      arrived();
      return handler(request);
    },
    { close: () => handler.close() },
  );
  const server = await serveNode(watched, { port: 0 });
  const port = Number(new URL(server.url).port);
  const body = JSON.stringify({ name: "In flight" });
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  // Headers and half the body: the request is in flight when close() is called.
  socket.write(
    `POST /Author/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
  );
  await inFlight;
  const closing = server.close();
  socket.write(body.slice(5));
  await closing;
  await ended;
  expect(received).toMatch(/^HTTP\/1\.1 201/);
  expect((await models.Author.query("name=In%20flight")).length).toBe(1);
  // Closed: a new connection is refused.
  const refused = connect(port, "127.0.0.1");
  await expect(
    new Promise((resolve, reject) => {
      refused.once("connect", resolve);
      refused.once("error", reject);
    }),
  ).rejects.toMatchObject({ code: "ECONNREFUSED" });
}, 30_000);
