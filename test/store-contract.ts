/**
 * The store contract suite: one set of tests every store and store wrapper
 * must pass. Run it with
 *
 *   describeStoreContract("MemoryStore", () => ({ store: new MemoryStore() }));
 *
 * `makeStore` is called once per test and must return a fresh, EMPTY store
 * whose id property is `id`, able to hold `ContractRecord`s (for an SQL store:
 * a table built from `contractTableSpec`). It may return the store itself or
 * `{ store, cleanup }`; `cleanup` runs after the test.
 *
 * A missing method means "unsupported": a test that needs `put`, `query`,
 * `on` or `transaction` is skipped when the store lacks it. Unsorted query
 * results come in a store-defined order, so tests that care about order sort.
 *
 * A store wrapper runs `describeWrapperContract(name, wrap)` instead: the same
 * suite over `wrap(new MemoryStore())`, plus the rule that a wrapper has a
 * contract method only where the store it wraps has it (`restrictStore` makes
 * the stores that lack one).
 */
import { afterEach, beforeEach, describe, expect, it, type TestContext } from "vitest";
import {
  ConflictError,
  NotFoundError,
  PerstoreError,
  QueryError,
  ValidationError,
} from "../src/errors/index.js";
import { MemoryStore } from "../src/store/memory/memory-store.js";
import type { FieldType, QuerySchema } from "../src/query/ast.js";
import type { SqlTableSpec } from "../src/store/sql/table-spec.js";
import type { Id, Results, Store, StoreEvent } from "../src/store/types.js";

/**
 * The record every contract test stores. Every field maps onto one SQL column:
 * `id` text primary key, `name` text, `age` double precision NULL, `country`
 * text, `tags` text[], `createdAt` timestamptz, `nested` jsonb.
 */
export interface ContractRecord {
  id: string;
  name: string;
  age: number | null;
  country: string;
  tags: string[];
  createdAt: Date;
  nested: { a: number };
}

const columns: readonly {
  name: keyof ContractRecord;
  type: FieldType;
  sqlType: string;
  nullable: boolean;
}[] = [
  { name: "id", type: "string", sqlType: "text", nullable: false },
  { name: "name", type: "string", sqlType: "text", nullable: false },
  { name: "age", type: "number", sqlType: "double precision", nullable: true },
  { name: "country", type: "string", sqlType: "text", nullable: false },
  { name: "tags", type: "array", sqlType: "text[]", nullable: false },
  { name: "createdAt", type: "date-time", sqlType: "timestamptz", nullable: false },
  { name: "nested", type: "object", sqlType: "jsonb", nullable: false },
];

/** The SQL table an SQL store needs to run the suite (table `contract_record`). */
export const contractTableSpec: SqlTableSpec = {
  table: "contract_record",
  primaryKey: "id",
  columns,
};

/** The query schema of `ContractRecord` (nested paths included). */
export const contractQuerySchema: QuerySchema = {
  primaryKey: "id",
  fields: { ...Object.fromEntries(columns.map((c) => [c.name, c.type])), "nested/a": "number" },
};

/** Six records (fresh objects on every call); p3's age is null, ages 17 tie on p2 and p6. */
export function contractRecords(): ContractRecord[] {
  const at = (iso: string) => new Date(iso);
  return [
    {
      id: "p1",
      name: "Alice",
      age: 34,
      country: "Canada",
      tags: ["admin", "dev"],
      createdAt: at("2020-01-01T00:00:00.000Z"),
      nested: { a: 1 },
    },
    {
      id: "p2",
      name: "Bob",
      age: 17,
      country: "India",
      tags: ["dev"],
      createdAt: at("2021-06-15T12:30:00.250Z"),
      nested: { a: 2 },
    },
    {
      id: "p3",
      name: "Carol",
      age: null,
      country: "Canada",
      tags: [],
      createdAt: at("2019-03-10T08:00:00.000Z"),
      nested: { a: 3 },
    },
    {
      id: "p4",
      name: "Dave",
      age: 52,
      country: "France",
      tags: ["ops"],
      createdAt: at("2022-12-31T23:59:59.999Z"),
      nested: { a: 4 },
    },
    {
      id: "p5",
      name: "Eve",
      age: 25,
      country: "India",
      tags: ["dev", "ops"],
      createdAt: at("2020-07-04T00:00:00.000Z"),
      nested: { a: 5 },
    },
    {
      id: "p6",
      name: "Smith",
      age: 17,
      country: "Canada",
      tags: [],
      createdAt: at("2018-02-28T00:00:00.000Z"),
      nested: { a: 6 },
    },
  ];
}

