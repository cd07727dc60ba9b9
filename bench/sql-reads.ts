/**
 * SQL reads against raw Kysely (issue 13), on the same table and the same
 * fixed-seed people (all ten fields: text, integer, double, timestamptz,
 * text[] and boolean columns), on PGlite in memory and on the server named
 * by DATABASE_URL when set:
 *
 * - the W1 compound filter with an index on country: `SqlStore.query(W1)`
 *   (records with every column converted as the schema declares) against
 *   the same WHERE clause written in Kysely, rows as the driver gives them;
 * - get by id: `SqlStore.get` against `selectFrom().where("id", "=", id)`.
 *
 * Runs alternate between the two sides, so load and caches favour neither;
 * every side must find the same ids, or the run fails. Each side reports its
 * median wall time and this process's CPU time (on PGlite that includes the
 * database; on a server, its work shows only in wall time).
 *
 *   npx tsx bench/sql-reads.ts [--size 100000] [--runs 7] [--gets 1000]
 */
import { parseArgs } from "node:util";
import { sql, type Kysely } from "kysely";
import { openDatabase } from "../src/store/sql/open-database.js";
import { SqlStore } from "../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../src/store/sql/table-spec.js";
import { generatePeople, mulberry32 } from "./data.js";
import { formatDuration, formatRatio } from "./lib/report.js";

const W1 = "and(or(eq(name,Smith),ge(age,18)),in(country,(Canada,India)),ne(province,Quebec))";

const spec: SqlTableSpec = {
  table: "person",
  primaryKey: "id",
  columns: [
    { name: "id", type: "integer", sqlType: "bigint", nullable: false },
    { name: "name", type: "string", sqlType: "text", nullable: false },
    { name: "age", type: "integer", sqlType: "integer", nullable: false },
    { name: "country", type: "string", sqlType: "text", nullable: false },
    { name: "province", type: "string", sqlType: "text", nullable: false },
    { name: "email", type: "string", sqlType: "text", nullable: false },
    { name: "createdAt", type: "string", sqlType: "timestamptz", nullable: false },
    { name: "score", type: "number", sqlType: "double precision", nullable: false },
    { name: "tags", type: "array", sqlType: "text[]", nullable: false },
    { name: "active", type: "boolean", sqlType: "boolean", nullable: false },
  ],
};

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "100000" },
    runs: { type: "string", default: "7" },
    gets: { type: "string", default: "1000" },
    // Options `npm run bench -- ...` hands every bench: --quick runs less.
    quick: { type: "boolean", default: false },
    sizes: { type: "string" },
    lookups: { type: "string" },
    journal: { type: "string" },
    changes: { type: "string" },
    ops: { type: "string" },
  },
});
const SIZE = Number(values.size);
const RUNS = values.quick ? 2 : Number(values.runs);
const GETS = values.quick ? 100 : Number(values.gets);

