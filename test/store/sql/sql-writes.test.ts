/**
 * The SQL store's write paths that skip work nobody needs: `patch` (only the
 * columns it sets), `insert` (batches, no RETURNING), change sets that write
 * only what a change touched and report only what the database changed, and
 * arrays sent as one array-literal parameter.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/store/memory/index.js";
import { idOut } from "../../../src/store/sql/batch-rows.js";
import { sqlChannel } from "../../../src/store/sql/sql-channel.js";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../../src/store/sql/table-spec.js";
import type { StoreEvent } from "../../../src/store/types.js";
import { createTable, openTestDatabase, testTargets, type TestDatabase } from "./sql-test-db.js";

interface Book {
  id?: number;
  title: string;
  year?: number | null;
  published?: string | Date | null;
  tags?: unknown[] | null;
  scores?: (number | null)[] | null;
}

const books: SqlTableSpec = {
  table: "book",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "title", type: "string", sqlType: "text", nullable: false },
    { name: "year", type: "integer", sqlType: "integer", nullable: true },
    { name: "published", type: "date-time", sqlType: "timestamptz", nullable: true },
    { name: "tags", type: "array", sqlType: "text[]", nullable: true },
    { name: "scores", type: "array", sqlType: "integer[]", nullable: true },
  ],
};

const full = (id: number, title: string, extra: Partial<Book> = {}) => ({
  id,
  title,
  year: null,
  published: null,
  tags: null,
  scores: null,
  ...extra,
});

for (const target of testTargets()) {
  describe(`SqlStore writes on ${target.name}`, () => {
    let database: TestDatabase;
    let store: SqlStore<Book>;
    beforeAll(async () => {
      database = await openTestDatabase(target, "sqlwrites");
      await createTable(database.db, database.schema, books);
    });
    afterAll(async () => database?.close());
    beforeEach(async () => {
      await sql`truncate table ${sql.id(database.schema, "book")} restart identity`.execute(
        database.db,
      );
      store = new SqlStore<Book>({ db: database.db, table: books, schema: database.schema });
    });
    /** Changes a row behind the store's back: what a write leaves alone keeps this value. */
    const setTitleInSql = (id: number, title: string) =>
      sql`update ${sql.id(database.schema, "book")} set title = ${title} where id = ${id}`.execute(
        database.db,
      );

    it("patch writes only the columns it sets, keeps the others, and removes null/undefined ones", async () => {
      await store.put({ id: 1, title: "Dune", year: 1965, tags: ["sf"] });
      await setTitleInSql(1, "Dune (changed elsewhere)");
      expect(await store.patch(1, { year: 1966, tags: undefined })).toBe(1);
      expect(await store.get(1)).toEqual(
        full(1, "Dune (changed elsewhere)", { year: 1966, tags: null }),
      );
      await store.patch(1, { year: null });
      expect((await store.get(1))?.year).toBeNull();
    });

    it("patch refuses an unknown id, a changed id and unknown properties, and changes nothing then", async () => {
      await store.put({ id: 1, title: "Dune", year: 1965 });
      await expect(store.patch(2, { year: 1 })).rejects.toMatchObject({ code: "STORE_NOT_FOUND" });
      await expect(store.patch(1, { id: 3, year: 1 })).rejects.toMatchObject({
        code: "STORE_ID_IMMUTABLE",
      });
      await expect(store.patch(1, { nope: 1 } as Partial<Book>)).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
      });
      await expect(store.patch("1" as unknown as number, { year: 1 })).rejects.toMatchObject({
        code: "STORE_INVALID_ID",
      });
      // The id itself may be named, unchanged.
      await store.patch(1, { id: 1, title: "Dune!" });
      expect(await store.get(1)).toEqual(full(1, "Dune!", { year: 1965 }));
    });

    it("patch's change event carries the record as stored, and only when someone listens", async () => {
      await store.put({ id: 1, title: "Dune", year: 1965 });
      await setTitleInSql(1, "Dune (changed elsewhere)");
      const seen: StoreEvent<Book>[] = [];
      const off = store.on("change", (e) => seen.push(e));
      const changes = { year: 2000 };
      await store.patch(1, changes);
      changes.year = 1;
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        type: "change",
        ids: [1],
        records: [full(1, "Dune (changed elsewhere)", { year: 2000 })],
        changes: { year: 2000 },
      });
      off();
      await store.patch(1, { year: 2001 });
      expect(seen).toHaveLength(1);
      // Inside a transaction the event comes after COMMIT, and not at all after a rollback.
      store.on("change", (e) => seen.push(e));
      await expect(
        store.transaction(async (tx) => {
          await tx.patch(1, { year: 3 });
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect(seen).toHaveLength(1);
      expect((await store.get(1))?.year).toBe(2001);
    });

    it("put reports add for a new record and change for an existing one, with the records given", async () => {
      const seen: string[] = [];
      store.on("add", (e) => seen.push(`add ${JSON.stringify(e.records)}`));
      store.on("change", (e) => seen.push(`change ${JSON.stringify(e.records)}`));
      // (Ids far from the identity column's first values.)
      await store.put({ id: 100, title: "A" });
      await store.put({ id: 100, title: "B" });
      await store.put({ id: 100, title: "C" }, { overwrite: true });
      const assigned = await store.put({ title: "D" });
      expect(seen).toEqual([
        `add ${JSON.stringify([full(100, "A")])}`,
        `change ${JSON.stringify([full(100, "B")])}`,
        `change ${JSON.stringify([full(100, "C")])}`,
        `add ${JSON.stringify([full(assigned as number, "D")])}`,
      ]);
      await expect(store.put({ id: 9, title: "X" }, { overwrite: true })).rejects.toMatchObject({
        code: "STORE_NOT_FOUND",
      });
    });

    it("insert adds records in order (ids from the records or the key's default) with one add event", async () => {
      const seen: StoreEvent<Book>[] = [];
      store.on("add", (e) => seen.push(e));
      const input: Book[] = [
        { id: 10, title: "A", tags: ["x"] },
        { title: "B" },
        { id: 11, title: "C", published: new Date("2020-01-01T00:00:00Z") },
      ];
      const ids = await store.insert(input);
      expect(ids).toEqual([10, 1, 11]);
      input[0]!.tags!.push("mutated after insert");
      expect(await store.get(10)).toEqual(full(10, "A", { tags: ["x"] }));
      expect(await store.get(1)).toEqual(full(1, "B"));
      expect((await store.get(11))?.published).toBe("2020-01-01T00:00:00.000Z");
      expect(seen).toHaveLength(1);
      expect(seen[0]!.ids).toEqual([10, 1, 11]);
      expect(seen[0]!.records?.map((r) => r.title)).toEqual(["A", "B", "C"]);
      expect(await store.insert([])).toEqual([]);
    });

    it("gives every record without an id the id of its own row (insert and change sets)", async () => {
      // A column named like the batch's position column must not be taken for it.
      const ranked: SqlTableSpec = {
        table: "ranked",
        primaryKey: "id",
        columns: [
          { name: "id", type: "integer", sqlType: "bigint", nullable: false },
          { name: "position", type: "integer", sqlType: "integer", nullable: false },
          { name: "title", type: "string", sqlType: "text", nullable: false },
        ],
      };
      await createTable(database.db, database.schema, ranked);
      type Ranked = { id?: number; position: number; title: string };
      const rankedStore = new SqlStore<Ranked>({
        db: database.db,
        table: ranked,
        schema: database.schema,
      });
      const records = Array.from({ length: 300 }, (_, i) => ({
        position: 299 - i,
        title: `t${i}`,
      }));
      const ids = await rankedStore.insert(records);
      expect(new Set(ids).size).toBe(300);
      for (const [i, id] of ids.entries())
        expect(await rankedStore.get(id)).toEqual({ id, ...records[i] });
      const response = await rankedStore.applyChangeSet({
        mode: "condensed",
        changes: records.map((record, i) => ({ type: "add", id: `tmp-${i}`, record })),
      });
      const assigned = response.ids as Map<string, number>;
      for (const [i, record] of records.entries()) {
        const id = assigned.get(`tmp-${i}`)!;
        expect(ids).not.toContain(id);
        expect(await rankedStore.get(id)).toEqual({ id, ...record });
      }
    });

    it("insert is all or nothing: an existing id is STORE_CONFLICT and no batch stays", async () => {
      await store.put({ id: 7000, title: "taken" });
      const many = Array.from({ length: 7000 }, (_, i) => ({ id: i + 1, title: `t${i}` }));
      await expect(store.insert(many)).rejects.toMatchObject({ code: "STORE_CONFLICT" });
      expect(await store.query("count()")).toBe(1);
      await expect(
        store.insert([
          { id: 1, title: "a" },
          { id: 1, title: "b" },
        ]),
      ).rejects.toMatchObject({ code: "STORE_CONFLICT" });
      // Ids from the records and from the default are two statements: still one transaction.
      await expect(
        store.insert([{ id: 50, title: "a" }, { title: "b" }, { id: 50, title: "c" }]),
      ).rejects.toMatchObject({ code: "STORE_CONFLICT" });
      await expect(store.insert([{ id: 2, title: "a", nope: 1 } as Book])).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
      });
      expect(await store.query("count()")).toBe(1);
    });

    it("keeps every array element exactly, as an array-literal parameter or as JSON", async () => {
      const hard = ['a"b', "c\\d", "{e}", "f,g", " h ", "NULL", "", null, "é\u{1F600}"];
      await store.put({ id: 1, title: "A", tags: hard, scores: [1, -2, null] });
      expect(await store.get(1)).toMatchObject({ tags: hard, scores: [1, -2, null] });
      await store.put({ id: 2, title: "B", tags: [], scores: [] });
      expect(await store.get(2)).toMatchObject({ tags: [], scores: [] });
      // Not strings: the JSON form, as before (a number's text, a boolean's).
      await store.put({ id: 3, title: "C", tags: [1, true, "x"] });
      expect((await store.get(3))?.tags).toEqual(["1", "true", "x"]);
      await store.patch(3, { tags: hard });
      expect((await store.get(3))?.tags).toEqual(hard);
    });

    it("a change set writes only the columns a change touched, and the columns a record lacks", async () => {
      await store.insert([
        { id: 1, title: "A", year: 1, tags: ["x"] },
        { id: 2, title: "B", year: 2, tags: ["y"] },
      ]);
      await setTitleInSql(1, "A elsewhere");
      await setTitleInSql(2, "B elsewhere");
      await store.applyChangeSet({
        mode: "condensed",
        changes: [
          {
            type: "change",
            id: 1,
            changes: { year: 10 },
            record: { id: 1, title: "A", year: 10, tags: ["x"] },
          },
          // A put over record 2 without tags removed them.
          {
            type: "change",
            id: 2,
            changes: { title: "B2", year: 20 },
            record: { id: 2, title: "B2", year: 20 },
          },
        ],
      });
      expect(await store.get(1)).toEqual(full(1, "A elsewhere", { year: 10, tags: ["x"] }));
      expect(await store.get(2)).toEqual(full(2, "B2", { year: 20 }));
    });

    it("a change set's response names what the database changed, so the memory store ends equal to the table", async () => {
      const memory = new MemoryStore<Book>({ idProperty: "id", channel: sqlChannel(store) });
      memory.insert([
        {
          id: 1,
          title: "exact",
          year: 1,
          published: "2020-01-01T00:00:00.000Z",
          tags: [],
          scores: [],
        },
        { id: 2, title: "offset", published: "2020-01-01T02:00:00+02:00" },
        { id: 3, title: "date", published: new Date("2021-05-05T05:05:05.005Z") },
        { id: 4, title: "loose", published: "2020-01-01 02:00:00+02" },
      ]);
      await memory.commit({ mode: "condensed" });
      memory.update({ published: "2022-02-02T03:00:00+01:00" }, "id=1");
      await memory.commit({ mode: "condensed" });
      const table = [...((await store.query("sort(+id)")) as Book[])];
      const held = [...((await memory.query("sort(+id)")) as Book[])];
      expect(held).toEqual(table);
      expect(table.map((b) => b.published)).toEqual([
        "2022-02-02T02:00:00.000Z",
        "2020-01-01T00:00:00.000Z",
        "2021-05-05T05:05:05.005Z",
        "2020-01-01T00:00:00.000Z",
      ]);
    });

    it("a change set of exact values gets an empty response, and replace gives the whole data set", async () => {
      const exact = full(1, "A", {
        year: 1,
        published: "2020-01-01T00:00:00.000Z",
        tags: ["t"],
        scores: [1],
      });
      const response = await store.applyChangeSet({
        mode: "condensed",
        changes: [{ type: "add", id: 1, record: exact }],
      });
      expect(response.records).toEqual([]);
      const replaced = await store.applyChangeSet({
        mode: "replace",
        changes: [],
        records: [{ id: 5, title: "E", published: new Date("2020-01-01T00:00:00Z") }],
      });
      expect(replaced.data).toEqual([full(5, "E", { published: "2020-01-01T00:00:00.000Z" })]);
      expect([...((await store.query("")) as Book[])]).toEqual(replaced.data);
    });
  });
}

