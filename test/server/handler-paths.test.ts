/**
 * The handler's own plumbing, which the speed work replaced: routes matched
 * on path segments (no router), CORS and HEAD without Hono, one timer for
 * every request deadline, and SHA-256 through node:crypto with crypto.subtle
 * as the fallback (same digests, so stored token digests and ETags do not change).
 */
import { describe, expect, it } from "vitest";
import { Deadlines } from "../../src/server/deadlines.js";
import { ModelInstance } from "../../src/model/index.js";
import { etagOf } from "../../src/server/etag.js";
import { instanceJson } from "../../src/server/instance-json.js";
import { pathSegments } from "../../src/server/route-path.js";
import { sha256, sha256Subtle } from "../../src/server/sha256.js";
import { hashToken } from "../../src/server/index.js";
import { ADMIN_TOKEN, EDITOR_TOKEN, serveExample } from "./serve-fixture.js";

const AUTHOR = "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11";
const ISBN = "9780000000001";
const book = { isbn: ISBN, title: "Dune", authorId: AUTHOR, status: "published", year: 1965 };

async function withBook(overrides: Parameters<typeof serveExample>[0] = {}) {
  const served = await serveExample(overrides);
  await served.models.Author.create({ id: AUTHOR, name: "Frank Herbert" } as never);
  await served.models.Book.create(book as never);
  return served;
}

