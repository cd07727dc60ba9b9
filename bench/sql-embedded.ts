/**
 * The SQL store on PGlite (perstore's embedded default) against SQLite
 * through better-sqlite3, the embedded SQL engine a user would pick instead
 * (issue 13), on the same fixed-seed people, both in this process:
 *
 * - bulk insert: `--size` people, `SqlStore.insert` (batches of 5,000, one
 *   transaction) against one prepared INSERT run per person in one transaction;
 * - the W1 compound filter with an index on country: `SqlStore.query(W1)`
 *   against the same WHERE clause as one prepared SELECT, its rows made into
 *   the same records (tags parsed from JSON, active as a boolean);
 * - get by id, `--gets` times;
 * - `--updates` single-row updates of two fields in one transaction:
 *   `store.patch` against a prepared UPDATE.
 *
 * SQLite's table is `(id integer primary key, ...)` with date-times as ISO
 * text and tags as JSON text, SQLite's usual forms; no durability settings
 * differ from its defaults (journal in memory would flatter it; PGlite runs in
 * memory here, so SQLite does too: `:memory:`). Each case checks that both
 * sides give or hold the same records. Times are medians of `--runs`
 * alternating runs; CPU is this process's (both engines run in it).
 *
 * better-sqlite3 is not a devDependency (with no prebuilt binary to download
 * it compiles SQLite on every `npm ci`, minutes on 2 cores): install it for
 * this run with `npm install --no-save better-sqlite3@12`, or point
 * `BETTER_SQLITE3` at a folder where it is installed; without it the bench
 * says so and exits.
 *
 *   npx tsx bench/sql-embedded.ts [--size 100000] [--gets 1000] [--updates 10000] [--runs 5]
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import type BetterSqlite3 from "better-sqlite3";
import { openDatabase } from "../src/store/sql/open-database.js";
import { SqlStore } from "../src/store/sql/sql-store.js";
import { generatePeople, mulberry32 } from "./data.js";
import {
  createPersonTable,
  personRecord,
  personSpec,
  type PersonRecord,
} from "./lib/person-table.js";
import { formatDuration, formatRatio } from "./lib/report.js";

const W1 = "and(or(eq(name,Smith),ge(age,18)),in(country,(Canada,India)),ne(province,Quebec))";
const W1_SQL =
  "select * from person where (name = ? or age >= ?) and country in (?, ?) and province <> ?";
const W1_PARAMETERS = ["Smith", 18, "Canada", "India", "Quebec"];

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "100000" },
    gets: { type: "string", default: "1000" },
    updates: { type: "string", default: "10000" },
    runs: { type: "string", default: "5" },
    // Options `npm run bench -- ...` hands every bench: --quick runs less.
    quick: { type: "boolean", default: false },
    sizes: { type: "string" },
    lookups: { type: "string" },
    journal: { type: "string" },
    changes: { type: "string" },
    ops: { type: "string" },
  },
});
const SIZE = values.quick ? 20_000 : Number(values.size);
const GETS = values.quick ? 200 : Number(values.gets);
const UPDATES = values.quick ? 1_000 : Number(values.updates);
const RUNS = values.quick ? 2 : Number(values.runs);

type SqliteDatabase = BetterSqlite3.Database;

/** better-sqlite3 from this project or from $BETTER_SQLITE3, else undefined. */
function loadSqlite(): typeof BetterSqlite3 | undefined {
  const from = process.env.BETTER_SQLITE3
    ? join(process.env.BETTER_SQLITE3, "package.json")
    : import.meta.url;
  try {
    return createRequire(from)("better-sqlite3") as typeof BetterSqlite3;
  } catch {
    return undefined;
  }
}

interface Timed {
  readonly wall: number;
  readonly cpu: number;
}

function median(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

/** Runs the two sides in turn, once untimed and `RUNS` times timed (`before` each run); medians. */
async function alternate<R>(
  sides: readonly [() => Promise<R> | R, () => Promise<R> | R],
  before?: () => Promise<void> | void,
): Promise<{ timed: [Timed, Timed]; results: [R, R] }> {
  const results = [] as unknown as [R, R];
  const wall: [number[], number[]] = [[], []];
  const cpu: [number[], number[]] = [[], []];
  for (let run = -1; run < RUNS; run++) {
    await before?.();
    for (const side of [0, 1] as const) {
      collectGarbage?.();
      const startCpu = process.cpuUsage();
      const start = performance.now();
      results[side] = await sides[side]();
      if (run < 0) continue;
      wall[side].push(performance.now() - start);
      const used = process.cpuUsage(startCpu);
      cpu[side].push((used.user + used.system) / 1000);
    }
  }
  const timed = (side: 0 | 1) => ({ wall: median(wall[side]), cpu: median(cpu[side]) });
  return { timed: [timed(0), timed(1)], results };
}

function row(what: string, store: Timed, sqlite: Timed): string {
  const both = (t: Timed) => `${formatDuration(t.wall)} (${formatDuration(t.cpu)})`;
  return `| ${what} | ${both(store)} | ${both(sqlite)} | ${formatRatio(store.wall / sqlite.wall)} (${formatRatio(store.cpu / sqlite.cpu)}) |`;
}

/** A SQLite row as the store's record: tags from JSON, active as a boolean. */
function recordOfSqlite(row: Record<string, unknown>): PersonRecord {
  return {
    ...(row as unknown as PersonRecord),
    tags: JSON.parse(row.tags as string) as string[],
    active: row.active === 1,
  };
}

function sqliteRow(record: PersonRecord): Record<string, unknown> {
  return { ...record, tags: JSON.stringify(record.tags), active: record.active ? 1 : 0 };
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`bench check failed: ${message}`);
}

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

