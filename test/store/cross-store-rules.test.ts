/**
 * Rules every store keeps identically (issue 7, items 3, 4 and 11): text no
 * store can hold (U+0000, lone surrogates) is refused with one code and never
 * altered; the caller's start/end are checked the same way; ids are typed by
 * the schema (SQL: the key column; memory and JSON-file: `idType`) and never
 * converted, and a store with no id type keeps an id's JavaScript type.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerstoreError } from "../../src/errors/index.js";
import { JsonFileStore } from "../../src/store/json-file/json-file-store.js";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import type { IdType } from "../../src/store/record-id.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../src/store/sql/table-spec.js";
import type { Id, Results, Store } from "../../src/store/types.js";
import {
  contractQuerySchema,
  contractRecords,
  contractTableSpec,
  type ContractRecord,
} from "../store-contract.js";
import {
  createTable,
  openTestDatabase,
  testTargets,
  type TestDatabase,
} from "./sql/sql-test-db.js";

type AnyStore = Required<Pick<Store<any>, "get" | "put" | "delete" | "query">>;

/** A bigint-keyed table, for integer id typing. */
const countersSpec: SqlTableSpec = {
  table: "counter",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "label", type: "string", sqlType: "text", nullable: true },
  ],
};

interface Target {
  readonly name: string;
  /** The SQL targets' database (opened once per target). */
  readonly database?: () => Promise<TestDatabase>;
  /** A fresh empty store of ContractRecords (string ids; `typed`: the store knows its ids are strings). */
  contract(typed: boolean): Promise<AnyStore>;
  /** A fresh empty store whose ids are integers. */
  counters(): Promise<AnyStore>;
}

const dirs: string[] = [];
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  for (const database of databases) await database.close();
});

const memory: Target = {
  name: "MemoryStore",
  contract: async (typed) => new MemoryStore(typed ? { idType: "string" } : {}),
  counters: async () => new MemoryStore({ idType: "integer" }),
};

const jsonFile: Target = {
  name: "JsonFileStore",
  async contract(typed) {
    return new JsonFileStore({ path: await tempPath(), ...(typed ? { idType: "string" } : {}) });
  },
  counters: async () =>
    new JsonFileStore({ path: await tempPath(), idType: "integer" satisfies IdType }),
};

async function tempPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "perstore-rules-"));
  dirs.push(dir);
  return join(dir, "data.json");
}

function sqlTarget(target: { name: string; url: string }): Target {
  let database: TestDatabase | undefined;
  let tables = 0;
  const open = async () => {
    if (database === undefined) {
      database = await openTestDatabase(target, "rules");
      databases.push(database);
    }
    return database;
  };
  const fresh = async (spec: SqlTableSpec) => {
    const db = await open();
    const table = { ...spec, table: `${spec.table}_${tables++}` };
    await createTable(db.db, db.schema, table);
    return { db, table };
  };
  return {
    name: `SqlStore (${target.name})`,
    database: open,
    async contract() {
      const { db, table } = await fresh(contractTableSpec);
      return new SqlStore({
        db: db.db,
        table,
        schema: db.schema,
        querySchema: contractQuerySchema,
        dates: "Date",
      });
    },
    async counters() {
      const { db, table } = await fresh(countersSpec);
      return new SqlStore({ db: db.db, table, schema: db.schema });
    },
  };
}

const targets: Target[] = [memory, jsonFile, ...testTargets().map(sqlTarget)];

function record(id: string, changes: Partial<ContractRecord> = {}): ContractRecord {
  return { ...contractRecords()[0]!, id, ...changes };
}

/** What the call threw (fails the test when it did not throw). */
async function thrown(fn: () => unknown): Promise<PerstoreError> {
  let result: unknown;
  try {
    result = await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PerstoreError);
    return error as PerstoreError;
  }
  throw new Error(`expected a PerstoreError, got ${JSON.stringify(result)}`);
}

const all = async (store: AnyStore) =>
  [...((await store.query("sort(+id)")) as Results<ContractRecord>)].map((r) => r.id);

const LONE = ["\uD800", "\uDC00", "a\uD83D", "\uDE00b"];

