/**
 * SQL bench: the SQL store against raw Kysely on the same table and data, on
 * PGlite (in memory) and on the server named by DATABASE_URL when set.
 *   get/put/query overhead (target: within 1.2x of raw Kysely),
 *   10,000 condensed changes through the batched channel vs one statement per change (target: >= 10x),
 *   bulk load of 100,000 records.
 * Usage: tsx bench/sql.ts [--size 100000] [--changes 10000] [--ops 1000]
 */
import { performance } from "node:perf_hooks";
import { sql, type Kysely } from "kysely";
import { openDatabase } from "../src/store/sql/open-database.js";
import { SqlStore } from "../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../src/store/sql/table-spec.js";
import type { Change } from "../src/store/types.js";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const SIZE = arg("size", 100_000);
const CHANGES = arg("changes", 10_000);
const OPS = arg("ops", 1_000);

interface Person {
  id: number;
  name: string;
  age: number;
  country: string;
}
const spec: SqlTableSpec = {
  table: "bench_person",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "name", type: "string", sqlType: "text", nullable: false },
    { name: "age", type: "integer", sqlType: "integer", nullable: false },
    { name: "country", type: "string", sqlType: "text", nullable: false },
  ],
};
const COUNTRIES = ["CA", "IN", "FR", "BR", "JP", "NG", "US", "DE"];
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const person = (id: number): Person => ({
  id,
  name: `person ${id}`,
  age: Math.floor(random() * 90),
  country: COUNTRIES[id % COUNTRIES.length]!,
});

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function bench(target: string, url: string): Promise<string[]> {
  const db: Kysely<any> = openDatabase(url);
  const schema = `bench_${process.pid}`;
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  await sql`create table ${sql.id(schema, "bench_person")} (id bigint primary key, name text not null, age integer not null, country text not null)`.execute(
    db,
  );
  await sql`create index on ${sql.id(schema, "bench_person")} (country, age)`.execute(db);
  const raw = db.withSchema(schema);
  const store = new SqlStore<Person>({ db, table: spec, schema });
  const table = sql.id(schema, "bench_person");
  const rows: string[] = [];
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  try {
    const records = Array.from({ length: SIZE }, (_, i) => person(i + 1));
    const rawLoad = await time(async () => {
      for (let i = 0; i < records.length; i += 5000)
        await raw
          .insertInto("bench_person")
          .values(records.slice(i, i + 5000))
          .execute();
    });
    await sql`truncate ${table}`.execute(db);
    const storeLoad = await time(() =>
      store.applyChangeSet({ mode: "replace", changes: [], records }),
    );
    rows.push(
      `| ${target} | bulk load ${SIZE.toLocaleString("en")} records | ${storeLoad.toFixed(0)} ms | ${rawLoad.toFixed(0)} ms (raw Kysely, 5,000-row INSERTs) | ${ratio(storeLoad, rawLoad)} |`,
    );

    const ids = Array.from({ length: OPS }, () => 1 + Math.floor(random() * SIZE));
    // Interleave and repeat so caches and JIT warm-up favour neither side.
    let storeGet = 0,
      rawGet = 0,
      storePut = 0,
      rawPut = 0,
      storeQuery = 0,
      rawQuery = 0;
    for (let round = 0; round < 3; round++) {
      rawGet += await time(async () => {
        for (const id of ids)
          await raw.selectFrom("bench_person").selectAll().where("id", "=", id).executeTakeFirst();
      });
      storeGet += await time(async () => {
        for (const id of ids) await store.get(id);
      });
      rawPut += await time(async () => {
        for (const id of ids) {
          const p = person(id);
          await raw
            .insertInto("bench_person")
            .values(p)
            .onConflict((oc) =>
              oc.column("id").doUpdateSet({ name: p.name, age: p.age, country: p.country }),
            )
            .execute();
        }
      });
      storePut += await time(async () => {
        for (const id of ids) await store.put(person(id));
      });
      const n = Math.max(1, Math.floor(OPS / 10));
      rawQuery += await time(async () => {
        for (let i = 0; i < n; i++) {
          await raw
            .selectFrom("bench_person")
            .select(["id", "name", "age", "country", sql<number>`count(*) over ()`.as("total")])
            .where("country", "=", COUNTRIES[i % 8]!)
            .where("age", ">=", 30)
            .orderBy(sql`age asc nulls first`)
            .orderBy("id")
            .limit(20)
            .execute();
        }
      });
      storeQuery += await time(async () => {
        for (let i = 0; i < n; i++)
          await store.query("country=$1&age>=30&sort(+age)&limit(20)", {
            parameters: [COUNTRIES[i % 8]],
          });
      });
    }
    rows.push(
      `| ${target} | get by id ×${OPS * 3} | ${storeGet.toFixed(0)} ms | ${rawGet.toFixed(0)} ms | ${ratio(storeGet, rawGet)} |`,
    );
    rows.push(
      `| ${target} | put (upsert) ×${OPS * 3} | ${storePut.toFixed(0)} ms | ${rawPut.toFixed(0)} ms | ${ratio(storePut, rawPut)} |`,
    );
    rows.push(
      `| ${target} | query, page of 20 + totalCount ×${Math.max(1, Math.floor(OPS / 10)) * 3} | ${storeQuery.toFixed(0)} ms | ${rawQuery.toFixed(0)} ms | ${ratio(storeQuery, rawQuery)} |`,
    );

    // 10,000 condensed changes: a third adds, a third changes, a third removes.
    const changes: Change<Person>[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const kind = i % 3;
      if (kind === 0) {
        const p = person(SIZE + 1 + i);
        changes.push({ type: "add", id: p.id, record: p });
      } else if (kind === 1) {
        const p = { ...person(i + 1), age: 99 };
        changes.push({ type: "change", id: p.id, changes: { age: 99 }, record: p });
      } else changes.push({ type: "remove", id: i + 1 });
    }
    const batched = await time(() => store.applyChangeSet({ mode: "condensed", changes }));
    const perChange = await time(() =>
      db.transaction().execute(async (trx) => {
        const t = trx.withSchema(schema);
        for (const c of changes) {
          if (c.type === "add")
            await t
              .insertInto("bench_person")
              .values(c.record)
              .onConflict((oc) =>
                oc.column("id").doUpdateSet({
                  name: c.record.name,
                  age: c.record.age,
                  country: c.record.country,
                }),
              )
              .execute();
          else if (c.type === "change")
            await t
              .updateTable("bench_person")
              .set({ name: c.record.name, age: c.record.age, country: c.record.country })
              .where("id", "=", c.id)
              .execute();
          else if (c.type === "remove")
            await t.deleteFrom("bench_person").where("id", "=", c.id).execute();
        }
      }),
    );
    rows.push(
      `| ${target} | ${CHANGES.toLocaleString("en")} condensed changes in one transaction | ${batched.toFixed(0)} ms (batched channel) | ${perChange.toFixed(0)} ms (one statement per change) | ${(perChange / batched).toFixed(1)}x faster |`,
    );
  } finally {
    await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
    await db.destroy();
  }
  return rows;
}

const targets: [string, string][] = [["PGlite", "memory:"]];
const server = process.env.DATABASE_URL;
if (server !== undefined && /^postgres(ql)?:\/\//.test(server))
  targets.push(["PostgreSQL", server]);
const lines = [
  "| store | operation | SqlStore | raw Kysely | ratio |",
  "| --- | --- | --- | --- | --- |",
];
for (const [name, url] of targets) lines.push(...(await bench(name, url)));
console.log(lines.join("\n"));