/** NaN, infinities, -0 and bigints: one stored value whichever write sends them (write-sql.ts `jsonScalar`). */
const numbers: SqlTableSpec = {
  table: "num",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "f", type: "number", sqlType: "double precision", nullable: true },
    { name: "n", type: "integer", sqlType: "integer", nullable: true },
    { name: "big", type: "integer", sqlType: "bigint", nullable: true },
    { name: "fa", type: "array", sqlType: "double precision[]", nullable: true },
    { name: "ia", type: "array", sqlType: "integer[]", nullable: true },
  ],
};

type Num = Record<string, unknown>;

const odd = (f: number): Num => ({
  f,
  n: -0,
  big: 5n,
  fa: [NaN, Infinity, -Infinity, -0, 1.5, null],
  ia: [-0, 2, 7n],
});
const stored = (id: number, f: number): Num => ({
  id,
  f,
  n: 0,
  big: 5,
  fa: [NaN, Infinity, -Infinity, 0, 1.5, null],
  ia: [0, 2, 7],
});

for (const target of testTargets()) {
  describe(`SqlStore number edge values on ${target.name}`, () => {
    let database: TestDatabase;
    let store: SqlStore<Num>;
    beforeAll(async () => {
      database = await openTestDatabase(target, "sqlnums");
      await createTable(database.db, database.schema, numbers);
    });
    afterAll(async () => database?.close());
    beforeEach(async () => {
      await sql`truncate table ${sql.id(database.schema, "num")}`.execute(database.db);
      store = new SqlStore<Num>({ db: database.db, table: numbers, schema: database.schema });
    });

    it("put, patch, insert and applyChangeSet store the same values", async () => {
      const values = [NaN, Infinity, -Infinity];
      for (let i = 0; i < values.length; i++) {
        const f = values[i]!;
        const base = 10 * i;
        expect(await store.put({ id: base + 1, ...odd(f) })).toBe(base + 1);
        await store.put({ id: base + 2, f: 1 });
        expect(await store.patch(base + 2, odd(f))).toBe(base + 2);
        expect(await store.insert([{ id: base + 3, ...odd(f) }])).toEqual([base + 3]);
        await store.put({ id: base + 5, f: 1 });
        const response = await store.applyChangeSet({
          mode: "condensed",
          changes: [
            { type: "add", id: base + 4, record: { id: base + 4, ...odd(f) } },
            {
              type: "change",
              id: base + 5,
              changes: odd(f),
              record: { id: base + 5, ...odd(f) },
            },
          ],
        });
        // The response names what the database changed: the -0s, the bigints, the arrays it alone reads back.
        for (const id of [base + 4, base + 5])
          expect(response.records?.find((r) => r.id === id)).toMatchObject({
            n: 0,
            big: 5,
            fa: stored(id, f).fa,
            ia: [0, 2, 7],
          });
        for (let id = base + 1; id <= base + 5; id++)
          expect(await store.get(id)).toEqual(stored(id, f));
      }
    });

    it("an integer column refuses NaN on every path", async () => {
      const refused = [
        () => store.put({ id: 1, n: NaN }),
        () => store.insert([{ id: 1, n: NaN }]),
        () =>
          store.applyChangeSet({
            mode: "condensed",
            changes: [{ type: "add", id: 1, record: { id: 1, n: NaN } }],
          }),
      ];
      for (const write of refused) await expect(write()).rejects.toThrow();
      expect(await store.get(1)).toBeUndefined();
    });

    it("a memory store over sqlChannel holds what the table holds after such writes", async () => {
      const memory = new MemoryStore<Num>({ channel: sqlChannel(store) } as any);
      await memory.put({ id: 10, f: 1, n: -0, big: 5n, fa: [NaN, -0], ia: [-0] });
      await memory.commit();
      expect(await memory.get(10)).toEqual(await store.get(10));
      await memory.update({ fa: [Infinity], ia: [-0, 1], n: -0, f: -Infinity }, "id=10");
      await memory.commit();
      expect(await store.get(10)).toEqual({
        id: 10,
        f: -Infinity,
        n: 0,
        big: 5,
        fa: [Infinity],
        ia: [0, 1],
      });
      expect(await memory.get(10)).toEqual(await store.get(10));
    });

    it("replace mode's data shares no array with the records given", async () => {
      const fa = [1.5, 2];
      const ia = [3];
      const response = await store.applyChangeSet({
        mode: "replace",
        changes: [],
        records: [{ id: 1, fa, ia }],
      });
      const row = response.data![0]!;
      expect(row).toMatchObject({ id: 1, fa: [1.5, 2], ia: [3] });
      expect(row.fa).not.toBe(fa);
      expect(row.ia).not.toBe(ia);
      fa.push(9);
      expect(row.fa).toEqual([1.5, 2]);
    });
  });
}

describe("idOut", () => {
  it("gives an integer key's id as a number when safe (negative too), else its digits; other keys as read", () => {
    const pk = numbers.columns[0]!;
    expect(idOut(pk, "-5")).toBe(-5);
    expect(idOut(pk, "5")).toBe(5);
    expect(idOut(pk, 7)).toBe(7);
    expect(idOut(pk, "9007199254740993")).toBe("9007199254740993");
    expect(idOut({ name: "id", type: "string", sqlType: "text", nullable: false }, "-5")).toBe(
      "-5",
    );
  });
});
