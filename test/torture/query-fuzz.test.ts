/**
 * Torture: fuzzed queries on every store. fast-check generates RQL strings
 * (random structure, random bytes spliced in, pure random text) and JSON
 * query objects, full of `__proto__` / `constructor` / `prototype` in every
 * position, and runs each on MemoryStore, JsonFileStore and SqlStore (PGlite,
 * and the server when DATABASE_URL is set) holding the same records. Checked:
 * every error is a PerstoreError (a QueryError on the memory and file
 * stores), the memory and file stores give the same answer, the SQL store
 * gives it too or refuses with a PerstoreError, and Object.prototype,
 * Array.prototype and Function.prototype are untouched after every query.
 * TORTURE_SCALE (default 1) multiplies the runs; figures are printed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerstoreError, QueryError } from "../../src/errors/index.js";
import { parseQuery } from "../../src/query/index.js";
import { JsonFileStore } from "../../src/store/json-file/json-file-store.js";
import { MemoryStore } from "../../src/store/memory/index.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import type { QueryInput, Store } from "../../src/store/types.js";
import {
  itemsArb,
  PARAMETERS,
  querySchema,
  spec,
  type Item,
} from "../parity/parity-arbitraries.js";
import {
  createTable,
  openTestDatabase,
  testTargets,
  type TestDatabase,
} from "../store/sql/sql-test-db.js";
import { hostileTextArb, jsonQueryArb, rqlArb } from "./query-fuzz-arbitraries.js";
import { comparableAnswer, prototypesSnapshot, type Outcome } from "./query-fuzz-compare.js";

const SCALE = Math.max(1, Number(process.env.TORTURE_SCALE ?? 1) || 1);
const RUNS = 300 * SCALE;

/** The same records everywhere: a fixed sample of the parity records, and one carrying `__proto__` keys. */
const ITEMS: Item[] = [
  ...fc.sample(
    itemsArb.filter((items) => items.length >= 10),
    { seed: 7, numRuns: 1 },
  )[0]!,
  JSON.parse(
    '{"id": 100, "name": "__proto__", "age": 1, "score": null, "active": true, "tags": ["__proto__", "constructor"], "meta": {"k": 1, "__proto__": {"polluted": "yes"}}, "list": [{"__proto__": {"polluted": "yes"}}], "at": null, "note": "constructor"}',
  ) as Item,
];

async function outcome(store: Store<Item>, query: QueryInput): Promise<Outcome> {
  try {
    return { ok: true, value: await store.query!(query, { parameters: PARAMETERS }) };
  } catch (error) {
    return { ok: false, error };
  }
}

const describeError = (error: unknown) =>
  error instanceof PerstoreError
    ? `${error.constructor.name} ${error.code}: ${error.message}`
    : `${(error as Error)?.constructor?.name}: ${String(error)}`;