describe("path segments", () => {
  it("splits the path under the base path, decoding each segment once", () => {
    expect(pathSegments("http://h/Book/978?x=1#f", "")).toEqual(["Book", "978"]);
    expect(pathSegments("http://h/Book/", "")).toEqual(["Book", ""]);
    expect(pathSegments("http://h:8080/Book/a%2Fb/author", "")).toEqual(["Book", "a/b", "author"]);
    expect(pathSegments("http://h/Book/%2525", "")).toEqual(["Book", "%25"]);
    // A malformed escape stays as sent: an id no store holds, never an exception.
    expect(pathSegments("http://h/Book/%E0%A4%A", "")).toEqual(["Book", "%E0%A4%A"]);
    expect(pathSegments("http://h/api/Book/1", "/api")).toEqual(["Book", "1"]);
    expect(pathSegments("http://h/apix/Book/1", "/api")).toBeUndefined();
    expect(pathSegments("http://h/Book/1", "/api")).toBeUndefined();
  });

  it("answers 404 for paths and methods no route has, and routes under a base path", async () => {
    const { call } = await withBook();
    for (const [method, path] of [
      ["GET", "/"],
      ["GET", "//Book"],
      ["GET", `/Book/${ISBN}/author/more`],
      ["GET", `/Book/${ISBN}/`],
      ["POST", `/Book/${ISBN}`],
      ["PUT", "/Book/"],
      ["OPTIONS", "/Book/"],
    ] as const) {
      const res = await call(method, path, { token: ADMIN_TOKEN });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      expect(await res.json()).toMatchObject({ code: "HTTP_NOT_FOUND" });
    }
    const based = await withBook({ basePath: "/api/" });
    expect((await based.call("GET", `/api/Book/${ISBN}`, { token: ADMIN_TOKEN })).status).toBe(200);
    expect((await based.call("GET", `/Book/${ISBN}`, { token: ADMIN_TOKEN })).status).toBe(404);
    const created = await based.call("POST", "/api/Book", {
      token: ADMIN_TOKEN,
      body: { ...book, isbn: "9780000000002" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/api/Book/9780000000002");
  });

  it("authenticates before it says whether a model exists", async () => {
    const { call } = await withBook({
      access: {
        roles: { admin: { "*": "*" } },
        tokens: [{ role: "admin", sha256: await hashToken(ADMIN_TOKEN) }],
      },
    });
    expect((await call("GET", "/Nope/1")).status).toBe(401);
    expect((await call("GET", "/Nope/1", { token: ADMIN_TOKEN })).status).toBe(404);
  });
});

describe("bearer tokens", () => {
  it("a token proven once by its digest is recognised again; a near miss is still refused", async () => {
    const { call } = await withBook();
    const path = `/Author/${AUTHOR}`;
    for (let i = 0; i < 3; i++)
      expect((await call("GET", path, { token: ADMIN_TOKEN })).status).toBe(200);
    for (const wrong of [
      ADMIN_TOKEN.slice(0, -1),
      `${ADMIN_TOKEN}x`,
      ADMIN_TOKEN.toUpperCase(),
      "x",
    ]) {
      const res = await call("GET", path, { token: wrong });
      expect(res.status).toBe(401);
    }
    // The editor's token keeps the editor's role after the admin's was proven, and the other way round.
    const editor = await call("GET", path, { token: EDITOR_TOKEN });
    expect(editor.status).toBe(200);
    expect((await call("DELETE", `/Book/${ISBN}`, { token: EDITOR_TOKEN })).status).toBe(403);
    expect((await call("GET", `/Person/`, { token: EDITOR_TOKEN })).status).toBe(403);
    expect((await call("GET", `/Person/`, { token: ADMIN_TOKEN })).status).toBe(200);
  });
});

describe("HEAD and CORS", () => {
  it("HEAD is GET without the body", async () => {
    const { call } = await withBook();
    const get = await call("GET", `/Book/${ISBN}`, { token: ADMIN_TOKEN });
    const head = await call("HEAD", `/Book/${ISBN}`, { token: ADMIN_TOKEN });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(get.headers.get("etag"));
    expect(await head.text()).toBe("");
    expect((await call("HEAD", "/Book/9789999999999", { token: ADMIN_TOKEN })).status).toBe(404);
  });

  it("answers a preflight before authentication, and puts CORS headers on errors too", async () => {
    const { call } = await withBook({ cors: { origins: ["http://app.test"], credentials: true } });
    const preflight = await call("OPTIONS", `/Book/${ISBN}`, {
      headers: { origin: "http://app.test", "access-control-request-method": "PUT" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://app.test");
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    expect(preflight.headers.get("access-control-allow-methods")).toMatch(/PUT/);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/If-Match/);
    expect(preflight.headers.get("vary")).toMatch(/Origin/);
    const stranger = await call("OPTIONS", "/Book/", { headers: { origin: "http://evil.test" } });
    expect(stranger.status).toBe(204);
    expect(stranger.headers.get("access-control-allow-origin")).toBeNull();
    expect(stranger.headers.get("access-control-allow-methods")).toBeNull();
    const denied = await call("GET", "/Book/9789999999999", {
      token: ADMIN_TOKEN,
      headers: { origin: "http://app.test" },
    });
    expect(denied.status).toBe(404);
    expect(denied.headers.get("access-control-allow-origin")).toBe("http://app.test");
    expect(denied.headers.get("access-control-expose-headers")).toMatch(/ETag/);
  });

  it("a wildcard origin answers any origin, without credentials", async () => {
    const { call } = await withBook({ cors: { origins: ["*"] } });
    const res = await call("GET", `/Book/${ISBN}`, { headers: { origin: "http://any.test" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("request deadlines", () => {
  it("a request that takes too long is answered 503; the server keeps serving", async () => {
    const served = await withBook({ timeoutMs: 100 });
    const store = await served.models.Book.store();
    const get = store.get!.bind(store);
    let hang = true;
    (store as { get: unknown }).get = (id: never) => (hang ? new Promise(() => {}) : get(id));
    const slow = await served.call("GET", `/Book/${ISBN}`, { token: ADMIN_TOKEN });
    expect(slow.status).toBe(503);
    expect(await slow.json()).toMatchObject({ code: "HTTP_TIMEOUT" });
    hang = false;
    expect((await served.call("GET", `/Book/${ISBN}`, { token: ADMIN_TOKEN })).status).toBe(200);
  });

  it("one timer serves requests started at different times, each after its own time", async () => {
    const deadlines = new Deadlines(80);
    const never = new Promise<string>(() => {});
    const started = Date.now();
    const first = deadlines.run(never, () => `late ${Date.now() - started}`);
    await new Promise((resolve) => setTimeout(resolve, 40));
    const second = deadlines.run(never, () => `late ${Date.now() - started}`);
    const quick = deadlines.run(Promise.resolve("done"), () => "late");
    const failing = deadlines.run(Promise.reject(new Error("boom")), () => "late");
    expect(await quick).toBe("done");
    await expect(failing).rejects.toThrow("boom");
    const [a, b] = [await first, await second];
    expect(Number(a.slice(5))).toBeGreaterThanOrEqual(79);
    expect(Number(b.slice(5))).toBeGreaterThanOrEqual(119);
  });
});

describe("JSON of instances", () => {
  it("is the text toJSON() gives, and a class's own toJSON still decides", async () => {
    const plain = Object.assign(Object.create(ModelInstance.prototype) as ModelInstance, {
      a: 1,
      nested: { list: [1, "two", null], when: new Date(0) },
    });
    expect(instanceJson(plain)).toBe(JSON.stringify(plain.toJSON()));
    expect(instanceJson([plain, 3, "x", null, [1]])).toBe(
      JSON.stringify([plain, 3, "x", null, [1]]),
    );
    class Masked extends ModelInstance {
      override toJSON() {
        return { masked: true } as never;
      }
    }
    const masked = Object.assign(new Masked(), { secret: "s" });
    expect(instanceJson(masked)).toBe('{"masked":true}');
    expect(instanceJson([masked])).toBe('[{"masked":true}]');
    expect(instanceJson(undefined)).toBe("null");
    const { call, models } = await withBook();
    const res = await call("GET", `/Book/${ISBN}`, { token: ADMIN_TOKEN });
    expect(await res.text()).toBe(JSON.stringify(await models.Book.get(ISBN)));
  });
});

describe("SHA-256", () => {
  const texts = ["", "bench-server-admin-token", "héllo wörld ✓ 𝄞", JSON.stringify(book)];

  it("node:crypto and crypto.subtle give the same digests", async () => {
    for (const text of texts) {
      expect(await sha256(text, "hex")).toBe(await sha256Subtle(text, "hex"));
      expect(await sha256(text, "base64url")).toBe(await sha256Subtle(text, "base64url"));
    }
    expect(await hashToken("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("an ETag is the quoted first 18 bytes of the JSON's digest, base64url", async () => {
    const tag = await etagOf(JSON.stringify(book));
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    expect(tag).toBe(`"${(await sha256Subtle(JSON.stringify(book), "base64url")).slice(0, 24)}"`);
  });
});
