/**
 * `Prefer: count=none` on a paged query (range.ts): the total reads `*` while
 * more items follow the page and is exact on the page that reaches the end;
 * without the preference every answer keeps its exact total. On memory stores
 * and on PGlite (whose count stops at one past the page: page-count.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModels } from "../../generated/index.js";
import { openDatabase } from "../../src/store/sql/open-database.js";
import { ADMIN_TOKEN, serveExample } from "./serve-fixture.js";

const AUTHOR = "2b7d3a4e-0a52-4a7e-9c1e-3f1f5b0e8a11";
const BOOKS = 45;
const isbn = (n: number) => `9780000000${String(n).padStart(3, "0")}`;
const book = (n: number) => ({
  isbn: isbn(n),
  title: `Book ${n}`,
  authorId: AUTHOR,
  status: n % 3 === 0 ? "draft" : "published",
  price: 10 + n,
  year: 1960 + (n % 7),
});
const NO_COUNT = { prefer: "count=none" };

async function pglite(): Promise<Kysely<any>> {
  const db = openDatabase("memory:");
  const schema = readFileSync(join(import.meta.dirname, "../../generated/schema.sql"), "utf8");
  for (const statement of schema.split(/;\s*\n/).filter((s) => s.trim() !== ""))
    await sql.raw(statement).execute(db);
  return db;
}

for (const store of ["memory", "pglite"] as const) {
  describe(`Content-Range with and without a count (${store})`, () => {
    let db: Kysely<any> | undefined;
    let server: Awaited<ReturnType<typeof serveExample>>;
    let models: ReturnType<typeof createModels>;

    beforeAll(async () => {
      db = store === "pglite" ? await pglite() : undefined;
      models = createModels(db ? { db } : {});
      server = await serveExample({ models });
      await models.Author.create({ id: AUTHOR, name: "Frank Herbert" });
      for (let n = 1; n <= BOOKS; n++) await models.Book.create(book(n) as never);
    }, 60_000);
    afterAll(async () => {
      await db?.destroy();
    });

    const page = (query: string, range: string, headers: Record<string, string> = {}) =>
      server.call("GET", `/Book/${query}`, { token: ADMIN_TOKEN, headers: { range, ...headers } });
    const isbns = async (response: Response) =>
      ((await response.json()) as { isbn: string }[]).map((b) => b.isbn);

    it("counts every match without the preference, as before", async () => {
      const res = await page("?sort(+isbn)", "items=20-39");
      expect(res.status).toBe(206);
      expect(res.headers.get("content-range")).toBe(`items 20-39/${BOOKS}`);
      expect(res.headers.has("preference-applied")).toBe(false);
    });

    it("answers `*` while more follow, the same records, and says the preference applied", async () => {
      const counted = await page("?sort(+isbn)", "items=20-39");
      const res = await page("?sort(+isbn)", "items=20-39", NO_COUNT);
      expect(res.status).toBe(206);
      expect(res.headers.get("content-range")).toBe("items 20-39/*");
      expect(res.headers.get("preference-applied")).toBe("count=none");
      expect(await isbns(res)).toEqual(await isbns(counted));
      // A page ending just before the last item: one more follows, still `*`.
      const before = await page("?sort(+isbn)", "items=40-43", NO_COUNT);
      expect(before.headers.get("content-range")).toBe("items 40-43/*");
    });

    it("gives the exact total on the page that reaches the end, and 416 past it", async () => {
      const last = await page("?sort(-isbn)", "items=40-59", NO_COUNT);
      expect(last.headers.get("content-range")).toBe(`items 40-44/${BOOKS}`);
      expect(await isbns(last)).toEqual([5, 4, 3, 2, 1].map(isbn));
      const exact = await page("", "items=25-44", NO_COUNT);
      expect(exact.headers.get("content-range")).toBe(`items 25-44/${BOOKS}`);
      const beyond = await page("", "items=50-69", NO_COUNT);
      expect(beyond.status).toBe(416);
      expect(beyond.headers.get("content-range")).toBe(`items */${BOOKS}`);
    });

    it("pages a filtered query without its count, unsorted and sorted", async () => {
      // 30 published books: 1, 2, 4, 5, 7, ...
      const published = Array.from({ length: BOOKS }, (_, i) => i + 1).filter((n) => n % 3 !== 0);
      const unsorted = await page("?status=published", "items=10-19", NO_COUNT);
      expect(unsorted.headers.get("content-range")).toBe("items 10-19/*");
      const sorted = await page("?status=published&sort(-year,+isbn)", "items=0-9", NO_COUNT);
      expect(sorted.headers.get("content-range")).toBe("items 0-9/*");
      const counted = await page("?status=published&sort(-year,+isbn)", "items=0-9");
      expect(counted.headers.get("content-range")).toBe(`items 0-9/${published.length}`);
      expect(await isbns(sorted)).toEqual(await isbns(counted));
      const end = await page("?status=published", "items=20-39", NO_COUNT);
      expect(end.headers.get("content-range")).toBe(`items 20-29/${published.length}`);
      // A query's own limit() bounds the records; the total counts matches before it, as totalCount does.
      const query = "?status=published&sort(+isbn)&limit(12)";
      const limited = await page(query, "items=10-19", NO_COUNT);
      expect(limited.headers.get("content-range")).toBe("items 10-11/*");
      const limitedCounted = await page(query, "items=10-19");
      expect(limitedCounted.headers.get("content-range")).toBe(`items 10-11/${published.length}`);
      expect(await isbns(limited)).toEqual(await isbns(limitedCounted));
    });

    it("ignores the preference where only the count tells the page's end (an open range, no range)", async () => {
      const open = await page("?sort(+isbn)", "items=40-", NO_COUNT);
      expect(open.headers.get("content-range")).toBe(`items 40-44/${BOOKS}`);
      expect(open.headers.has("preference-applied")).toBe(false);
      const whole = await server.call("GET", "/Book/?status=draft", {
        token: ADMIN_TOKEN,
        headers: NO_COUNT,
      });
      expect(whole.status).toBe(200);
      expect(whole.headers.get("content-range")).toBe("items 0-14/15");
    });

    it("says every query answer varies by Prefer (and Accept), beside CORS's Origin", async () => {
      const varies = (res: Response) =>
        (res.headers.get("vary") ?? "").split(",").map((v) => v.trim().toLowerCase());
      for (const res of [
        await page("?sort(+isbn)", "items=20-39", NO_COUNT),
        await page("?sort(+isbn)", "items=20-39"),
        await server.call("GET", "/Book/?status=draft", { token: ADMIN_TOKEN }),
        await server.call("GET", "/Book/?count()", { token: ADMIN_TOKEN }),
      ]) {
        expect(res.status).toBeLessThan(300);
        expect(varies(res)).toEqual(expect.arrayContaining(["prefer", "accept"]));
      }
      const cors = await serveExample({
        models,
        cors: { origins: ["http://app.test"] },
      });
      const res = await cors.call("GET", "/Book/", {
        token: ADMIN_TOKEN,
        headers: { range: "items=0-9", origin: "http://app.test", ...NO_COUNT },
      });
      expect(res.headers.get("content-range")).toBe("items 0-9/*");
      expect(varies(res)).toEqual(expect.arrayContaining(["prefer", "accept", "origin"]));
      cors.handler.close();
    });

    it("reads the preference among others, and nothing else as it", async () => {
      const among = await page("", "items=0-9", { prefer: 'return=minimal, count="none"; x=1' });
      expect(among.headers.get("content-range")).toBe("items 0-9/*");
      const exact = await page("", "items=0-9", { prefer: "count=exact" });
      expect(exact.headers.get("content-range")).toBe(`items 0-9/${BOOKS}`);
    });
  });
}