export interface StoreFixture {
  readonly store: Store<ContractRecord>;
  readonly cleanup?: () => Promise<void> | void;
}

export type MakeStore = () =>
  Promise<StoreFixture | Store<ContractRecord>> | StoreFixture | Store<ContractRecord>;

/** The methods of the store contract; a store may have any of them. */
export const CONTRACT_METHODS = [
  "get",
  "put",
  "add",
  "delete",
  "query",
  "transaction",
  "on",
] as const;
export type ContractMethod = (typeof CONTRACT_METHODS)[number];
type Method = ContractMethod;

/** A view of `store` with only `methods` (those it has), bound to it: a store that lacks the others. */
export function restrictStore<T extends object>(
  store: Store<T>,
  methods: readonly ContractMethod[],
): Store<T> {
  const view: Record<string, unknown> = { idProperty: store.idProperty };
  for (const method of methods) {
    const fn = store[method];
    if (typeof fn === "function")
      view[method] = (fn as (...args: unknown[]) => unknown).bind(store);
  }
  return view as Store<T>;
}

/** Collects the process warnings emitted while `fn` runs (and the turn after it). */
export async function captureWarnings(fn: () => Promise<unknown>): Promise<Error[]> {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on("warning", onWarning);
  try {
    await fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", onWarning);
  }
  return warnings;
}

/** Calls `fn` and always returns a promise, so synchronous throws become rejections. */
const attempt = async <R>(fn: () => R): Promise<Awaited<R>> => await fn();

const record = (id: string, overrides: Partial<ContractRecord> = {}): ContractRecord => ({
  id,
  name: `name of ${id}`,
  age: 40,
  country: "Peru",
  tags: ["x"],
  createdAt: new Date("2023-05-05T05:05:05.005Z"),
  nested: { a: 9 },
  ...overrides,
});

