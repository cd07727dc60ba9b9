import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/store/memory/index.js";
import { storeChannel } from "../../../src/store/channel.js";
import { sqlChannel } from "../../../src/store/sql/sql-channel.js";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../../src/store/sql/table-spec.js";
import type { Results } from "../../../src/store/types.js";
import { createTable, openTestDatabase, testTargets, type TestDatabase } from "./sql-test-db.js";

interface Book {
  id?: number;
  title: string;
  year: number | null;
  published: string | null;
  day: string | null;
  reviews: { stars: number; by: string }[] | null;
  tags: string[] | null;
}

const books: SqlTableSpec = {
  table: "book",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "title", type: "string", sqlType: "varchar(80)", nullable: false },
    { name: "year", type: "integer", sqlType: "integer", nullable: true },
    { name: "published", type: "date-time", sqlType: "timestamptz", nullable: true },
    { name: "day", type: "date", sqlType: "date", nullable: true },
    { name: "reviews", type: "array", sqlType: "jsonb", nullable: true },
    { name: "tags", type: "array", sqlType: "text[]", nullable: true },
  ],
};

const book = (id: number, title: string, year: number | null, extra: Partial<Book> = {}): Book => ({
  id,
  title,
  year,
  published: null,
  day: null,
  reviews: null,
  tags: null,
  ...extra,
});

describe("SqlStore table spec checks", () => {
  // The constructor never touches the database, so none is needed here.
  const db = {} as never;

  it("refuses a spec it cannot work over with STORE_BAD_OPTION, as MemoryStore refuses a bad idProperty", () => {
    const noKey: SqlTableSpec = { ...books, primaryKey: "isbn" };
    const badType: SqlTableSpec = {
      ...books,
      columns: [
        ...books.columns,
        { name: "x", type: "string", sqlType: "text); drop table book; --", nullable: true },
      ],
    };
    const clash: SqlTableSpec = {
      ...books,
      columns: [
        ...books.columns,
        { name: "perstore_type", type: "string", sqlType: "text", nullable: true },
      ],
      discriminator: { column: "perstore_type", value: "Book", values: ["Book"] },
    };
    for (const table of [noKey, badType, clash]) {
      expect(() => new SqlStore({ db, table }), table.primaryKey).toThrow(
        expect.objectContaining({ name: "StoreError", code: "STORE_BAD_OPTION" }),
      );
    }
  });
});

