/**
 * The SQL store's natural order (docs/query-language.md, "Natural order"): an
 * unsorted whole result is the set of matching records in the database's
 * order; an unsorted page (limit, start/end, first()) comes in primary key
 * order, read through the primary key index rather than by sorting the
 * table, also for text keys; sorting by the primary key uses the index too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompiledQuery, sql, type KyselyPlugin } from "kysely";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../../src/store/sql/table-spec.js";
import { createTable, openTestDatabase, testTargets, type TestDatabase } from "./sql-test-db.js";

interface Item {
  id: number;
  n: number | null;
}

interface Coded {
  code: string;
  n: number;
}

const itemSpec: SqlTableSpec = {
  table: "natural_item",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "n", type: "integer", sqlType: "integer", nullable: true },
  ],
};

const codedSpec: SqlTableSpec = {
  table: "natural_coded",
  primaryKey: "code",
  columns: [
    { name: "code", type: "string", sqlType: "text", nullable: false },
    { name: "n", type: "integer", sqlType: "integer", nullable: false },
  ],
};

const COUNT = 30;
// Lower-case letters and digits of one length sort alike in every collation.
const code = (i: number) => `k${String(i).padStart(3, "0")}`;

for (const target of testTargets()) {
  describe(`SqlStore natural order (${target.name})`, () => {
    let database: TestDatabase;
    let items: SqlStore<Item>;
    let coded: SqlStore<Coded>;
    /** The statements the stores sent, compiled as the database got them. */
    const sent: CompiledQuery[] = [];

    beforeAll(async () => {
      database = await openTestDatabase(target, "natural");
      await createTable(database.db, database.schema, itemSpec);
      await createTable(database.db, database.schema, codedSpec);
      const db = database.db;
      const recorder: KyselyPlugin = {
        transformQuery: (args) => {
          sent.push(db.getExecutor().compileQuery(args.node, args.queryId));
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const recording = db.withPlugin(recorder);
      items = new SqlStore<Item>({ db: recording, table: itemSpec, schema: database.schema });
      coded = new SqlStore<Coded>({ db: recording, table: codedSpec, schema: database.schema });
      // Written in reverse key order, so the table's physical order is not the key order.
      for (let i = COUNT; i >= 1; i--) {
        await items.put({ id: i, n: i % 3 === 0 ? null : i % 4 });
        await coded.put({ code: code(i), n: i });
      }
    }, 120_000);
    afterAll(() => database?.close());

    it("gives an unsorted whole result as the set of matching records", async () => {
      const all = (await items.query("")) as Item[] & { totalCount: number };
      expect(all.totalCount).toBe(COUNT);
      expect(all.map((r) => r.id).sort((a, b) => a - b)).toEqual(
        Array.from({ length: COUNT }, (_, i) => i + 1),
      );
      const some = (await items.query("ge(id,11)")) as Item[];
      expect(new Set(some.map((r) => r.id))).toEqual(
        new Set(Array.from({ length: COUNT - 10 }, (_, i) => i + 11)),
      );
      const values = (await items.query("values(n)&distinct()")) as unknown[];
      expect(new Set(values)).toEqual(new Set([undefined, 0, 1, 2, 3]));
      expect(values).toHaveLength(5);
    });

    it("pages an unsorted query in primary key order, each record once", async () => {
      const seen: number[] = [];
      for (let start = 0; start < COUNT; start += 7) {
        const page = (await items.query("", { start, end: start + 7 })) as Item[] & {
          totalCount: number;
        };
        expect(page.totalCount).toBe(COUNT);
        seen.push(...page.map((r) => r.id));
      }
      expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
      expect(((await items.query("limit(3,10)")) as Item[]).map((r) => r.id)).toEqual([11, 12, 13]);
      expect(((await items.query("first()")) as Item).id).toBe(1);
      const codes = (await coded.query("", { start: 5, end: 8 })) as Coded[];
      expect(codes.map((r) => r.code)).toEqual([code(6), code(7), code(8)]);
    });

    it("reads unsorted pages and primary key sorts through the primary key index, never a sort", async () => {
      const plans: string[] = [];
      const planOf = async (run: () => Promise<unknown>) => {
        sent.length = 0;
        await run();
        const statement = sent.at(-1)!;
        // With sorting disabled, a plan still sorts only when no index gives the order.
        const rows = await database.db.transaction().execute(async (trx) => {
          await sql`set local enable_sort = off`.execute(trx);
          const explained = await trx.executeQuery<Record<string, string>>(
            CompiledQuery.raw(`explain ${statement.sql}`, [...statement.parameters]),
          );
          return explained.rows;
        });
        const plan = rows.map((row) => Object.values(row)[0]).join("\n");
        plans.push(plan);
        return plan;
      };
      for (const run of [
        () => items.query("", { start: 10, end: 20 }),
        () => items.query("lt(id,25)&limit(5,5)"),
        () => items.query("sort(-id)&limit(5)"),
        () => items.query("sort(+id)", { start: 3, end: 6 }),
        () => coded.query("", { start: 10, end: 20 }),
      ]) {
        const plan = await planOf(run);
        expect(plan).toMatch(/Index (Only )?Scan (Backward )?using natural_\w+_pkey/);
        expect(plan).not.toMatch(/Sort/);
      }
      // The unpaged, unsorted query asks for no order at all.
      expect(await planOf(() => items.query("ge(id,3)"))).not.toMatch(/Sort/);
      expect(plans).toHaveLength(6);
    });
  });
}