/** Registers the contract tests for one store under `describe(name)`. */
export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store<ContractRecord>;

    beforeEach(async () => {
      fixture = toFixture(await makeStore());
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });

    /** Skips the running test when the store lacks one of the methods. */
    const need = (ctx: TestContext, ...methods: Method[]) => {
      const missing = methods.filter((m) => typeof store[m] !== "function");
      if (missing.length > 0) ctx.skip(`store has no ${missing.join(", ")}`);
    };
    const put = (value: ContractRecord, options?: Parameters<NonNullable<Store["put"]>>[1]) =>
      attempt(() => store.put!(value, options));
    const get = (id: Id) => attempt(() => store.get!(id));
    const query = (
      q: Parameters<NonNullable<Store["query"]>>[0],
      options?: Parameters<NonNullable<Store["query"]>>[1],
    ) => attempt(() => store.query!(q, options)) as Promise<Results<ContractRecord>>;
    const seed = async () => {
      for (const r of contractRecords()) await put(r);
    };
    const ids = (results: readonly ContractRecord[]) => results.map((r) => r.id);
    const sortedIds = (results: readonly ContractRecord[]) => ids(results).sort();
    /** Everything in the store, by id, read through `query` (or `get` on the seeded ids). */
    const snapshot = async (extraIds: readonly string[] = []) => {
      if (typeof store.query === "function") return [...(await query("sort(+id)"))];
      const out = [];
      for (const id of [...contractRecords().map((r) => r.id), ...extraIds])
        out.push(await get(id));
      return out;
    };

    describe("copies", () => {
      it("never keeps a reference to the object passed to put", async (ctx) => {
        need(ctx, "put", "get");
        const input = record("c1");
        await put(input);
        input.name = "changed";
        input.tags.push("pushed");
        input.nested.a = 100;
        input.createdAt.setTime(0);
        expect(await get("c1")).toEqual(record("c1"));
      });

      it("does not change the object passed to put, even when the id comes from elsewhere", async (ctx) => {
        need(ctx, "put");
        const { id: _, ...withoutId } = record("c1");
        const input = withoutId as ContractRecord;
        await put(input);
        const input2 = record("c2");
        await put(input2, { id: "c3" });
        expect(input).toEqual(withoutId);
        expect(input2).toEqual(record("c2"));
      });

      it("returns a fresh copy from every get", async (ctx) => {
        need(ctx, "put", "get");
        await put(record("c1"));
        const first = (await get("c1"))!;
        first.name = "changed";
        first.tags.push("pushed");
        first.nested.a = 100;
        first.createdAt.setTime(0);
        const second = await get("c1");
        expect(second).toEqual(record("c1"));
        expect(second).not.toBe(first);
      });

      it("returns copies from query", async (ctx) => {
        need(ctx, "put", "get", "query");
        await put(record("c1"));
        const [found] = await query("id=c1");
        found!.name = "changed";
        found!.nested.a = 100;
        found!.tags.length = 0;
        expect(await get("c1")).toEqual(record("c1"));
      });
    });

    describe("ids", () => {
      it("uses the id property", async (ctx) => {
        need(ctx, "put", "get");
        if (store.idProperty !== undefined) expect(store.idProperty).toBe("id");
        expect(await put(record("i1"))).toBe("i1");
        expect(await get("i1")).toEqual(record("i1"));
      });

      it("prefers the id option over the id property", async (ctx) => {
        need(ctx, "put", "get");
        expect(await put(record("i1"), { id: "i2" })).toBe("i2");
        expect(await get("i2")).toEqual({ ...record("i1"), id: "i2" });
        expect(await get("i1")).toBeUndefined();
      });

      it("generates distinct ids when there is none", async (ctx) => {
        need(ctx, "put", "get");
        const { id: _, ...data } = record("unused");
        const first = await put(data as ContractRecord);
        const second = await put(data as ContractRecord);
        expect(["string", "number"]).toContain(typeof first);
        expect(first).not.toEqual(second);
        const stored = await get(first);
        expect(stored).toEqual({ ...data, id: first });
      });

      it("refuses an id that is neither a string nor a finite number with STORE_INVALID_ID", async (ctx) => {
        need(ctx, "put", "get");
        for (const id of [true, {}, Number.NaN, Number.POSITIVE_INFINITY]) {
          const error = await put(record("i1"), { id: id as unknown as Id }).catch(
            (e: unknown) => e,
          );
          expect(error, String(id)).toBeInstanceOf(ValidationError);
          expect(error, String(id)).toMatchObject({
            code: "STORE_INVALID_ID",
            errors: [{ pointer: "/id" }],
          });
        }
        expect(await get("i1")).toBeUndefined();
      });

      it("refuses a record that is not an object with STORE_INVALID_RECORD", async (ctx) => {
        need(ctx, "put");
        for (const value of [null, 5, "text", [record("i1")]]) {
          const error = await put(value as unknown as ContractRecord).catch((e: unknown) => e);
          expect(error, JSON.stringify(value)).toMatchObject({ code: "STORE_INVALID_RECORD" });
        }
      });
    });

    describe("get and delete", () => {
      it("gives undefined for a missing id", async (ctx) => {
        need(ctx, "get");
        expect(await get("missing")).toBeUndefined();
      });

      it("deletes and says whether the record existed", async (ctx) => {
        need(ctx, "put", "get", "delete");
        await put(record("d1"));
        await put(record("d2"));
        expect(await attempt(() => store.delete!("d1"))).toBe(true);
        expect(await get("d1")).toBeUndefined();
        expect(await get("d2")).toEqual(record("d2"));
        expect(await attempt(() => store.delete!("d1"))).toBe(false);
        expect(await attempt(() => store.delete!("never"))).toBe(false);
      });
    });

    describe("overwrite rules", () => {
      it("replaces an existing record by default", async (ctx) => {
        need(ctx, "put", "get");
        await put(record("o1"));
        const replacement = record("o1", { name: "new", age: null, tags: [], nested: { a: -1 } });
        expect(await put(replacement)).toBe("o1");
        expect(await get("o1")).toEqual(replacement);
      });

      it("overwrite: false creates, and refuses an existing id with STORE_CONFLICT", async (ctx) => {
        need(ctx, "put", "get");
        expect(await put(record("o1"), { overwrite: false })).toBe("o1");
        const error = await put(record("o1", { name: "other" }), { overwrite: false }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ConflictError);
        expect(error).toMatchObject({ code: "STORE_CONFLICT" });
        expect(await get("o1")).toEqual(record("o1"));
      });

      it("overwrite: true replaces, and refuses a missing id with STORE_NOT_FOUND", async (ctx) => {
        need(ctx, "put", "get");
        await put(record("o1"));
        expect(await put(record("o1", { name: "again" }), { overwrite: true })).toBe("o1");
        expect((await get("o1"))?.name).toBe("again");
        const error = await put(record("o2"), { overwrite: true }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error).toMatchObject({ code: "STORE_NOT_FOUND" });
        expect(await get("o2")).toBeUndefined();
      });

      it("add creates, and refuses an existing id with STORE_CONFLICT", async (ctx) => {
        need(ctx, "add", "get");
        expect(await attempt(() => store.add!(record("a1")))).toBe("a1");
        const error = await attempt(() => store.add!(record("a1", { name: "dup" }))).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ConflictError);
        expect(error).toMatchObject({ code: "STORE_CONFLICT" });
        expect(await get("a1")).toEqual(record("a1"));
      });
    });

    describe("failed writes", () => {
      it("leave the store exactly as it was", async (ctx) => {
        need(ctx, "put");
        await seed();
        const before = await snapshot(["f1"]);
        await expect(put(contractRecords()[0]!, { overwrite: false })).rejects.toBeInstanceOf(
          ConflictError,
        );
        await expect(put(record("f1"), { overwrite: true })).rejects.toBeInstanceOf(NotFoundError);
        if (typeof store.add === "function") {
          await expect(attempt(() => store.add!(record("p2")))).rejects.toBeInstanceOf(
            ConflictError,
          );
        }
        expect(await snapshot(["f1"])).toEqual(before);
      });
    });

    describe("queries", () => {
      beforeEach(async (ctx) => {
        need(ctx, "put", "query");
        await seed();
      });

      it("returns every record for an empty query, with totalCount", async () => {
        const all = await query("");
        expect(sortedIds(all)).toEqual(["p1", "p2", "p3", "p4", "p5", "p6"]);
        expect(all.totalCount).toBe(6);
        expect(all).toContainEqual(contractRecords()[2]);
      });

      it("filters with RQL strings", async () => {
        expect(ids(await query("country=Canada&sort(+id)"))).toEqual(["p1", "p3", "p6"]);
        expect(ids(await query("age=ge=25&sort(+id)"))).toEqual(["p1", "p4", "p5"]);
        expect(
          ids(
            await query(
              "(name=Smith|age>=18)&in(country,(Canada,India))&ne(country,France)&sort(+id)",
            ),
          ),
        ).toEqual(["p1", "p5", "p6"]);
        expect(ids(await query("contains(tags,dev)&sort(+id)"))).toEqual(["p1", "p2", "p5"]);
        expect(ids(await query("starts(name,Ca)"))).toEqual(["p3"]);
        expect(ids(await query("nested/a=4"))).toEqual(["p4"]);
      });

      it("follows the null rules: isnull matches null, ne includes it, ordering never matches it", async () => {
        expect(ids(await query("isnull(age)"))).toEqual(["p3"]);
        expect(ids(await query("age=null"))).toEqual(["p3"]);
        expect(ids(await query("ne(age,17)&sort(+id)"))).toEqual(["p1", "p3", "p4", "p5"]);
        expect(ids(await query("lt(age,30)&sort(+id)"))).toEqual(["p2", "p5", "p6"]);
      });

      it("compares dates by instant", async () => {
        expect(ids(await query("createdAt>=date:2020-07-04T00:00:00Z&sort(+id)"))).toEqual([
          "p2",
          "p4",
          "p5",
        ]);
        expect(ids(await query("createdAt=date:2021-06-15T12:30:00.25Z"))).toEqual(["p2"]);
      });

      it("filters with JSON query objects", async () => {
        expect(sortedIds(await query({ field: "age", compare: "ge", value: 18 }))).toEqual([
          "p1",
          "p4",
          "p5",
        ]);
        expect(
          sortedIds(
            await query({ field: "country", compare: "equals", value: "Canada", not: true }),
          ),
        ).toEqual(["p2", "p4", "p5"]);
        const joined = await query({
          join: "or",
          terms: [
            { field: "name", compare: "starts", value: "Sm" },
            {
              join: "and",
              terms: [
                { field: "country", compare: "in", value: ["India"] },
                { field: "age", compare: "gt", value: 20 },
              ],
            },
          ],
        });
        expect(sortedIds(joined)).toEqual(["p5", "p6"]);
      });

      it("sorts with nulls first ascending and ties broken by id", async () => {
        expect(ids(await query("sort(+age)"))).toEqual(["p3", "p2", "p6", "p5", "p1", "p4"]);
        expect(ids(await query("sort(-createdAt)"))).toEqual(["p4", "p2", "p5", "p1", "p3", "p6"]);
        expect(ids(await query("sort(+country,-name)"))).toEqual([
          "p6",
          "p3",
          "p1",
          "p4",
          "p5",
          "p2",
        ]);
      });

      it("pages with start/end options and limit(), keeping totalCount", async () => {
        const page = await query("sort(+id)", { start: 1, end: 3 });
        expect(ids(page)).toEqual(["p2", "p3"]);
        expect(page.totalCount).toBe(6);
        const limited = await query("country=Canada&sort(+id)&limit(2,1)");
        expect(ids(limited)).toEqual(["p3", "p6"]);
        expect(limited.totalCount).toBe(3);
        const beyond = await query("sort(+id)", { start: 10, end: 20 });
        expect(ids(beyond)).toEqual([]);
        expect(beyond.totalCount).toBe(6);
      });

      it("binds $1 parameters", async () => {
        expect(ids(await query("country=$1&sort(+id)", { parameters: ["India"] }))).toEqual([
          "p2",
          "p5",
        ]);
        expect(
          ids(await query("and(ge(age,$1),lt(age,$2))&sort(+id)", { parameters: [17, 30] })),
        ).toEqual(["p2", "p5", "p6"]);
      });

      it("answers projections and result operators", async () => {
        expect(await query("country=Canada&count()")).toBe(3);
        expect([...(await query("select(id,name)&sort(+id)&limit(2)"))]).toEqual([
          { id: "p1", name: "Alice" },
          { id: "p2", name: "Bob" },
        ]);
      });

      it("answers first(): the first record of the (sorted) result, undefined when none", async () => {
        expect(await query("country=Canada&sort(-name)&first()")).toEqual(contractRecords()[5]);
        expect(await query("sort(+age)&first()")).toEqual(contractRecords()[2]);
        expect(await query("country=Peru&first()")).toBeUndefined();
      });

      it("answers one(): the only match, else QUERY_NOT_ONE for none or several", async () => {
        expect(await query("name=Dave&one()")).toEqual(contractRecords()[3]);
        for (const q of ["country=Peru&one()", "country=India&one()"]) {
          const error = await Promise.resolve()
            .then(() => query(q))
            .then(
              () => undefined,
              (e: unknown) => e,
            );
          expect(error, q).toBeInstanceOf(QueryError);
          expect((error as QueryError).code, q).toBe("QUERY_NOT_ONE");
        }
      });

      it("rejects bad queries with QueryError", async () => {
        await expect(query("nosuchop(a,1)")).rejects.toBeInstanceOf(QueryError);
        await expect(query("constructor(a,1)")).rejects.toBeInstanceOf(QueryError);
        await expect(
          query({ field: "age", compare: "bogus", value: 1 } as never),
        ).rejects.toBeInstanceOf(QueryError);
      });
    });

    describe("events", () => {
      it("reports add, change and remove, and stops after unsubscribe", async (ctx) => {
        need(ctx, "put", "delete", "on");
        const seen: StoreEvent<ContractRecord>[] = [];
        const off = ["add", "change", "remove"].map((type) =>
          store.on!(type as "add", (e) => seen.push(e)),
        );
        await put(record("e1"));
        await put(record("e1", { name: "renamed" }));
        await attempt(() => store.delete!("e1"));
        const concerns = (e: StoreEvent<ContractRecord>, id: string) =>
          (e.ids ?? []).includes(id) || (e.records ?? []).some((r) => r.id === id);
        expect(seen.map((e) => e.type)).toEqual(["add", "change", "remove"]);
        expect(seen.every((e) => concerns(e, "e1"))).toBe(true);
        for (const unsubscribe of off) unsubscribe();
        await put(record("e2"));
        expect(seen).toHaveLength(3);
      });

      it("reports nothing for a failed write, and events carry copies", async (ctx) => {
        need(ctx, "put", "get", "on");
        await put(record("e1"));
        const seen: StoreEvent<ContractRecord>[] = [];
        const off = store.on!("add", (e) => {
          seen.push(e);
          for (const r of e.records ?? []) (r as { name: string }).name = "mutated by a listener";
        });
        await put(record("e1"), { overwrite: false }).catch(() => undefined);
        expect(seen).toHaveLength(0);
        await put(record("e2"));
        expect(seen).toHaveLength(1);
        expect((await get("e2"))?.name).toBe("name of e2");
        off();
      });
    });

    describe("listener failures", () => {
      it("never make a successful write look failed; the others still run and a warning says why", async (ctx) => {
        need(ctx, "put", "get", "on");
        const calls: string[] = [];
        const offs = [
          store.on!("add", () => {
            throw new Error("contract listener bug");
          }),
          store.on!("add", () => void calls.push("second")),
        ];
        let id: Id | undefined;
        const warnings = await captureWarnings(async () => {
          id = await put(record("l1"));
        });
        for (const off of offs) off();
        expect(id).toBe("l1");
        expect(await get("l1")).toEqual(record("l1"));
        expect(calls).toEqual(["second"]);
        expect(warnings.some((w) => w.message.includes("contract listener bug"))).toBe(true);
      });
    });

    describe("prototype keys", () => {
      const dangerous = [
        "__proto__",
        "constructor",
        "prototype",
        "toString",
        "hasOwnProperty",
        "valueOf",
      ];

      it("treats them as ordinary ids", async (ctx) => {
        need(ctx, "put", "get");
        for (const id of dangerous) expect(await get(id)).toBeUndefined();
        if (typeof store.delete === "function") {
          for (const id of dangerous) expect(await attempt(() => store.delete!(id))).toBe(false);
        }
        for (const id of dangerous) expect(await put(record(id))).toBe(id);
        for (const id of dangerous) expect(await get(id)).toEqual(record(id));
        if (typeof store.query === "function") {
          expect(sortedIds(await query("sort(+id)"))).toEqual([...dangerous].sort());
          expect(ids(await query("id=__proto__"))).toEqual(["__proto__"]);
        }
      });

      it("never lets property names reach a prototype", async (ctx) => {
        need(ctx, "put", "get");
        const hostile = JSON.parse(
          '{"id":"h1","name":"n","age":1,"country":"c","tags":[],"nested":{"a":1,"__proto__":{"polluted":"nested"}},' +
            '"__proto__":{"polluted":"top"},"constructor":{"prototype":{"polluted":"ctor"}}}',
        ) as ContractRecord;
        hostile.createdAt = new Date(0);
        await put(hostile).catch((error: unknown) => {
          // A store with a fixed set of columns may refuse unknown properties, but only with a PerstoreError.
          expect(error).toBeInstanceOf(PerstoreError);
        });
        const stored = (await get("h1")) as unknown as Record<string, unknown> | undefined;
        if (stored !== undefined) {
          expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
          expect(Object.getPrototypeOf(stored.nested)).toBe(Object.prototype);
          expect(stored.polluted).toBeUndefined();
          expect((stored.nested as Record<string, unknown>).polluted).toBeUndefined();
          expect(typeof stored.constructor).toBe("function");
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });

      it("treats them as ordinary values in queries", async (ctx) => {
        need(ctx, "put", "query");
        await put(record("v1", { name: "__proto__", country: "constructor" }));
        await put(record("v2"));
        expect(ids(await query("name=__proto__"))).toEqual(["v1"]);
        expect(
          ids(await query({ field: "country", compare: "equals", value: "constructor" })),
        ).toEqual(["v1"]);
      });
    });

    describe("dates", () => {
      it("round-trip as Dates with their instant", async (ctx) => {
        need(ctx, "put", "get");
        const when = new Date("1999-12-31T23:59:59.123Z");
        await put(record("t1", { createdAt: when }));
        const stored = await get("t1");
        expect(stored?.createdAt).toBeInstanceOf(Date);
        expect(stored?.createdAt.getTime()).toBe(when.getTime());
        if (typeof store.query === "function") {
          const [found] = await query("id=t1");
          expect(found?.createdAt).toBeInstanceOf(Date);
          expect(found?.createdAt.getTime()).toBe(when.getTime());
        }
      });
    });

    describe("transactions", () => {
      it("commit what the function did and return its result", async (ctx) => {
        need(ctx, "put", "get", "transaction");
        const result = await store.transaction!(async (tx) => {
          await tx.put!(record("x1"));
          await tx.put!(record("x2"));
          return "done";
        });
        expect(result).toBe("done");
        expect(await get("x1")).toEqual(record("x1"));
        expect(await get("x2")).toEqual(record("x2"));
      });

      it("roll back everything when the function throws", async (ctx) => {
        need(ctx, "put", "get", "transaction");
        await seed();
        const before = await snapshot(["x1"]);
        const failure = new Error("abort");
        await expect(
          store.transaction!(async (tx) => {
            await tx.put!(record("x1"));
            await tx.put!({ ...contractRecords()[0]!, name: "changed" });
            if (typeof tx.delete === "function") await tx.delete("p2");
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await get("x1")).toBeUndefined();
        expect(await snapshot(["x1"])).toEqual(before);
      });
    });
  });
}

