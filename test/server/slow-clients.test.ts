/**
 * Slow and hostile clients against `serveNode` over real sockets: a client
 * that sends its headers and then trickles (or never finishes) its body gets
 * 408 once the request's time is up and nothing it sent is written, even if
 * the body arrives later; one that never reads a large answer has its
 * connection closed; hostile input (bodies without a length, deep queries
 * and bodies, hostile ids and keys, unknown media types) is a clear 4xx. All
 * the while the server answers other requests.
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createModels } from "../../generated/index.js";
import { createModelRegistry } from "../../src/model/index.js";
import { createHandler, hashToken, serveNode, type NodeServer } from "../../src/server/index.js";
import { MemoryStore } from "../../src/store/memory/index.js";
import { contractDefinition } from "../store/remote/remote-fixture.js";

const TOKEN = "slow-clients-admin";
const TIMEOUT_MS = 1_500;
const AUTHOR = "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11";
const BIG_RECORDS = 200;
const BIG_TEXT = 100_000;

let server: NodeServer;
let models: ReturnType<typeof createModels>;
let contracts: MemoryStore<Record<string, unknown>>;
let port: number;

beforeAll(async () => {
  models = createModels();
  // A model with free-form text ids, holding ~20 MB: more than socket buffers take in.
  contracts = new MemoryStore<Record<string, unknown>>({ idProperty: "id" });
  for (let i = 0; i < BIG_RECORDS; i++)
    contracts.put({ id: `big-${String(i).padStart(3, "0")}`, name: "x".repeat(BIG_TEXT) });
  const contractModels = createModelRegistry(
    { Contract: contractDefinition },
    { stores: { Contract: contracts } },
  );
  const handler = createHandler({
    models: { ...models, Contract: contractModels.Contract },
    access: {
      roles: { admin: { "*": "*" } },
      tokens: [{ role: "admin", sha256: await hashToken(TOKEN) }],
    },
    timeoutMs: TIMEOUT_MS,
    maxBodyBytes: 64 * 1024,
  });
  server = await serveNode(handler, { port: 0, timeoutMs: TIMEOUT_MS });
  port = Number(new URL(server.url).port);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  if (!(await models.Author.get(AUTHOR))) await models.Author.create({ id: AUTHOR, name: "A" });
});

const auth = { authorization: `Bearer ${TOKEN}` };

/** A raw connection, and the text it has received so far. */
async function open(): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return { socket, received: () => text, closed };
}