for (const target of testTargets()) {
  describe(`torture: fuzzed queries on MemoryStore, JsonFileStore and SqlStore on ${target.name}`, () => {
    let database: TestDatabase;
    let dir: string;
    let stores: { memory: Store<Item>; file: Store<Item>; sql: Store<Item> };
    const figures = { cases: 0, answered: 0, refusedByAll: 0, refusedBySql: 0, failed: 0 };
    const codes = new Map<string, number>();
    const tally = (where: string, error: unknown) => {
      const key = `${where} ${(error as { code?: string }).code}`;
      codes.set(key, (codes.get(key) ?? 0) + 1);
    };

    beforeAll(async () => {
      database = await openTestDatabase(target, "torture_fuzz");
      await createTable(database.db, database.schema, spec);
      dir = mkdtempSync(join(tmpdir(), "perstore-torture-fuzz-"));
      const memory = new MemoryStore<Item>({ idProperty: "id" });
      const file = new JsonFileStore<Item>({ path: join(dir, "items.json") });
      const sqlStore = new SqlStore<Item>({
        db: database.db,
        table: spec,
        schema: database.schema,
        querySchema,
      });
      await file.transaction(async (tx) => {
        for (const item of ITEMS) await tx.put(item);
      });
      for (const item of ITEMS) {
        await memory.put(item);
        await sqlStore.put(item);
      }
      stores = { memory, file, sql: sqlStore };
    });
    afterAll(async () => {
      await database?.close();
      rmSync(dir, { recursive: true, force: true });
      console.info(
        `torture query-fuzz on ${target.name}: ${figures.cases} queries, ${figures.answered} answered ` +
          `alike by every store, ${figures.refusedByAll} refused by every store, ` +
          `${figures.refusedBySql} answered in memory and refused by SQL; ${figures.failed} failing ` +
          `(an unexpected error, a disagreement or a changed prototype, shrinking included); refusals by code: ` +
          JSON.stringify(Object.fromEntries([...codes].sort((x, y) => y[1] - x[1]))),
      );
    });

    /** Runs one query everywhere and checks the rules (counting a failure before fast-check shrinks it). */
    async function check(query: QueryInput): Promise<void> {
      figures.cases++;
      try {
        await checkRules(query);
      } catch (error) {
        figures.failed++;
        throw error;
      }
    }

    async function checkRules(query: QueryInput): Promise<void> {
      const before = prototypesSnapshot();
      const memory = await outcome(stores.memory, query);
      const file = await outcome(stores.file, query);
      const sqlAnswer = await outcome(stores.sql, query);
      expect(prototypesSnapshot(), "a prototype was changed").toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      for (const [where, result] of [
        ["memory", memory],
        ["file", file],
      ] as const)
        if (!result.ok)
          expect(
            result.error instanceof QueryError,
            `${where}: ${describeError(result.error)}`,
          ).toBe(true);
      if (!sqlAnswer.ok)
        expect(
          sqlAnswer.error instanceof PerstoreError,
          `sql: ${describeError(sqlAnswer.error)}`,
        ).toBe(true);
      const text = typeof query === "string" ? query : JSON.stringify(query);
      // The SQL store types literals by its schema (name<=0 compares with "0"); so does this copy of the query.
      let typed: Outcome;
      try {
        typed = await outcome(stores.memory, parseQuery(query, { schema: querySchema }));
      } catch (error) {
        expect(error instanceof QueryError, `parse: ${describeError(error)}`).toBe(true);
        typed = { ok: false, error };
      }
      expect(prototypesSnapshot(), "a prototype was changed").toEqual(before);
      expect(comparableAnswer(file, text), "JSON file vs memory").toEqual(
        comparableAnswer(memory, text),
      );
      if (typed.ok && sqlAnswer.ok) {
        expect(comparableAnswer(sqlAnswer, text), "SQL vs memory").toEqual(
          comparableAnswer(typed, text),
        );
        figures.answered++;
      } else if (typed.ok) {
        figures.refusedBySql++;
        tally("sql", (sqlAnswer as { error: unknown }).error);
      } else if (!sqlAnswer.ok) {
        figures.refusedByAll++;
        tally("all", sqlAnswer.error);
      } else expect.fail(`memory refused what SQL answered: ${describeError(typed.error)}`);
    }

    it(
      "RQL strings with a random structure",
      async () => {
        await fc.assert(fc.asyncProperty(rqlArb, check), { numRuns: RUNS });
      },
      120_000 * SCALE,
    );

    it(
      "RQL strings with random bytes, and random text",
      async () => {
        await fc.assert(fc.asyncProperty(hostileTextArb, check), { numRuns: RUNS });
      },
      120_000 * SCALE,
    );

    it(
      "JSON query objects",
      async () => {
        await fc.assert(
          fc.asyncProperty(jsonQueryArb, (q) => check(q as QueryInput)),
          { numRuns: RUNS },
        );
      },
      120_000 * SCALE,
    );
  });
}