/** What a wrapper test gets besides the inner store: more inner stores of the same kind. */
export interface WrapContext {
  /**
   * Another fresh, empty inner store of the same kind (for wrappers over
   * several stores), cleaned up with the test. `columns` asks for a store that
   * holds only those properties of `ContractRecord` (and `id`): an SQL kind
   * makes a table with just those columns; other kinds ignore it.
   */
  another(columns?: readonly (keyof ContractRecord)[]): Promise<Store<ContractRecord>>;
}

/** Builds the wrapper under test over `inner` (and, if it needs more stores, `context.another()`). */
export type WrapStore = (
  inner: Store<ContractRecord>,
  context: WrapContext,
) => Store<ContractRecord> | Promise<Store<ContractRecord>>;

/** Makes a fresh, empty inner store: the store itself or `{ store, cleanup }`, at once or through a promise. */
export type MakeInner = (
  columns?: readonly (keyof ContractRecord)[],
) => Promise<StoreFixture | Store<ContractRecord>> | StoreFixture | Store<ContractRecord>;

/** A store, or a `{ store, cleanup }` fixture, as a fixture. */
export function toFixture(made: StoreFixture | Store<ContractRecord>): StoreFixture {
  return "store" in made && !("get" in made) && !("put" in made)
    ? (made as StoreFixture)
    : { store: made as Store<ContractRecord> };
}