/** Resolves once `received()` holds a status line; gives its status. */
async function statusOf(received: () => string, socket: Socket): Promise<number> {
  for (;;) {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(received());
    if (match) return Number(match[1]);
    if (socket.destroyed) throw new Error(`closed without an answer: ${received()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The server answers other requests meanwhile. */
async function stillServing(): Promise<void> {
  const res = await fetch(`${server.url}/Author/${AUTHOR}`, { headers: auth });
  expect(res.status).toBe(200);
  await res.body?.cancel();
}

const head = (method: string, path: string, length: number | "chunked") =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n` +
  `Content-Type: application/json\r\n` +
  (length === "chunked" ? "Transfer-Encoding: chunked\r\n" : `Content-Length: ${length}\r\n`) +
  "\r\n";

describe("slow clients", () => {
  it("a body that never finishes: 408, nothing written even when it arrives later", async () => {
    const body = JSON.stringify({ isbn: "9780000000701", title: "Slow", authorId: AUTHOR });
    const { socket, received } = await open();
    socket.write(head("POST", "/Book/", body.length) + body.slice(0, 10));
    await stillServing();
    expect(await statusOf(received, socket)).toBe(408);
    expect(received()).toContain("HTTP_REQUEST_TIMEOUT");
    // The rest arrives after the answer: it must not become a record.
    socket.write(body.slice(10));
    await stillServing();
    socket.destroy();
    await stillServing();
    expect(await models.Book.get("9780000000701")).toBeUndefined();
  }, 30_000);

  it("a body trickling in a byte at a time: 408 once the time is up; nothing written", async () => {
    const body = JSON.stringify({
      isbn: "9780000000702",
      title: "t".repeat(200),
      authorId: AUTHOR,
    });
    const { socket, received } = await open();
    socket.write(head("PUT", "/Book/9780000000702", body.length));
    let sent = 0;
    const trickle = setInterval(() => {
      if (sent < body.length && !socket.destroyed) socket.write(body[sent++]!);
    }, 50);
    try {
      await stillServing();
      expect(await statusOf(received, socket)).toBe(408);
      expect(sent).toBeLessThan(body.length);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
    await stillServing();
    expect(await models.Book.get("9780000000702")).toBeUndefined();
  }, 30_000);

  it("a change set that never finishes arriving: 408, nothing applied", async () => {
    const before = JSON.stringify(await models.Author.query("sort(+id)"));
    const body = JSON.stringify({ mode: "update", changes: [{ type: "remove", id: AUTHOR }] });
    const { socket, received } = await open();
    socket.write(head("POST", "/Author/_changes", body.length) + body.slice(0, body.length - 2));
    expect(await statusOf(received, socket)).toBe(408);
    socket.write(body.slice(body.length - 2));
    socket.destroy();
    await stillServing();
    expect(JSON.stringify(await models.Author.query("sort(+id)"))).toBe(before);
  }, 30_000);

  it("a client that never reads a large answer is cut off; others are served meanwhile", async () => {
    const { socket, received, closed } = await open();
    socket.pause(); // reads nothing: the server's writes back up
    socket.write(
      `GET /Contract/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
    );
    await stillServing();
    // Well past the idle limit (timeout + 1 s grace), then read what the server had sent: it gave up.
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 5));
    await stillServing();
    socket.resume();
    await closed;
    const full = BIG_RECORDS * BIG_TEXT;
    expect(received()).toMatch(/^HTTP\/1\.1 200/);
    expect(received().length).toBeLessThan(full);
    // A client that reads gets the whole answer.
    const res = await fetch(`${server.url}/Contract/`, { headers: auth });
    expect(((await res.json()) as unknown[]).length).toBe(BIG_RECORDS);
  }, 60_000);
});

describe("hostile input over HTTP: a clear 4xx, nothing written, still serving", () => {
  const snapshot = async () =>
    JSON.stringify([
      await models.Book.query("sort(+isbn)"),
      await models.Author.query("sort(+id)"),
      contracts.query("count()"),
    ]);

  it("a chunked body larger than the limit: 413 without reading it all", async () => {
    const before = await snapshot();
    const { socket, received } = await open();
    socket.write(head("POST", "/Author/", "chunked"));
    const chunk = "a".repeat(16 * 1024);
    for (let i = 0; i < 8 && !socket.destroyed; i++)
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    expect(await statusOf(received, socket)).toBe(413);
    socket.destroy();
    await stillServing();
    expect(await snapshot()).toBe(before);
  });

  it("malformed, deep, non-JSON and mistyped bodies", async () => {
    const before = await snapshot();
    const post = async (body: string, type = "application/json", path = "/Author/") => {
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { ...auth, "content-type": type },
        body,
      });
      return { status: res.status, body: (await res.json()) as { code: string } };
    };
    for (const [body, type, status, code] of [
      ['{"name":', "application/json", 400, "HTTP_BAD_JSON"],
      ["\u00ff\u00fe", "application/json", 400, "HTTP_BAD_JSON"],
      [
        `{"name":"x","bio":${"[".repeat(20_000)}${"]".repeat(20_000)}}`,
        "application/json",
        400,
        "HTTP_BAD_JSON",
      ],
      ['{"name":"x"}', "text/plain", 415, "HTTP_UNSUPPORTED_MEDIA_TYPE"],
      ['{"name":"x"}', "application/x-www-form-urlencoded", 415, "HTTP_UNSUPPORTED_MEDIA_TYPE"],
      ['{"name":"x"}', "multipart/form-data; boundary=x", 415, "HTTP_UNSUPPORTED_MEDIA_TYPE"],
      ["null", "application/json", 400, "HTTP_BAD_BODY"],
      ['"text"', "application/json", 400, "HTTP_BAD_BODY"],
    ] as const) {
      const answer = await post(body, type);
      expect(answer.status, `${type} ${body.slice(0, 20)}`).toBe(status);
      expect(answer.body.code).toBe(code);
    }
    const patch = await fetch(`${server.url}/Author/${AUTHOR}`, {
      method: "PATCH",
      headers: { ...auth, "content-type": "application/json-patch+json" },
      body: '[{"op":"remove","path":"/name"}]',
    });
    expect(patch.status).toBe(415);
    expect(await snapshot()).toBe(before);
    await stillServing();
  });

  it("invalid RQL of every kind is 400 with a query code", async () => {
    for (const query of [
      "eq(title",
      "title=%E0%A4%A",
      `${"(".repeat(5_000)}title=1${")".repeat(5_000)}`,
      `${"and(".repeat(2_000)}title=1${")".repeat(2_000)}`,
      "nope(title,1)",
      "unknownProperty=1",
      "limit(-1)",
      "sort(+title",
      "year=notanumber",
    ]) {
      const res = await fetch(`${server.url}/Book/?${query}`, { headers: auth });
      const body = (await res.json()) as { code: string };
      expect(res.status, query.slice(0, 40)).toBe(400);
      expect(body.code, query.slice(0, 40)).toMatch(/^QUERY_/);
    }
    await stillServing();
  });

  it("hostile ids are opaque segments: no traversal, no prototype, no 500", async () => {
    const before = await snapshot();
    // A URL's dot segments (also percent-encoded) are resolved before routing: they never reach an id.
    for (const path of [
      "/Book/..",
      "/Book/%2e%2e",
      "/Book/%2E%2E/",
      "/Book/.%2e/Nope",
      "/Book/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/Book/..%5c..%5cwindows",
      "/__proto__/x",
      "/constructor/",
      "/Book/__proto__",
      "/Book/constructor",
      "/Book/9780000000001/__proto__",
      "/Book/9780000000001/constructor",
      `/Book/${"9".repeat(4_000)}`,
    ]) {
      const { socket, received } = await open();
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
      );
      const status = await statusOf(received, socket);
      socket.destroy();
      expect(status, path).toBeGreaterThanOrEqual(400);
      expect(status, path).toBeLessThan(500);
    }
    // Ids that are prototype keys or dots are just ids of a free-form key.
    for (const id of ["__proto__", "constructor", "prototype", "...", ".x"]) {
      const url = `${server.url}/Contract/${encodeURIComponent(id)}`;
      const put = await fetch(url, {
        method: "PUT",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ id, name: `named ${id}`, __proto__: { polluted: true } }),
      });
      expect(put.status, id).toBe(201);
      const got = (await (await fetch(url, { headers: auth })).json()) as Record<string, unknown>;
      expect(got, id).toEqual({ id, name: `named ${id}` });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await fetch(url, { method: "DELETE", headers: auth })).status).toBe(204);
    }
    // A nested __proto__ key in a body has no effect either.
    const nested = await fetch(`${server.url}/Book/`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: `{"isbn":"9780000000703","title":"t","authorId":"${AUTHOR}","dimensions":{"pages":3,"__proto__":{"polluted":1}}}`,
    });
    expect(nested.status).toBe(201);
    expect((await models.Book.get("9780000000703"))!.dimensions).toEqual({ pages: 3 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await models.Book.delete("9780000000703");
    expect(await snapshot()).toBe(before);
    await stillServing();
  });
});