for (const target of testTargets()) {
  describe(`SqlStore specifics on ${target.name}`, () => {
    let database: TestDatabase;
    let store: SqlStore<Book>;
    beforeAll(async () => {
      database = await openTestDatabase(target, "sqlstore");
      await createTable(database.db, database.schema, books);
    });
    afterAll(async () => database?.close());
    beforeEach(async () => {
      await sql`truncate table ${sql.id(database.schema, "book")} restart identity`.execute(
        database.db,
      );
      store = new SqlStore<Book>({ db: database.db, table: books, schema: database.schema });
    });
    const ids = (r: unknown) => (r as Book[]).map((b) => b.id);

    it("lets the database assign integer ids and reads bigint ids as numbers", async () => {
      const first = await store.put({ title: "Dune", year: 1965 } as Book);
      const second = await store.add({ title: "Emma", year: 1815 } as Book);
      expect([first, second]).toEqual([1, 2]);
      expect(await store.get(2)).toMatchObject({ id: 2, title: "Emma" });
      // Ids are typed by the key column and never converted: "2" is not the id 2.
      expect(await store.get("2")).toBeUndefined();
      expect(await store.get("x")).toBeUndefined();
    });

    it("round-trips date-times as normalised ISO strings, dates as days, jsonb and arrays as equal values", async () => {
      const reviews = [
        { stars: 5, by: "ann" },
        { stars: 2, by: "bo" },
      ];
      await store.put(
        book(1, "Dune", 1965, {
          published: "1965-08-01T10:00:00+02:00",
          day: "1965-08-01",
          reviews,
          tags: ["sf", "a,b", 'q"'],
        }),
      );
      expect(await store.get(1)).toEqual(
        book(1, "Dune", 1965, {
          published: "1965-08-01T08:00:00.000Z",
          day: "1965-08-01",
          reviews,
          tags: ["sf", "a,b", 'q"'],
        }),
      );
      const asDates = new SqlStore<Book>({
        db: database.db,
        table: books,
        schema: database.schema,
        dates: "Date",
      });
      expect((await asDates.get(1))?.published).toEqual(new Date("1965-08-01T08:00:00.000Z"));
    });

    it("matches nothing when a value's type differs from the column's (no coercion)", async () => {
      await store.put(book(1, "30", 30));
      // Parameters are not re-typed by the schema, so their JavaScript type is what is compared.
      expect(ids(await store.query("title=$1", { parameters: [30] }))).toEqual([]);
      expect(ids(await store.query("ne(title,$1)", { parameters: [30] }))).toEqual([1]);
      expect(ids(await store.query("year>$1", { parameters: ["3"] }))).toEqual([]);
      expect(ids(await store.query("in(year,$1)", { parameters: [["30", 30]] }))).toEqual([1]);
    });

    it("escapes LIKE wildcards and compares text by code point", async () => {
      await store.put(book(1, "100%_sure", 1));
      await store.put(book(2, "100 sure", 2));
      await store.put(book(3, "é", 3));
      await store.put(book(4, "z", 4));
      expect(ids(await store.query("starts(title,100%25_)"))).toEqual([1]);
      expect(ids(await store.query("ends(title,%25_sure)"))).toEqual([1]);
      expect(ids(await store.query("contains(title,%25)"))).toEqual([1]);
      expect(ids(await store.query("title>z&sort(+id)"))).toEqual([3]);
      expect(ids(await store.query("sort(-title)"))).toEqual([3, 4, 1, 2]);
    });

    it("answers contains with a nested query on jsonb arrays, and on text arrays", async () => {
      await store.put(book(1, "A", 1, { reviews: [{ stars: 5, by: "ann" }], tags: ["x", "y"] }));
      await store.put(
        book(2, "B", 2, {
          reviews: [
            { stars: 1, by: "ann" },
            { stars: 3, by: "cy" },
          ],
          tags: ["y"],
        }),
      );
      await store.put(book(3, "C", 3));
      expect(ids(await store.query("contains(reviews,and(stars=ge=3,by=ann))"))).toEqual([1]);
      expect(ids(await store.query("contains(reviews,stars=3)"))).toEqual([2]);
      expect(ids(await store.query("excludes(reviews,by=ann)&sort(+id)"))).toEqual([3]);
      expect(ids(await store.query("contains(tags,x)"))).toEqual([1]);
      expect(ids(await store.query("excludes(tags,x)&sort(+id)"))).toEqual([2, 3]);
    });

    it("computes aggregates, values and distinct in SQL", async () => {
      await store.put(book(1, "A", 2000));
      await store.put(book(2, "B", 2000));
      await store.put(book(3, "C", null));
      await store.put(book(4, "A", 1990));
      expect(await store.query("sum(year)")).toBe(5990);
      expect(await store.query("year=3000&sum(year)")).toBe(0);
      expect(await store.query("year=3000&mean(year)")).toBeUndefined();
      expect(await store.query("max(title)")).toBe("C");
      expect(await store.query("sort(-year)&first()")).toMatchObject({ id: 1 });
      await expect(store.query("title=A&one()")).rejects.toMatchObject({ code: "QUERY_NOT_ONE" });
      const distinct = (await store.query("values(title)&distinct()&sort(+id)")) as Results<string>;
      expect([...distinct]).toEqual(["A", "B", "C"]);
      expect(distinct.totalCount).toBe(3);
      const groups = await store.query("aggregate(title,count(),sum(year))&sort(-title)");
      expect([...(groups as object[])]).toEqual([
        { title: "C", count: 1, sum_year: 0 },
        { title: "B", count: 1, sum_year: 2000 },
        { title: "A", count: 2, sum_year: 3990 },
      ]);
    });

    it("refuses what it cannot translate, and unknown properties, with QueryError codes", async () => {
      await expect(store.query("recurse(reviews)")).rejects.toMatchObject({
        code: "QUERY_UNSUPPORTED",
      });
      // Distinct jsonb objects tie, so which one max() gives would depend on the natural order.
      await expect(store.query("max(reviews)")).rejects.toMatchObject({
        code: "QUERY_UNSUPPORTED",
      });
      await expect(store.query("nope=1")).rejects.toMatchObject({ code: "QUERY_UNKNOWN_PROPERTY" });
      await expect(
        store.query("eq(title%22%3B%20drop%20table%20book%3B--,1)"),
      ).rejects.toMatchObject({ code: "QUERY_UNKNOWN_PROPERTY" });
      await expect(store.put({ ...book(1, "A", 1), extra: 1 } as Book)).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
      });
    });

    it("rolls a transaction back and delivers its events only after commit", async () => {
      const seen: string[] = [];
      store.on("add", (e) => seen.push(`add ${String(e.ids?.[0])}`));
      await expect(
        store.transaction(async (tx) => {
          await tx.put(book(1, "A", 1));
          expect(await tx.get(1)).toMatchObject({ title: "A" });
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect(await store.get(1)).toBeUndefined();
      expect(seen).toEqual([]);
      await store.transaction(async (tx) => void (await tx.put(book(2, "B", 2))));
      expect(seen).toEqual(["add 2"]);
    });

    it("commits a memory store's condensed changes through one batched transaction (sqlChannel and storeChannel)", async () => {
      for (const channel of [sqlChannel(store), storeChannel(store)]) {
        await sql`truncate table ${sql.id(database.schema, "book")}`.execute(database.db);
        const memory = new MemoryStore<Book>({ idProperty: "id", channel });
        memory.insert([book(1, "A", 1), book(2, "B", 2), book(3, "C", 3)]);
        await memory.commit({ mode: "condensed" });
        memory.update({ year: 20 }, "id=2");
        memory.remove("id=3");
        memory.insert([book(4, "D", 4)]);
        memory.update({ title: "D2" }, "id=4");
        await memory.commit({ mode: "condensed" });
        expect(
          [...((await store.query("sort(+id)")) as Book[])].map((b) => [b.id, b.title, b.year]),
        ).toEqual([
          [1, "A", 1],
          [2, "B", 20],
          [4, "D2", 4],
        ]);
        expect(memory.journal).toHaveLength(0);
      }
    });

    it("rolls back a failed change set and leaves the memory store's journal intact", async () => {
      for (const channel of [sqlChannel(store), storeChannel(store)]) {
        await sql`truncate table ${sql.id(database.schema, "book")}`.execute(database.db);
        await store.put(book(8, "changed?", 8));
        await store.put(book(9, "removed?", 9));
        const memory = new MemoryStore<Book>({
          idProperty: "id",
          channel,
          data: [book(8, "changed?", 8), book(9, "removed?", 9)],
        });
        // The remove and the change run (as earlier batches) before the add that fails: all must roll back.
        memory.remove("id=9");
        memory.update({ year: 80 }, "id=8");
        memory.insert([book(1, "A", 1), book(2, "x".repeat(81), 2)], { append: true }); // varchar(80) refuses the second
        const journal = [...memory.journal];
        await expect(memory.commit({ mode: "condensed" })).rejects.toMatchObject({
          code: "VALIDATION_FAILED",
        });
        expect([...memory.journal]).toEqual(journal);
        expect(ids(await memory.query("sort(+id)"))).toEqual([1, 2, 8]);
        expect([...((await store.query("sort(+id)")) as Book[])]).toMatchObject([
          { id: 8, year: 8 },
          { id: 9, title: "removed?" },
        ]);
      }
    });

    it("returns the ids the database assigned for added records without one", async () => {
      const response = await store.applyChangeSet({
        mode: "condensed",
        changes: [
          { type: "add", id: "tmp-1", record: { title: "A", year: 1 } as Book },
          { type: "add", id: "tmp-2", record: { title: "B", year: 2 } as Book },
        ],
      });
      const assigned = response.ids as Map<string, number>;
      expect([assigned.get("tmp-1"), assigned.get("tmp-2")]).toEqual([1, 2]);
      // The response names what the database holds beyond the records sent (ids, nulls for what they lack).
      const sent = [
        { title: "A", year: 1 },
        { title: "B", year: 2 },
      ];
      expect(sent.map((r, i) => ({ ...r, ...response.records![i] }))).toEqual([
        await store.get(1),
        await store.get(2),
      ]);
    });
  });
}