/**
 * Wraps a fresh inner store; the fixture's cleanup releases the inner store and
 * every store the wrapper asked for through `another`. `restrict` limits the
 * inner store's methods (see `restrictStore`).
 */
async function wrapFresh(
  wrap: WrapStore,
  makeInner: MakeInner,
  restrict?: readonly ContractMethod[],
): Promise<StoreFixture> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const make = async (columns?: readonly (keyof ContractRecord)[]) => {
    const fixture = toFixture(await makeInner(columns));
    if (fixture.cleanup !== undefined) cleanups.push(fixture.cleanup);
    return fixture.store;
  };
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  };
  try {
    const inner = await make();
    const store = await wrap(restrict === undefined ? inner : restrictStore(inner, restrict), {
      another: make,
    });
    return { store, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * The contract for a store wrapper: `describeStoreContract` over
 * `wrap(makeInner())` (a fresh MemoryStore by default), and, for each contract
 * method, that wrapping a store without it gives a wrapper without it (a
 * wrapper over a store without `query` has no `query`). `provides` lists the
 * methods the wrapper implements itself whatever it wraps; `requires` the
 * methods it cannot work without (over a store lacking one, building it must
 * throw a PerstoreError with a code). `makeInner` may be
 * async and may return `{ store, cleanup }`; to run over every kind of store
 * (memory, JSON file, SQL) use `describeWrapperContractOverStores` in
 * test/wrappers/inner-stores.ts.
 */
export function describeWrapperContract(
  name: string,
  wrap: WrapStore,
  options: {
    readonly makeInner?: MakeInner;
    readonly provides?: readonly ContractMethod[];
    readonly requires?: readonly ContractMethod[];
  } = {},
): void {
  const makeInner = options.makeInner ?? (() => new MemoryStore<ContractRecord>());
  describeStoreContract(name, () => wrapFresh(wrap, makeInner));
  describe(`wrapper contract: ${name}`, () => {
    it("has a contract method only where the store it wraps has it", async () => {
      expect(
        await wrapperCapabilityErrors(wrap, makeInner, options.provides, options.requires),
      ).toEqual([]);
    });
  });
}

/**
 * What a wrapper gets wrong about capabilities: for each contract method, it
 * wraps a store lacking only that method and lists each method the wrapper
 * has that it should not, or lacks that it should have; over a store lacking
 * a method in `requires`, building the wrapper must instead throw a
 * PerstoreError with a code. (Stores the wrapper asks for through `another`
 * are complete.)
 */
export async function wrapperCapabilityErrors(
  wrap: WrapStore,
  makeInner: MakeInner,
  provides: readonly ContractMethod[] = [],
  requires: readonly ContractMethod[] = [],
): Promise<string[]> {
  const errors: string[] = [];
  for (const missing of CONTRACT_METHODS) {
    const restricted = CONTRACT_METHODS.filter((m) => m !== missing);
    if (requires.includes(missing)) {
      const error = await wrapFresh(wrap, makeInner, restricted).then(
        async (fixture) => {
          await fixture.cleanup?.();
          return undefined;
        },
        (e: unknown) => e,
      );
      if (!(error instanceof PerstoreError) || typeof error.code !== "string" || error.code === "")
        errors.push(
          `over a store without ${missing}(), building the wrapper does not fail with a coded PerstoreError`,
        );
      continue;
    }
    const fixture = await wrapFresh(wrap, makeInner, restricted);
    try {
      const wrapped = fixture.store;
      for (const method of CONTRACT_METHODS) {
        const expected = method !== missing || provides.includes(method);
        if ((typeof wrapped[method] === "function") !== expected) {
          errors.push(
            `over a store without ${missing}(), the wrapper ${expected ? "lacks" : "has"} ${method}()`,
          );
        }
      }
    } finally {
      await fixture.cleanup?.();
    }
  }
  return errors;
}
