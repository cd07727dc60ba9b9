/**
 * The PGlite dialect's prepared statements (pglite-statements.ts): rows,
 * parameters and errors exactly as PGlite's own `query` gives them, and no
 * prepared statement outliving the schema it was made for.
 */
import { PGlite } from "@electric-sql/pglite";
import { Kysely, sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PGliteDialect } from "../../../src/store/sql/pglite-dialect.js";
import { statementKind } from "../../../src/store/sql/pglite-statements.js";

// One instance for the file (starting PGlite takes seconds); each test starts with no tables.
let pglite: PGlite;
let db: Kysely<any>;
beforeAll(async () => {
  pglite = new PGlite();
  db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }) });
});
beforeEach(async () => {
  await sql`drop table if exists t, kinds`.execute(db);
});
afterAll(async () => {
  await db.destroy();
});

/** How many statements the instance holds prepared under perstore's names. */
async function preparedCount(): Promise<number> {
  const { rows } = await pglite.query<{ n: number }>(
    "select count(*)::int as n from pg_prepared_statements where name like 'perstore_pglite_%'",
  );
  return rows[0]!.n;
}

describe("PGlite prepared statements", () => {
  it("gives the rows PGlite's query gives, for every kind of column and parameter", async () => {
    await sql`create table kinds (id bigint primary key, n numeric, at timestamptz, day date, tags text[], doc jsonb, bin bytea, ok boolean, u uuid, nothing text)`.execute(
      db,
    );
    const values = [
      9007199254740993n,
      "12.50",
      new Date("2024-02-29T12:34:56.789Z"),
      "2024-03-01",
      ["a", 'b"c', "d,e", null],
      { nested: [1, { deep: true }], text: "é\u{1F600}" },
      new Uint8Array([0, 1, 255]),
      false,
      "8d3c2a1e-5b6f-4c7d-9e0f-1a2b3c4d5e6f",
      null,
    ];
    const insert =
      "insert into kinds (id, n, at, day, tags, doc, bin, ok, u, nothing) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    await db.executeQuery(rawQuery(insert, values));
    const select = "select * from kinds where id = $1 and ok = $2";
    const ours = await db.executeQuery(rawQuery(select, [values[0], false]));
    const theirs = await pglite.query(select, [values[0], false]);
    expect(ours.rows).toEqual(theirs.rows);
    expect(ours.rows).toHaveLength(1);
    // The same values inserted by PGlite's own query are stored the same: parameters serialize alike.
    await pglite.query(insert, [9007199254740994n, ...values.slice(1)]);
    const { rows: both } = await pglite.query<Record<string, unknown>>(
      "select n, at, day, tags, doc, bin, ok, u, nothing from kinds order by id",
    );
    expect(both).toHaveLength(2);
    expect(both[0]).toEqual(both[1]);
    expect(await preparedCount()).toBeGreaterThan(0);
  });

  it("reports affected rows and keeps the database's error codes", async () => {
    await sql`create table t (id int primary key, v text)`.execute(db);
    const added = await db
      .insertInto("t")
      .values([
        { id: 1, v: "a" },
        { id: 2, v: "b" },
      ])
      .executeTakeFirst();
    expect(added.numInsertedOrUpdatedRows).toBe(2n);
    const changed = await db
      .updateTable("t")
      .set({ v: "c" })
      .where("id", ">", 0)
      .executeTakeFirst();
    expect(changed.numUpdatedRows).toBe(2n);
    await expect(db.insertInto("t").values({ id: 1, v: "again" }).execute()).rejects.toMatchObject({
      code: "23505",
    });
    // The failed statement left nothing behind: the next one runs.
    expect(await db.selectFrom("t").select("v").where("id", "=", 1).execute()).toEqual([
      { v: "c" },
    ]);
  });

  it("forgets its statements when the schema changes, also when a rollback undoes the change", async () => {
    await sql`create table t (id int primary key, v text)`.execute(db);
    await db.insertInto("t").values({ id: 1, v: "a" }).execute();
    const all = () => db.selectFrom("t").selectAll().where("id", "=", 1).execute();
    expect(await all()).toEqual([{ id: 1, v: "a" }]);
    await db.schema
      .alterTable("t")
      .addColumn("w", "text", (c) => c.defaultTo("x"))
      .execute();
    expect(await all()).toEqual([{ id: 1, v: "a", w: "x" }]);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.schema.alterTable("t").addColumn("z", "integer").execute();
        expect(await trx.selectFrom("t").selectAll().where("id", "=", 1).execute()).toEqual([
          { id: 1, v: "a", w: "x", z: null },
        ]);
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    // Prepared inside the transaction with a column the rollback removed: not reused.
    expect(await all()).toEqual([{ id: 1, v: "a", w: "x" }]);
    // Any DDL statement, however it is written.
    await sql`alter table t drop column w`.execute(db);
    expect(await all()).toEqual([{ id: 1, v: "a" }]);
  });

  it("prepares again what was deallocated behind its back", async () => {
    await sql`create table t (id int primary key)`.execute(db);
    await db.insertInto("t").values({ id: 1 }).execute();
    const one = () => db.selectFrom("t").select("id").where("id", "=", 1).execute();
    expect(await one()).toEqual([{ id: 1 }]);
    await pglite.query("deallocate all");
    expect(await one()).toEqual([{ id: 1 }]);
  });

  it("shares the instance's statements between dialects, and keeps at most 256 prepared", async () => {
    await sql`create table t (id int primary key)`.execute(db);
    await db.insertInto("t").values({ id: 1 }).execute();
    const other = new Kysely<any>({
      dialect: new PGliteDialect({ pglite, closeOnDestroy: false }),
    });
    for (let i = 0; i < 300; i++) {
      const query = `select id, ${i} as n from t where id = $1`;
      expect((await db.executeQuery(rawQuery(query, [1]))).rows).toEqual([{ id: 1, n: i }]);
      expect((await other.executeQuery(rawQuery(query, [1]))).rows).toEqual([{ id: 1, n: i }]);
    }
    expect(await preparedCount()).toBeLessThanOrEqual(257);
    await other.destroy();
  });

  it("runs queries sent at once inside a transaction one at a time, each with its own answer", async () => {
    await sql`create table t (id int primary key)`.execute(db);
    await db
      .insertInto("t")
      .values(Array.from({ length: 50 }, (_, i) => ({ id: i })))
      .execute();
    const answers = await db
      .transaction()
      .execute((trx) =>
        Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            trx.selectFrom("t").select("id").where("id", "=", i).executeTakeFirstOrThrow(),
          ),
        ),
      );
    expect(answers.map((a) => a.id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("makes a column named __proto__ an own property, never the row's prototype", async () => {
    const { rows } = await db.executeQuery(rawQuery(`select 1 as "__proto__", $1::int as x`, [2]));
    const row = rows[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row, "__proto__")?.value).toBe(1);
    expect(row.x).toBe(2);
  });

  it("prepares DML only; other statements run as they are", () => {
    expect(statementKind("select 1")).toBe("prepare");
    expect(statementKind("/*perstore:iso-times*/ WITH x AS (select 1) select * from x")).toBe(
      "prepare",
    );
    expect(statementKind("  -- note\n insert into t values (1)")).toBe("prepare");
    expect(statementKind("begin")).toBe("plain");
    expect(statementKind("savepoint a")).toBe("plain");
    expect(statementKind("rollback")).toBe("schema");
    expect(statementKind("alter table t add column x int")).toBe("schema");
    expect(statementKind("")).toBe("schema");
  });
});

function rawQuery(text: string, parameters: unknown[]) {
  return { sql: text, parameters, query: { kind: "RawNode" } } as never;
}