for (const target of targets) {
  describe(`${target.name}: text no store can keep`, () => {
    let store: AnyStore;
    beforeAll(async () => {
      store = await target.contract(false);
    });

    it("refuses lone surrogates in ids with VALIDATION_FAILED and never merges two ids", async () => {
      await store.put(record("\uFFFD"));
      for (const id of LONE) {
        const error = await thrown(() => store.put(record(id)));
        expect(error).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ pointer: "/id" }] });
        const viaOption = await thrown(() => store.put(record("x"), { id }));
        expect(viaOption).toMatchObject({
          code: "VALIDATION_FAILED",
          errors: [{ pointer: "/id" }],
        });
        // On PostgreSQL a lone surrogate used to be sent as U+FFFD and find that record.
        expect(await store.get(id)).toBeUndefined();
        expect(await store.delete(id)).toBe(false);
      }
      expect(await all(store)).toEqual(["\uFFFD"]);
      expect(await store.delete("\uFFFD")).toBe(true);
    });

    it("refuses lone surrogates and U+0000 in values and property names, nested ones too", async () => {
      const bad: [Partial<ContractRecord> | Record<string, unknown>, string][] = [
        [{ name: "\uD800" }, "/name"],
        [{ name: "a\u0000b" }, "/name"],
        [{ tags: ["ok", "\uDC00"] }, "/tags/1"],
        [{ tags: ["\u0000"] }, "/tags/0"],
        [{ nested: { a: 1, b: "x\uD800" } as never }, "/nested/b"],
        [{ nested: { a: 1, deep: ["\u0000"] } as never }, "/nested/deep/0"],
        [{ nested: { a: 1, "k\uDC00": 1 } as never }, "/nested/k\uDC00"],
      ];
      for (const [changes, pointer] of bad) {
        const error = await thrown(() => store.put(record("v1", changes)));
        expect(error, pointer).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ pointer }] });
      }
      expect(await all(store)).toEqual([]);
      // Well-formed text, astral characters included, is kept exactly.
      const kept = record("v2", { name: "a\uD83D\uDE00b \u00e9", tags: ["\uFFFD"] });
      await store.put(kept);
      expect(await store.get("v2")).toEqual(kept);
      await store.delete("v2");
    });

    it("refuses data nesting deeper than 1000 levels, or containing itself, and keeps 1000", async () => {
      // `nested` is level 1: its value holds `levels - 1` more objects.
      const nestedTo = (levels: number) => {
        let value: Record<string, unknown> = { leaf: true };
        for (let i = 1; i < levels; i++) value = { a: value };
        return value;
      };
      const tooDeep = await thrown(() =>
        store.put(record("d1", { nested: nestedTo(1001) as never })),
      );
      expect(tooDeep).toMatchObject({ code: "VALIDATION_FAILED" });
      const pointer = (tooDeep as unknown as { errors: { pointer: string }[] }).errors[0]!.pointer;
      expect(pointer).toBe(`/nested${"/a".repeat(1000)}`);
      const arrays = JSON.parse(`{"id":"d2","n":${"[".repeat(5000)}${"]".repeat(5000)}}`);
      expect(await thrown(() => store.put(arrays))).toMatchObject({ code: "VALIDATION_FAILED" });
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      expect(
        await thrown(() => store.put(record("d3", { nested: cyclic as never }))),
      ).toMatchObject({ code: "VALIDATION_FAILED" });
      expect(await all(store)).toEqual([]);
      const deepest = record("d4", { nested: nestedTo(1000) as never });
      await store.put(deepest);
      expect(await store.get("d4")).toEqual(deepest);
      await store.delete("d4");
    });

    it("refuses U+0000 in ids with VALIDATION_FAILED; get and delete find nothing", async () => {
      const error = await thrown(() => store.put(record("a\u0000b")));
      expect(error).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ pointer: "/id" }] });
      // SqlStore used to throw the driver's 22021 here.
      expect(await store.get("a\u0000b")).toBeUndefined();
      expect(await store.delete("a\u0000b")).toBe(false);
    });

    it("refuses such text in query values and parameters with QUERY_BAD_VALUE", async () => {
      await store.put(record("q1"));
      const queries: [unknown, unknown[]?][] = [
        ["eq(name,a%00b)"],
        ["in(name,(Alice,x%00))"],
        [{ field: "name", compare: "equals", value: "a\u0000b" }],
        [{ field: "name", compare: "contains", value: "\uD800" }],
        ["eq(name,$1)", ["a\u0000b"]],
        ["eq(name,$1)", ["\uDC00"]],
        ["in(name,$1)", [["Alice", "\uD800"]]],
      ];
      for (const [query, parameters] of queries) {
        const error = await thrown(() =>
          store.query(query as string, parameters === undefined ? {} : { parameters }),
        );
        expect(error, JSON.stringify(query)).toMatchObject({ code: "QUERY_BAD_VALUE" });
      }
      // RQL text cannot even spell a lone surrogate: the parser refuses it, on every store alike.
      for (const query of ["eq(name,\uD800)", "in(name,(Alice,\uDC00))", "eq(name,%ED%A0%80)"]) {
        const error = await thrown(() => store.query(query));
        expect(error, JSON.stringify(query)).toMatchObject({ name: "QueryError" });
      }
      expect(await all(store)).toEqual(["q1"]);
      await store.delete("q1");
    });
  });

  describe(`${target.name}: start and end`, () => {
    let store: AnyStore;
    beforeAll(async () => {
      store = await target.contract(false);
      for (const r of contractRecords()) await store.put(r);
    });

    it("refuses a start or end that is not a number >= 0 with QUERY_BAD_VALUE", async () => {
      const bad = [
        { start: "x" },
        { start: -1 },
        { start: Number.NaN },
        { start: Infinity },
        { end: -1 },
        { end: "3" },
        { end: null },
      ];
      for (const options of bad) {
        const error = await thrown(() => store.query("sort(+id)", options as never));
        expect(error, JSON.stringify(options)).toMatchObject({ code: "QUERY_BAD_VALUE" });
      }
    });

    it("rounds fractions down and gives the same page everywhere", async () => {
      const page = (await store.query("sort(+id)", {
        start: 1.7,
        end: 3.2,
      })) as Results<ContractRecord>;
      expect(page.map((r) => r.id)).toEqual(["p2", "p3"]);
      expect(page.totalCount).toBe(6);
      const open = (await store.query("sort(+id)", {
        start: 4,
        end: Infinity,
      })) as Results<ContractRecord>;
      expect(open.map((r) => r.id)).toEqual(["p5", "p6"]);
      const empty = (await store.query("sort(+id)", {
        start: 3,
        end: 2,
      })) as Results<ContractRecord>;
      expect(empty.map((r) => r.id)).toEqual([]);
    });
  });

  describe(`${target.name}: ids are typed, never converted`, () => {
    it('a store of string ids refuses a number id with STORE_INVALID_ID; 0 never finds "0"', async () => {
      const store = await target.contract(true);
      for (const id of [0, 7, 1.5] as Id[]) {
        const error = await thrown(() => store.put(record("x"), { id }));
        expect(error, String(id)).toMatchObject({
          code: "STORE_INVALID_ID",
          errors: [{ pointer: "/id", message: "must be a string" }],
        });
        const inRecord = await thrown(() => store.put({ ...record("x"), id } as never));
        expect(inRecord).toMatchObject({ code: "STORE_INVALID_ID" });
      }
      await store.put(record("0"));
      expect(await store.get(0)).toBeUndefined();
      expect(await store.delete(0)).toBe(false);
      expect((await store.get("0"))?.id).toBe("0");
      expect(await all(store)).toEqual(["0"]);
    });

    it('a store of integer ids refuses a string or fraction with STORE_INVALID_ID; "7" never finds 7', async () => {
      const store = await target.counters();
      for (const id of ["7", "x", 1.5] as Id[]) {
        const error = await thrown(() => store.put({ id, label: "bad" }));
        expect(error, String(id)).toMatchObject({
          code: "STORE_INVALID_ID",
          errors: [{ pointer: "/id", message: "must be an integer" }],
        });
      }
      expect(await store.put({ id: 7, label: "seven" })).toBe(7);
      expect(await store.get("7")).toBeUndefined();
      expect(await store.delete("7")).toBe(false);
      expect(await store.get(7)).toEqual({ id: 7, label: "seven" });
      expect((await store.query("")) as unknown[]).toHaveLength(1);
    });
  });
}