function median(times: number[]): number {
  const sorted = times.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function idSum(rows: readonly { id: unknown }[]): number {
  let sum = 0;
  for (const r of rows) sum += Number(r.id);
  return sum;
}

interface Timed {
  /** Median wall time, ms. */
  readonly wall: number;
  /** Median CPU time of this process (user + system), ms: on PGlite the database's work too, on a server only the client's. */
  readonly cpu: number;
}

/** Runs `a` and `b` alternately (after one untimed run each); medians of wall and CPU time in ms. */
async function pair<A, B>(
  a: () => Promise<A>,
  b: () => Promise<B>,
): Promise<{ a: Timed; b: Timed; resultA: A; resultB: B }> {
  let resultA = await a();
  let resultB = await b();
  const wall: [number[], number[]] = [[], []];
  const cpu: [number[], number[]] = [[], []];
  const time = async <R>(side: 0 | 1, run: () => Promise<R>): Promise<R> => {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    const result = await run();
    wall[side].push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu[side].push((used.user + used.system) / 1000);
    return result;
  };
  for (let i = 0; i < RUNS; i++) {
    resultA = await time(0, a);
    resultB = await time(1, b);
  }
  return {
    a: { wall: median(wall[0]), cpu: median(cpu[0]) },
    b: { wall: median(wall[1]), cpu: median(cpu[1]) },
    resultA,
    resultB,
  };
}

/** One table row: SqlStore and raw Kysely, wall (CPU) each, and both ratios. */
function row(target: string, what: string, store: Timed, raw: Timed): string {
  const both = (t: Timed) => `${formatDuration(t.wall)} (${formatDuration(t.cpu)})`;
  return `| ${target} | ${what} | ${both(store)} | ${both(raw)} | ${formatRatio(store.wall / raw.wall)} (${formatRatio(store.cpu / raw.cpu)}) |`;
}

async function bench(target: string, url: string): Promise<string[]> {
  const db: Kysely<any> = openDatabase(url);
  const schema = `bench_reads_${process.pid}`;
  const lines: string[] = [];
  try {
    await sql`create schema ${sql.id(schema)}`.execute(db);
    await sql`create table ${sql.id(schema, "person")} (id bigint primary key, name text not null, age integer not null, country text not null, province text not null, email text not null, "createdAt" timestamptz not null, score double precision not null, tags text[] not null, active boolean not null)`.execute(
      db,
    );
    await sql`create index on ${sql.id(schema, "person")} (country)`.execute(db);
    const raw = db.withSchema(schema);
    const people = generatePeople(SIZE);
    for (let i = 0; i < people.length; i += 2000)
      await raw
        .insertInto("person")
        .values(
          people.slice(i, i + 2000).map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })),
        )
        .execute();
    await sql`analyze ${sql.id(schema, "person")}`.execute(db);
    const store = new SqlStore<Record<string, unknown>>({ db, table: spec, schema });

    const w1 = await pair(
      () =>
        raw
          .selectFrom("person")
          .selectAll()
          .where((eb) =>
            eb.and([
              eb.or([eb("name", "=", "Smith"), eb("age", ">=", 18)]),
              eb("country", "in", ["Canada", "India"]),
              eb("province", "<>", "Quebec"),
            ]),
          )
          .execute(),
      async () => (await store.query(W1)) as Record<string, unknown>[],
    );
    if (idSum(w1.resultA as { id: unknown }[]) !== idSum(w1.resultB as { id: unknown }[]))
      throw new Error("bench check failed: W1 differs between raw Kysely and SqlStore");
    lines.push(
      row(target, `W1 compound filter (${w1.resultB.length} rows, index on country)`, w1.b, w1.a),
    );

    const random = mulberry32(11);
    const ids = Array.from({ length: GETS }, () => 1 + Math.floor(random() * SIZE));
    const gets = await pair(
      async () => {
        let sum = 0;
        for (const id of ids)
          sum += Number(
            (await raw.selectFrom("person").selectAll().where("id", "=", id).executeTakeFirst())!
              .age,
          );
        return sum;
      },
      async () => {
        let sum = 0;
        for (const id of ids) sum += Number((await store.get(id))!.age);
        return sum;
      },
    );
    if (gets.resultA !== gets.resultB) throw new Error("bench check failed: get differs");
    lines.push(row(target, `get by id ×${GETS}`, gets.b, gets.a));
  } finally {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    await db.destroy();
  }
  return lines;
}

const lines = [
  `| database | case (${SIZE.toLocaleString("en")} people) | SqlStore wall (CPU) | raw Kysely wall (CPU) | ratio wall (CPU) |`,
  "| --- | --- | --- | --- | --- |",
];
lines.push(...(await bench("PGlite", "memory:")));
if (process.env.DATABASE_URL) lines.push(...(await bench("PostgreSQL", process.env.DATABASE_URL)));
console.log(lines.join("\n"));