async function main(): Promise<void> {
  const Sqlite = loadSqlite();
  if (Sqlite === undefined) {
    console.log(
      "sql-embedded skipped: better-sqlite3 is not installed (npm install --no-save better-sqlite3@12, or BETTER_SQLITE3=<folder>)",
    );
    return;
  }
  const people = generatePeople(SIZE).map(personRecord);
  const db = openDatabase("memory:");
  const schema = "bench_embedded";
  const sqlite: SqliteDatabase = new Sqlite(":memory:");
  try {
    await sql`create schema ${sql.id(schema)}`.execute(db);
    await createPersonTable(db, schema, { indexCountry: true });
    const store = new SqlStore<PersonRecord>({ db, table: personSpec, schema });
    sqlite.exec(
      'create table person (id integer primary key, name text not null, age integer not null, country text not null, province text not null, email text not null, "createdAt" text not null, score real not null, tags text not null, active integer not null); create index person_country on person (country)',
    );
    const insertRow = sqlite.prepare(
      'insert into person (id, name, age, country, province, email, "createdAt", score, tags, active) values (@id, @name, @age, @country, @province, @email, @createdAt, @score, @tags, @active)',
    );
    const insertAll = sqlite.transaction((rows: readonly PersonRecord[]) => {
      for (const r of rows) insertRow.run(sqliteRow(r));
    });
    const lines: string[] = [
      `| case (${SIZE.toLocaleString("en")} people, in memory) | SqlStore on PGlite wall (CPU) | better-sqlite3 wall (CPU) | ratio wall (CPU) |`,
      "| --- | --- | --- | --- |",
    ];

    // Bulk insert, into empty tables each run.
    const insert = await alternate<number>(
      [
        async () => (await store.insert(people)).length,
        () => {
          insertAll(people);
          return SIZE;
        },
      ],
      async () => {
        await sql`truncate ${sql.id(schema, "person")}`.execute(db);
        sqlite.exec("delete from person");
      },
    );
    const counted = sqlite.prepare("select count(*) as n from person").get() as { n: number };
    check(insert.results[0] === SIZE && counted.n === SIZE, "insert counts differ");
    await sql`analyze ${sql.id(schema, "person")}`.execute(db);
    sqlite.exec("analyze");
    lines.push(row(`bulk insert of ${SIZE.toLocaleString("en")}`, ...insert.timed));

    // W1, records out.
    const w1Select = sqlite.prepare(W1_SQL);
    const w1 = await alternate<PersonRecord[]>([
      async () => [...((await store.query(W1)) as PersonRecord[])],
      () => (w1Select.all(...W1_PARAMETERS) as Record<string, unknown>[]).map(recordOfSqlite),
    ]);
    const [fromStore, fromSqlite] = w1.results.map((records) => [...records].sort(byId));
    check(
      JSON.stringify(fromStore) === JSON.stringify(fromSqlite),
      "W1 records differ between PGlite and SQLite",
    );
    lines.push(
      row(`W1 compound filter (${fromStore!.length} rows, index on country)`, ...w1.timed),
    );

    // Gets.
    const random = mulberry32(11);
    const ids = Array.from({ length: GETS }, () => 1 + Math.floor(random() * SIZE));
    const getOne = sqlite.prepare("select * from person where id = ?");
    const gets = await alternate<number>([
      async () => {
        let sum = 0;
        for (const id of ids) sum += (await store.get(id))!.score;
        return sum;
      },
      () => {
        let sum = 0;
        for (const id of ids)
          sum += recordOfSqlite(getOne.get(id) as Record<string, unknown>).score;
        return sum;
      },
    ]);
    check(gets.results[0] === gets.results[1], "get differs");
    lines.push(row(`get by id ×${GETS.toLocaleString("en")}`, ...gets.timed));

    // Single-row updates in one transaction; each run sets new values, the same on both sides.
    const updateOne = sqlite.prepare("update person set age = ?, score = ? where id = ?");
    const updated = Array.from({ length: UPDATES }, () => 1 + Math.floor(random() * SIZE));
    let round = 0;
    const changes = () =>
      updated.map((id, i) => ({ id, age: (i + round) % 100, score: (i * 7 + round) % 1000 }));
    let batch = changes();
    const updates = await alternate<number>(
      [
        async () => {
          await store.transaction(async (tx) => {
            for (const c of batch) await tx.patch(c.id, { age: c.age, score: c.score });
          });
          return batch.length;
        },
        () => {
          sqlite.transaction(() => {
            for (const c of batch) updateOne.run(c.age, c.score, c.id);
          })();
          return batch.length;
        },
      ],
      () => {
        round++;
        batch = changes();
      },
    );
    const ages = (await db
      .withSchema(schema)
      .selectFrom("person")
      .select(["id", "age", "score"])
      .orderBy("id")
      .execute()) as { id: number; age: number; score: number }[];
    const sqliteAges = sqlite.prepare("select id, age, score from person order by id").all();
    check(JSON.stringify(ages) === JSON.stringify(sqliteAges), "updated rows differ");
    lines.push(
      row(`${UPDATES.toLocaleString("en")} single-row updates, one transaction`, ...updates.timed),
    );
    console.log(lines.join("\n"));
  } finally {
    sqlite.close();
    await db.destroy();
  }
}

await main();