describe("a store with no id type keeps an id's JavaScript type", () => {
  for (const target of [memory, jsonFile]) {
    it(`${target.name}: 0 and "0" are two records`, async () => {
      const store = await target.contract(false);
      await store.put(record("x", { name: "number" }), { id: 0 });
      await store.put(record("x", { name: "string" }), { id: "0" });
      expect((await store.get(0))?.name).toBe("number");
      expect((await store.get("0"))?.name).toBe("string");
      expect((await store.query("")) as unknown[]).toHaveLength(2);
    });
  }
});

describe("unknown idType options", () => {
  it("are STORE_BAD_OPTION", () => {
    expect(() => new MemoryStore({ idType: "int" as never })).toThrow(
      expect.objectContaining({ code: "STORE_BAD_OPTION" }),
    );
  });
});

describe("SqlStore: driver errors never escape", () => {
  for (const target of targets.filter((t) => t.database !== undefined)) {
    it(`${target.name}: a missing table is STORE_SQL_FAILED with its SQLSTATE, from every method`, async () => {
      const database = await target.database!();
      const store = new SqlStore<ContractRecord>({
        db: database.db,
        table: { ...contractTableSpec, table: "no_such_table" },
        schema: database.schema,
        querySchema: contractQuerySchema,
      });
      const calls: [string, () => unknown][] = [
        ["get", () => store.get("a")],
        ["delete", () => store.delete("a")],
        ["query", () => store.query("name=Alice")],
        ["count", () => store.query("count()")],
        ["put", () => store.put(record("a"))],
        ["transaction", () => store.transaction((s) => s.put(record("a")))],
        [
          "applyChangeSet",
          () => store.applyChangeSet({ mode: "update", changes: [{ type: "remove", id: "a" }] }),
        ],
      ];
      for (const [name, call] of calls) {
        const error = await thrown(call);
        expect(error, name).toMatchObject({
          code: "STORE_SQL_FAILED",
          retryable: false,
          details: { sqlstate: "42P01" },
        });
        expect(error.message, name).not.toMatch(/select|insert|delete from|update /i);
      }
      await sql`select 1`.execute(database.db);
    });
  }
});
