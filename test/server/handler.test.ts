/** The REST handler over the example models: every endpoint, status code and facet rule. */
import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, EDITOR_TOKEN, serveExample } from "./serve-fixture.js";

const AUTHOR = "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11";
const book = (isbn: string, extra: Record<string, unknown> = {}) => ({
  isbn,
  title: `Book ${isbn.slice(-3)}`,
  authorId: AUTHOR,
  status: "published",
  price: 10,
  year: 1950,
  ...extra,
});
const isbn = (n: number) => `9780000000${String(n).padStart(3, "0")}`;

let server: Awaited<ReturnType<typeof serveExample>>;
beforeEach(async () => {
  server = await serveExample();
  await server.models.Author.create({ id: AUTHOR, name: "Frank Herbert" });
  for (let n = 1; n <= 5; n++)
    await server.models.Book.create(book(isbn(n), { year: 1960 + n }) as never);
  await server.models.Book.create(book(isbn(9), { status: "draft" }) as never);
});

describe("records", () => {
  it("GET /<Model>/<id> answers the record with an ETag; unknown ids and models are 404", async () => {
    const res = await server.call("GET", `/Book/${isbn(1)}`, { token: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toMatch(/^"[\w-]+"$/);
    expect(await res.json()).toMatchObject({ isbn: isbn(1), title: "Book 001" });
    const missing = await server.call("GET", `/Book/${isbn(7)}`, { token: ADMIN_TOKEN });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "STORE_NOT_FOUND" });
    expect((await server.call("GET", "/Nope/1", { token: ADMIN_TOKEN })).status).toBe(404);
  });

  it("POST creates (201 + Location), PUT replaces, PATCH merges, DELETE removes (204)", async () => {
    const created = await server.call("POST", "/Book/", {
      token: ADMIN_TOKEN,
      body: book(isbn(20)),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/Book/${isbn(20)}`);

    const put = await server.call("PUT", `/Book/${isbn(20)}`, {
      token: ADMIN_TOKEN,
      body: { ...book(isbn(20)), title: "Replaced" },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ title: "Replaced" });

    const patched = await server.call("PATCH", `/Book/${isbn(20)}`, {
      token: ADMIN_TOKEN,
      body: { title: "Patched", price: null },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status).toBe(200);
    const after = (await patched.json()) as Record<string, unknown>;
    expect(after.title).toBe("Patched");
    expect("price" in after).toBe(false);

    expect((await server.call("DELETE", `/Book/${isbn(20)}`, { token: ADMIN_TOKEN })).status).toBe(
      204,
    );
    expect((await server.call("DELETE", `/Book/${isbn(20)}`, { token: ADMIN_TOKEN })).status).toBe(
      404,
    );
    expect(await server.models.Book.get(isbn(20))).toBeUndefined();
  });

  it("PUT with If-Match: 412 on a stale tag, success on the current one; If-None-Match: * is create-only", async () => {
    const first = await server.call("GET", `/Book/${isbn(1)}`, { token: ADMIN_TOKEN });
    const tag = first.headers.get("etag")!;
    const ok = await server.call("PUT", `/Book/${isbn(1)}`, {
      token: ADMIN_TOKEN,
      body: book(isbn(1), { title: "First write" }),
      headers: { "if-match": tag },
    });
    expect(ok.status).toBe(200);
    const stale = await server.call("PUT", `/Book/${isbn(1)}`, {
      token: ADMIN_TOKEN,
      body: book(isbn(1), { title: "Lost update" }),
      headers: { "if-match": tag },
    });
    expect(stale.status).toBe(412);
    expect((await server.models.Book.get(isbn(1)))!.title).toBe("First write");

    const exists = await server.call("PUT", `/Book/${isbn(1)}`, {
      token: ADMIN_TOKEN,
      body: book(isbn(1)),
      headers: { "if-none-match": "*" },
    });
    expect(exists.status).toBe(412);
    const fresh = await server.call("PUT", `/Book/${isbn(30)}`, {
      token: ADMIN_TOKEN,
      body: book(isbn(30)),
      headers: { "if-none-match": "*" },
    });
    expect(fresh.status).toBe(201);
  });

  it("two writers holding the same tag: exactly one wins", async () => {
    const tag = (await server.call("GET", `/Book/${isbn(2)}`, { token: ADMIN_TOKEN })).headers.get(
      "etag",
    )!;
    const write = (title: string) =>
      server.call("PUT", `/Book/${isbn(2)}`, {
        token: ADMIN_TOKEN,
        body: book(isbn(2), { title }),
        headers: { "if-match": tag },
      });
    const statuses = (await Promise.all([write("A"), write("B")])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412]);
  });

  it("GET /<Model>/<id>/<rel> follows a link both ways", async () => {
    const author = await server.call("GET", `/Book/${isbn(1)}/author`, { token: ADMIN_TOKEN });
    expect(author.status).toBe(200);
    expect(await author.json()).toMatchObject({ id: AUTHOR, name: "Frank Herbert" });
    const books = await server.call("GET", `/Author/${AUTHOR}/books`, { token: ADMIN_TOKEN });
    expect(((await books.json()) as unknown[]).length).toBe(6);
    expect((await server.call("GET", `/Book/${isbn(1)}/nope`, { token: ADMIN_TOKEN })).status).toBe(
      404,
    );
  });
});

describe("queries and paging", () => {
  it("the raw query string is the RQL query; Range pages it with 206 + Content-Range", async () => {
    const all = await server.call("GET", "/Book/?status=published&sort(+year)", {
      token: ADMIN_TOKEN,
    });
    expect(all.status).toBe(200);
    expect(all.headers.get("content-range")).toBe("items 0-4/5");
    const page = await server.call("GET", "/Book/?status=published&sort(+year)", {
      token: ADMIN_TOKEN,
      headers: { range: "items=1-2" },
    });
    expect(page.status).toBe(206);
    expect(page.headers.get("content-range")).toBe("items 1-2/5");
    expect(((await page.json()) as { year: number }[]).map((b) => b.year)).toEqual([1962, 1963]);
    const open = await server.call("GET", "/Book/?status=published", {
      token: ADMIN_TOKEN,
      headers: { range: "items=3-" },
    });
    expect(open.headers.get("content-range")).toBe("items 3-4/5");
    const past = await server.call("GET", "/Book/?status=published", {
      token: ADMIN_TOKEN,
      headers: { range: "items=4-100" },
    });
    expect(past.headers.get("content-range")).toBe("items 4-4/5");
    const beyond = await server.call("GET", "/Book/?status=published", {
      token: ADMIN_TOKEN,
      headers: { range: "items=10-20" },
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe("items */5");
    const malformed = await server.call("GET", "/Book/", {
      token: ADMIN_TOKEN,
      headers: { range: "bytes=0-1" },
    });
    expect(malformed.status).toBe(416);
  });

  it("aggregates answer their value; a bad query is 400 with its code and position", async () => {
    const count = await server.call("GET", "/Book/?count()", { token: ADMIN_TOKEN });
    expect(await count.json()).toBe(6);
    const bad = await server.call("GET", "/Book/?eq(year", { token: ADMIN_TOKEN });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "QUERY_SYNTAX" });
  });
});

describe("facets are the only way in", () => {
  it("anonymous requests get the reader role: hidden properties never appear, the filter applies to totals", async () => {
    const res = await server.call("GET", "/Book/?sort(+isbn)&limit(50)");
    expect(res.status).toBe(200);
    const rows = (await res.json()) as Record<string, unknown>[];
    expect(rows).toHaveLength(5); // the draft is outside the catalog filter
    expect(rows.every((row) => !("price" in row))).toBe(true);
    expect(res.headers.get("content-range")).toBe("items 0-4/5");
    const draft = await server.call("GET", `/Book/${isbn(9)}`);
    expect(draft.status).toBe(404);
    expect((await server.call("GET", `/Book/${isbn(1)}`)).headers.get("etag")).not.toBe(
      (await server.call("GET", `/Book/${isbn(1)}`, { token: ADMIN_TOKEN })).headers.get("etag"),
    );
  });

  it("a read-only facet cannot write through any verb; nothing changes", async () => {
    const before = JSON.stringify(await server.models.Book.query("sort(+isbn)"));
    const attempts = [
      server.call("POST", "/Book/", { body: book(isbn(40)) }),
      server.call("PUT", `/Book/${isbn(1)}`, { body: book(isbn(1), { title: "x" }) }),
      server.call("PUT", `/Book/${isbn(41)}`, {
        body: book(isbn(41)),
        headers: { "if-none-match": "*" },
      }),
      server.call("PATCH", `/Book/${isbn(1)}`, { body: { title: "x" } }),
      server.call("DELETE", `/Book/${isbn(1)}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toMatch(/^ACCESS_/);
    }
    expect(JSON.stringify(await server.models.Book.query("sort(+isbn)"))).toBe(before);
  });

  it("a query on a hidden property, or past the facet's maxLimit, is refused with 403", async () => {
    expect((await server.call("GET", "/Book/?price=10&limit(5)")).status).toBe(403);
    expect((await server.call("GET", "/Book/?limit(500)")).status).toBe(403);
    expect((await server.call("GET", "/Book/")).status).toBe(403);
    expect((await server.call("GET", "/Book/", { headers: { range: "items=0-99" } })).status).toBe(
      403,
    );
  });

  it("a Range page within the facet's maxLimit stands for limit(n)", async () => {
    const res = await server.call("GET", "/Book/?sort(+isbn)", { headers: { range: "items=0-1" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe("items 0-1/5");
  });

  it("models a role does not name are closed; tokens select roles; bad tokens are 401", async () => {
    expect((await server.call("GET", `/Author/${AUTHOR}`)).status).toBe(403);
    const editor = await server.call("PATCH", `/Book/${isbn(1)}`, {
      token: EDITOR_TOKEN,
      body: { title: "Edited" },
    });
    expect(editor.status).toBe(200);
    const readonly = await server.call("PATCH", `/Book/${isbn(1)}`, {
      token: EDITOR_TOKEN,
      body: { authorId: "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a12" },
    });
    expect(readonly.status).toBe(403);
    const bad = await server.call("GET", "/Book/", { token: "wrong" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("with no anonymous role, a request without a token is 401", async () => {
    const { call } = await serveExample({
      access: { roles: { admin: { "*": "*" } } },
    });
    expect((await call("GET", "/Book/")).status).toBe(401);
  });
});

describe("bad input", () => {
  it("malformed JSON 400, wrong media type 415, oversized body 413, non-object body 400", async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      server.call("POST", "/Book/", { token: ADMIN_TOKEN, body, headers });
    expect((await post("{nope")).status).toBe(400);
    expect((await post("{}", { "content-type": "text/plain" })).status).toBe(415);
    expect((await post("[1,2]")).status).toBe(400);
    const small = await serveExample({ maxBodyBytes: 100 });
    const big = await small.call("POST", "/Book/", {
      token: ADMIN_TOKEN,
      body: book(isbn(50), { title: "x".repeat(200) }),
    });
    expect(big.status).toBe(413);
    expect(await small.models.Book.get(isbn(50))).toBeUndefined();
  });

  it("__proto__ and constructor keys in bodies have no effect", async () => {
    const res = await server.call("POST", "/Book/", {
      token: ADMIN_TOKEN,
      body: `{"isbn":"${isbn(60)}","title":"t","authorId":"${AUTHOR}","status":"draft","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}`,
    });
    expect(res.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys((await server.models.Book.get(isbn(60)))!)).not.toContain("__proto__");
  });

  it("a body nesting 100,000 levels deep is 400, never a 500 or a crash", async () => {
    for (const deep of [
      `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
      `{"isbn":"${isbn(61)}","title":"t","authorId":"${AUTHOR}","status":"draft","x":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`,
    ]) {
      const res = await server.call("POST", "/Book/", { token: ADMIN_TOKEN, body: deep });
      expect(res.status).toBe(400);
      expect(await res.json()).toHaveProperty("code");
    }
    expect(await server.models.Book.get(isbn(61))).toBeUndefined();
  });

  it("hostile ids are opaque segments; a mismatched id in the body is 400", async () => {
    for (const id of ["..%2F..%2Fetc%2Fpasswd", "%00", "a%2Fb", "%E2%80%AE"]) {
      const res = await server.call("GET", `/Book/${id}`, { token: ADMIN_TOKEN });
      // Not found, or refused as an id no store accepts (U+0000): never a 500.
      expect([400, 404]).toContain(res.status);
    }
    const mismatch = await server.call("PUT", `/Book/${isbn(1)}`, {
      token: ADMIN_TOKEN,
      body: book(isbn(2)),
    });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ code: "HTTP_ID_MISMATCH" });
  });

  it("validation errors are 400 with their pointers; unexpected errors are 500 with nothing inside", async () => {
    const invalid = await server.call("POST", "/Book/", {
      token: ADMIN_TOKEN,
      body: book(isbn(70), { year: "soon" }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: "VALIDATION_FAILED" });

    const heard: unknown[] = [];
    const broken = await serveExample({ onError: (error) => heard.push(error) });
    const store = await broken.models.Book.store();
    (store as { get: unknown }).get = () => {
      throw new Error("select * from secret_table failed at /srv/app.ts:12");
    };
    const res = await broken.call("GET", `/Book/${isbn(1)}`, { token: ADMIN_TOKEN });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/secret_table|app\.ts/);
    expect(JSON.parse(text)).toEqual({ code: "SERVER_INTERNAL", message: "internal server error" });
    expect(heard).toHaveLength(1);
  });

  it("a misconfigured access section fails at once", async () => {
    await expect(
      serveExample({ access: { roles: { r: { Book: "nope" } } } }),
    ).rejects.toMatchObject({ code: "SERVER_CONFIG" });
    await expect(
      serveExample({ access: { roles: { r: { Book: "*" } }, anonymous: "missing" } }),
    ).rejects.toMatchObject({ code: "SERVER_CONFIG" });
  });
});

describe("CORS", () => {
  it("exposes Content-Range and ETag to listed origins; never a wildcard with credentials", async () => {
    const { call } = await serveExample({
      cors: { origins: ["http://app.test"], credentials: true },
    });
    const res = await call("GET", "/Book/", { headers: { origin: "http://app.test" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("http://app.test");
    expect(res.headers.get("access-control-expose-headers")).toMatch(/Content-Range/);
    const other = await call("GET", "/Book/", { headers: { origin: "http://evil.test" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    await expect(
      serveExample({ cors: { origins: ["*"], credentials: true } }),
    ).rejects.toMatchObject({
      code: "SERVER_CONFIG",
    });
  });
});
