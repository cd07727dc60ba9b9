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
 * Runs alternate between the sides, so load and caches favour neither;
 * every side must find the same ids, or the run fails. Each side reports its
 * median wall time and this process's CPU time (on PGlite that includes the
 * database; on a server, its work shows only in wall time).
 *
 * `--baseline <dir>` adds a third side: the SqlStore of another checkout
 * (its `src/`, e.g. `git worktree add /tmp/base <commit>` with node_modules
 * linked), on its own pool from its own openDatabase for a server (PGlite is
 * one in-process database, so it shares this run's), in the same rounds: a
 * before/after comparison in one process, which a loaded machine cannot skew
 * between two runs. Under `node --expose-gc` every timed run starts after a
 * collection, so no side pays for the garbage of the side before it (sides
 * that allocate differently, e.g. Dates against text, otherwise trade GC).
 *
 *   npx tsx bench/sql-reads.ts [--size 100000] [--runs 7] [--gets 1000] [--baseline <dir>]
 *   node --expose-gc --import tsx bench/sql-reads.ts ...
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql, type Kysely } from "kysely";
import { openDatabase } from "../src/store/sql/open-database.js";
import { SqlStore } from "../src/store/sql/sql-store.js";
import { generatePeople, mulberry32 } from "./data.js";
import { createPersonTable, personRecord, personSpec } from "./lib/person-table.js";
import { formatDuration, formatRatio } from "./lib/report.js";

const W1 = "and(or(eq(name,Smith),ge(age,18)),in(country,(Canada,India)),ne(province,Quebec))";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "100000" },
    runs: { type: "string", default: "7" },
    gets: { type: "string", default: "1000" },
    baseline: { type: "string" },
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

const collectGarbage = (globalThis as { gc?: () => void }).gc;

/** Runs the sides in turn (after one untimed run each); medians of wall and CPU time in ms, and each side's last result. */
async function alternate<R>(
  sides: readonly (() => Promise<R>)[],
): Promise<{ timed: Timed[]; results: R[] }> {
  const results: R[] = [];
  for (const side of sides) results.push(await side());
  const wall: number[][] = sides.map(() => []);
  const cpu: number[][] = sides.map(() => []);
  for (let i = 0; i < RUNS; i++)
    for (let side = 0; side < sides.length; side++) {
      // With --expose-gc, no side pays for collecting the garbage the side before it left.
      collectGarbage?.();
      const startCpu = process.cpuUsage();
      const start = performance.now();
      results[side] = await sides[side]!();
      wall[side]!.push(performance.now() - start);
      const used = process.cpuUsage(startCpu);
      cpu[side]!.push((used.user + used.system) / 1000);
    }
  return {
    timed: sides.map((_, side) => ({ wall: median(wall[side]!), cpu: median(cpu[side]!) })),
    results,
  };
}

/** What a baseline checkout provides: its SqlStore and openDatabase. */
interface Baseline {
  readonly dir: string;
  readonly SqlStore: typeof SqlStore;
  readonly openDatabase: typeof openDatabase;
}

async function loadBaseline(dir: string): Promise<Baseline> {
  const load = (path: string) => import(pathToFileURL(resolve(dir, path)).href);
  const [{ SqlStore }, { openDatabase }] = await Promise.all([
    load("src/store/sql/sql-store.ts"),
    load("src/store/sql/open-database.ts"),
  ]);
  return { dir, SqlStore, openDatabase };
}

/** One table row: SqlStore and raw Kysely, wall (CPU) each, and both ratios. */
function row(target: string, what: string, store: Timed, raw: Timed): string {
  const both = (t: Timed) => `${formatDuration(t.wall)} (${formatDuration(t.cpu)})`;
  return `| ${target} | ${what} | ${both(store)} | ${both(raw)} | ${formatRatio(store.wall / raw.wall)} (${formatRatio(store.cpu / raw.cpu)}) |`;
}

