/**
 * RemoteStore's HTTP client against a real loopback server whose answers the
 * test chooses: the bearer token is sent, idempotent requests (GET, PUT,
 * DELETE) are retried when the server is unavailable or does not answer in
 * time, a create (POST) never is, and each failure is a StoreError with a
 * stable code.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RemoteStore } from "../../../src/store/remote/index.js";

type Answer = (request: IncomingMessage, response: ServerResponse, attempt: number) => void;

let server: Server;
let url: string;
let answer: Answer;
let seen: { method: string; path: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({
      method: request.method!,
      path: request.url!,
      authorization: request.headers.authorization,
    });
    request.resume();
    request.on("end", () => answer(request, response, seen.length));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
});

const json = (response: ServerResponse, status: number, body: unknown, headers = {}) => {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
};
/** Unavailable for the first `failures` attempts, then `then`. */
const unavailableFor =
  (failures: number, then: Answer): Answer =>
  (request, response, attempt) =>
    attempt <= failures
      ? json(response, 503, { code: "STORE_UNAVAILABLE", message: "busy" })
      : then(request, response, attempt);
const neverAnswers: Answer = () => {};

const store = (options: { retries?: number; timeout?: number } = {}) =>
  new RemoteStore<Record<string, unknown>>({
    url: `${url}/Thing/`,
    token: "client-token",
    retries: options.retries ?? 2,
    timeout: options.timeout ?? 10_000,
  });

describe("RemoteStore's HTTP client", () => {
  it("sends the bearer token and asks for JSON", async () => {
    answer = (_, response) => json(response, 200, { id: "a" }, { etag: '"1"' });
    expect(await store().get("a")).toEqual({ id: "a" });
    expect(seen).toEqual([
      { method: "GET", path: "/Thing/a", authorization: "Bearer client-token" },
    ]);
  });

  it("retries GET, PUT and DELETE while the server answers 503, then succeeds", async () => {
    answer = unavailableFor(2, (_, response) => json(response, 200, { id: "a" }, { etag: '"1"' }));
    expect(await store().get("a")).toEqual({ id: "a" });
    expect(seen.map((s) => s.method)).toEqual(["GET", "GET", "GET"]);

    seen = [];
    answer = unavailableFor(1, (_, response) => json(response, 200, { id: "a" }));
    expect(await store().put({ id: "a" })).toBe("a");
    expect(seen.map((s) => s.method)).toEqual(["PUT", "PUT"]);

    seen = [];
    answer = unavailableFor(1, (_, response) => {
      response.writeHead(204);
      response.end();
    });
    expect(await store().delete("a")).toBe(true);
    expect(seen.map((s) => s.method)).toEqual(["DELETE", "DELETE"]);
  });

  it("gives up after its retries with a retryable StoreError", async () => {
    answer = unavailableFor(99, neverAnswers);
    await expect(store({ retries: 1 }).get("a")).rejects.toMatchObject({
      name: "StoreError",
      retryable: true,
    });
    expect(seen).toHaveLength(2);
  });

  it("never retries a create (POST): it may have been done", async () => {
    answer = unavailableFor(1, (_, response) => json(response, 201, { id: "new" }));
    await expect(store().put({ name: "no id" })).rejects.toMatchObject({ retryable: true });
    expect(seen.map((s) => s.method)).toEqual(["POST"]);
  });

  it("a request with no answer in time is REMOTE_TIMEOUT; idempotent ones are tried again, creates not", async () => {
    answer = neverAnswers;
    await expect(store({ timeout: 300, retries: 1 }).get("a")).rejects.toMatchObject({
      code: "REMOTE_TIMEOUT",
      retryable: true,
    });
    expect(seen.map((s) => s.method)).toEqual(["GET", "GET"]);
    seen = [];
    await expect(store({ timeout: 300, retries: 1 }).add({ name: "x" })).rejects.toMatchObject({
      code: "REMOTE_TIMEOUT",
    });
    expect(seen.map((s) => s.method)).toEqual(["POST"]);
  });

  it("a server that cannot be reached is REMOTE_UNREACHABLE", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const lost = new RemoteStore({ url: `http://127.0.0.1:${port}/Thing/`, retries: 0 });
    await expect(lost.get("a")).rejects.toMatchObject({ code: "REMOTE_UNREACHABLE" });
  });
});
