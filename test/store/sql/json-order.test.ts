/**
 * Sorting by jsonb and array columns orders as `compareValues` does (arrays
 * element-wise with a prefix first, types ranked, strings by code point),
 * not as PostgreSQL's jsonb order (length first) would; min/max of an array
 * column pick the same array.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareValues } from "../../../src/query/compare.js";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../../src/store/sql/table-spec.js";
import { createTable, openTestDatabase, testTargets, type TestDatabase } from "./sql-test-db.js";

interface Row {
  id: number;
  v: unknown;
  tags: string[] | null;
}

const spec: SqlTableSpec = {
  table: "json_order",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "v", type: "any", sqlType: "jsonb", nullable: true },
    { name: "tags", type: "array", sqlType: "text[]", nullable: true },
    { name: "stamps", type: "array", sqlType: "timestamptz[]", nullable: true },
  ],
};

const values: unknown[] = [
  null,
  [1, 2, 3],
  [1, 2],
  [[1, 5]],
  [[1], 2],
  ["a"],
  ["B"],
  ["é"],
  ["\u{1F600}"],
  ["\uFFFD"],
  [],
  [null],
  [true],
  [false, 1],
  [0.5],
  [10],
  [{ a: 2 }],
  [{ a: 1 }, 0],
  [[]],
  [[[]]],
  1,
  "x",
  false,
  { a: 1 },
];
const tags: (string[] | null)[] = [["b"], ["a", "b"], ["a"], [], null, ["B"], ["é"], ["a", "a"]];

for (const target of testTargets()) {
  describe(`SqlStore sorting by arrays on ${target.name}`, () => {
    let database: TestDatabase;
    let store: SqlStore<Row>;
    beforeAll(async () => {
      database = await openTestDatabase(target, "jsonorder");
      await createTable(database.db, database.schema, spec);
      store = new SqlStore<Row>({ db: database.db, table: spec, schema: database.schema });
      for (let i = 0; i < values.length; i++)
        await store.put({ id: i + 1, v: values[i], tags: tags[i % tags.length] ?? null });
    });
    afterAll(async () => {
      await database?.close();
    });

    const expected = (key: "v" | "tags", sign: 1 | -1) =>
      values
        .map((v, i) => ({ id: i + 1, value: key === "v" ? v : tags[i % tags.length] }))
        .sort((a, b) => sign * compareValues(a.value, b.value) || a.id - b.id)
        .map((r) => r.id);

    it("sorts a jsonb column element-wise, both ways", async () => {
      const up = (await store.query("sort(+v)")) as Row[];
      expect(up.map((r) => r.id)).toEqual(expected("v", 1));
      const down = (await store.query("sort(-v)")) as Row[];
      expect(down.map((r) => r.id)).toEqual(expected("v", -1));
    });

    it("sorts a text[] column element-wise by code point, both ways", async () => {
      const up = (await store.query("sort(+tags)")) as Row[];
      expect(up.map((r) => r.id)).toEqual(expected("tags", 1));
      const down = (await store.query("sort(-tags)")) as Row[];
      expect(down.map((r) => r.id)).toEqual(expected("tags", -1));
    });

    it("gives the least and greatest array for min/max of a text[] column", async () => {
      expect(await store.query("min(tags)")).toEqual([]);
      expect(await store.query("max(tags)")).toEqual(["é"]);
    });

    it("refuses what it cannot translate faithfully", async () => {
      await expect(store.query("sort(stamps)")).rejects.toMatchObject({
        code: "QUERY_UNSUPPORTED",
      });
      await expect(store.query("max(v)")).rejects.toMatchObject({ code: "QUERY_UNSUPPORTED" });
    });
  });
}