async function bench(
  target: string,
  url: string,
  baseline: Baseline | undefined,
): Promise<string[]> {
  const db: Kysely<any> = openDatabase(url);
  // A server gets the baseline's own pool (its type parsers); PGlite in memory is this run's database.
  const baseDb: Kysely<any> | undefined =
    baseline === undefined
      ? undefined
      : url.startsWith("postgres")
        ? baseline.openDatabase(url)
        : db;
  const schema = `bench_reads_${process.pid}`;
  const lines: string[] = [];
  try {
    await sql`create schema ${sql.id(schema)}`.execute(db);
    await createPersonTable(db, schema, { indexCountry: true });
    const raw = db.withSchema(schema);
    const people = generatePeople(SIZE);
    for (let i = 0; i < people.length; i += 2000)
      await raw
        .insertInto("person")
        .values(people.slice(i, i + 2000).map(personRecord))
        .execute();
    await sql`analyze ${sql.id(schema, "person")}`.execute(db);
    const store = new SqlStore<Record<string, unknown>>({ db, table: personSpec, schema });
    const baseStore =
      baseline === undefined
        ? undefined
        : new baseline.SqlStore<Record<string, unknown>>({
            db: baseDb!,
            table: personSpec,
            schema,
          });
    const baseLabel = baseline === undefined ? "" : `, baseline ${baseline.dir}`;

    const w1 = await alternate<unknown[]>([
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
      ...(baseStore === undefined
        ? []
        : [async () => (await baseStore.query(W1)) as Record<string, unknown>[]]),
    ]);
    const [rawRows, ...storeRows] = w1.results as { id: unknown }[][];
    if (storeRows.some((rows) => idSum(rows) !== idSum(rawRows!)))
      throw new Error("bench check failed: W1 differs between raw Kysely and SqlStore");
    const w1Case = `W1 compound filter (${rawRows!.length} rows, index on country)`;
    lines.push(row(target, w1Case, w1.timed[1]!, w1.timed[0]!));
    if (baseStore !== undefined)
      lines.push(row(target, `${w1Case}${baseLabel}`, w1.timed[2]!, w1.timed[0]!));

    const random = mulberry32(11);
    const ids = Array.from({ length: GETS }, () => 1 + Math.floor(random() * SIZE));
    const getsFrom =
      (from: { get(id: number): Promise<Record<string, unknown> | undefined> }) => async () => {
        let sum = 0;
        for (const id of ids) sum += Number((await from.get(id))!.age);
        return sum;
      };
    const gets = await alternate<number>([
      async () => {
        let sum = 0;
        for (const id of ids)
          sum += Number(
            (await raw.selectFrom("person").selectAll().where("id", "=", id).executeTakeFirst())!
              .age,
          );
        return sum;
      },
      getsFrom(store),
      ...(baseStore === undefined ? [] : [getsFrom(baseStore)]),
    ]);
    if (gets.results.some((sum) => sum !== gets.results[0]))
      throw new Error("bench check failed: get differs");
    lines.push(row(target, `get by id ×${GETS}`, gets.timed[1]!, gets.timed[0]!));
    if (baseStore !== undefined)
      lines.push(row(target, `get by id ×${GETS}${baseLabel}`, gets.timed[2]!, gets.timed[0]!));
  } finally {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    await db.destroy();
    if (baseDb !== undefined && baseDb !== db) await baseDb.destroy();
  }
  return lines;
}

const lines = [
  `| database | case (${SIZE.toLocaleString("en")} people) | SqlStore wall (CPU) | raw Kysely wall (CPU) | ratio wall (CPU) |`,
  "| --- | --- | --- | --- | --- |",
];
const baseline = values.baseline === undefined ? undefined : await loadBaseline(values.baseline);
lines.push(...(await bench("PGlite", "memory:", baseline)));
if (process.env.DATABASE_URL)
  lines.push(...(await bench("PostgreSQL", process.env.DATABASE_URL, baseline)));
console.log(lines.join("\n"));
