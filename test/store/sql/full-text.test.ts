/**
 * search(words) on an SQL table with a full-text column (schema keyword
 * fullText): matched with the table's generated tsvector, combined with other
 * terms, sorted by relevance (ts_rank) when the query has no sort.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueryError, StoreError } from "../../../src/errors/index.js";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../../src/store/sql/table-spec.js";
import { createTable, openTestDatabase, testTargets, type TestDatabase } from "./sql-test-db.js";

interface Book {
  id: string;
  title: string;
  summary: string | null;
  year: number;
}

const spec: SqlTableSpec = {
  table: "ft_book",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "text", nullable: false },
    { name: "title", type: "string", sqlType: "text", nullable: false },
    { name: "summary", type: "string", sqlType: "varchar(200)", nullable: true },
    { name: "year", type: "integer", sqlType: "integer", nullable: false },
  ],
  fullText: { column: "perstore_search", fields: ["title", "summary"], language: "simple" },
};

const books: Book[] = [
  { id: "b1", title: "Dune", summary: "A desert planet, spice and sandworms", year: 1965 },
  { id: "b2", title: "Dune Messiah", summary: "Dune again: the desert emperor", year: 1969 },
  { id: "b3", title: "The Hobbit", summary: null, year: 1937 },
  { id: "b4", title: "Full-Text Search", summary: "e-mail: a.b@example.com, v3.14", year: 2020 },
  { id: "b5", title: "Desert Solitaire", summary: "Arches", year: 1968 },
];

const ids = (results: unknown) => (results as Book[]).map((b) => b.id);

for (const target of testTargets()) {
  describe(`SqlStore search() (${target.name})`, () => {
    let database: TestDatabase;
    let store: SqlStore<Book>;

    beforeAll(async () => {
      database = await openTestDatabase(target, "fts");
      await createTable(database.db, database.schema, spec);
      store = new SqlStore<Book>({ db: database.db, table: spec, schema: database.schema });
      for (const book of books) await store.put(book);
    }, 120_000);
    afterAll(() => database?.close());

    it("says it answers search() itself", () => {
      expect(store.fullText).toEqual({ fields: ["title", "summary"], language: "simple" });
    });

    it("matches records holding every term, in any of the fields, case-insensitively", async () => {
      expect(ids(await store.query("search(desert)&sort(id)"))).toEqual(["b1", "b2", "b5"]);
      expect(ids(await store.query("search(DESERT%20planet)&sort(id)"))).toEqual(["b1"]);
      expect(ids(await store.query("search(hobbit)"))).toEqual(["b3"]);
      expect(ids(await store.query("search(nothing)"))).toEqual([]);
    });

    it("reads punctuation as separators, like the wrapper's index", async () => {
      expect(ids(await store.query("search(text)"))).toEqual(["b4"]);
      expect(ids(await store.query("search(example)"))).toEqual(["b4"]);
      expect(ids(await store.query("search(14)"))).toEqual(["b4"]);
      expect(ids(await store.query("search(string:full-text)"))).toEqual(["b4"]);
      expect(ids(await store.query("search(string:---)"))).toEqual([]);
    });

    it("combines with other terms, not() and or()", async () => {
      expect(ids(await store.query("search(desert)&year<1966"))).toEqual(["b1"]);
      expect(ids(await store.query("not(search(desert))&sort(id)"))).toEqual(["b3", "b4"]);
      expect(ids(await store.query("or(search(hobbit),year=2020)&sort(id)"))).toEqual(["b3", "b4"]);
      expect(ids(await store.query("search($1)&sort(-year)", { parameters: ["dune"] }))).toEqual([
        "b2",
        "b1",
      ]);
    });

    it("orders by relevance without a sort (ties by id), pages with totalCount", async () => {
      // b2 holds "dune" twice, b1 once.
      expect(ids(await store.query("search(dune)"))).toEqual(["b2", "b1"]);
      const page = (await store.query("search(desert)&limit(1,1)")) as Book[] & {
        totalCount: number;
      };
      expect(page.totalCount).toBe(3);
      expect(page).toHaveLength(1);
      expect(await store.query("search(desert)&count()")).toBe(3);
    });

    it("keeps the column current on writes", async () => {
      await store.put({ id: "b6", title: "Sandworms of Dune", summary: null, year: 2007 });
      expect(ids(await store.query("search(sandworms)&sort(id)"))).toEqual(["b1", "b6"]);
      await store.put({ id: "b6", title: "Other", summary: null, year: 2007 });
      expect(ids(await store.query("search(sandworms)"))).toEqual(["b1"]);
      await store.delete("b6");
    });

    it("refuses search() on a table without the column, and a bad spec", async () => {
      const { fullText: _, ...plain } = spec;
      const bare = new SqlStore<Book>({ db: database.db, table: plain, schema: database.schema });
      expect(bare.fullText).toBeUndefined();
      await expect(bare.query("search(dune)")).rejects.toMatchObject({
        constructor: QueryError,
        code: "QUERY_UNSUPPORTED",
      });
      const bad = (fullText: object) => () =>
        new SqlStore<Book>({ db: database.db, table: { ...spec, fullText } as SqlTableSpec });
      expect(bad({ ...spec.fullText, language: "english'; drop" })).toThrow(StoreError);
      expect(bad({ ...spec.fullText, fields: ["year"] })).toThrow(/not a string column/);
    });
  });
}
