/**
 * Cache bench: a cache hit `get` against the bare stores it stands in front of.
 *   - cache(MemoryStore) hit vs a bare MemoryStore.get -- target: within 2x
 *     (both hand out a fresh copy; the cache adds an LRU lookup);
 *   - cache(SqlStore on PGlite) hit vs SqlStore.get on PGlite -- target: 50x faster.
 * Every contestant must give the same records for the same ids first.
 *
 *   npx tsx bench/wrappers-cache.ts [--size 10000] [--lookups 100000] [--quick]
 */
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { MemoryStore } from "../src/store/memory/memory-store.js";
import { openDatabase } from "../src/store/sql/open-database.js";
import { SqlStore } from "../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../src/store/sql/table-spec.js";
import type { Store } from "../src/store/types.js";
import { cache } from "../src/wrappers/cache/cache.js";
import { mulberry32 } from "./data.js";
import { measure, type MeasureOptions } from "./lib/measure.js";
import { BenchReport, row } from "./lib/report.js";

interface Person {
  id: string;
  name: string;
  age: number;
  country: string;
  tags: string[];
}

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "10000" },
    lookups: { type: "string", default: "100000" },
    quick: { type: "boolean" },
  },
});
const SIZE = Number(values.size);
const LOOKUPS = Number(values.lookups);
/** PGlite answers in tens of microseconds: fewer lookups keep a run short. */
const SQL_LOOKUPS = Math.max(1, Math.floor(LOOKUPS / 50));
const RUNS: MeasureOptions = values.quick
  ? { warmup: 1, iterations: 3 }
  : { warmup: 3, iterations: 9 };

const random = mulberry32(7);
const COUNTRIES = ["Canada", "India", "France", "Peru", "Japan"];
const people: Person[] = Array.from({ length: SIZE }, (_, i) => ({
  id: `p${i}`,
  name: `person ${i}`,
  age: Math.floor(random() * 90),
  country: COUNTRIES[i % COUNTRIES.length]!,
  tags: i % 3 === 0 ? ["a", "b"] : ["c"],
}));
const ids = Array.from({ length: LOOKUPS }, () => `p${Math.floor(random() * SIZE)}`);

const table: SqlTableSpec = {
  table: "bench_cache_person",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "text", nullable: false },
    { name: "name", type: "string", sqlType: "text", nullable: false },
    { name: "age", type: "number", sqlType: "integer", nullable: false },
    { name: "country", type: "string", sqlType: "text", nullable: false },
    { name: "tags", type: "array", sqlType: "text[]", nullable: false },
  ],
};

/** `count` gets of the lookup ids, awaited one by one as callers do; gives the ages summed (a checksum). */
async function gets(store: Store<Person>, count: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += (await store.get!(ids[i]!))!.age;
  return sum;
}

async function sameAnswers(a: Store<Person>, b: Store<Person>, count: number): Promise<void> {
  for (const id of ids.slice(0, count)) {
    const [x, y] = [await a.get!(id), await b.get!(id)];
    if (JSON.stringify(x) !== JSON.stringify(y))
      throw new Error(`different records for ${id}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  }
}

const report = new BenchReport("cache");

const memory = new MemoryStore<Person>();
for (const p of people) memory.put(p);
const cachedMemory = cache<Person>(memory, { max: SIZE });
await sameAnswers(memory, cachedMemory, 1000);
await gets(cachedMemory, LOOKUPS); // every id is now cached
const bare = await measure(
  () => undefined,
  () => gets(memory, LOOKUPS),
  RUNS,
);
const hit = await measure(
  () => undefined,
  () => gets(cachedMemory, LOOKUPS),
  RUNS,
);
if (bare.result !== hit.result) throw new Error("checksums differ (memory)");
const hits = cachedMemory.stats();
report.section(`get of ${LOOKUPS} ids among ${SIZE} records, master in memory`, [
  row("bare MemoryStore.get", bare, { ops: LOOKUPS, baseline: bare.median }),
  row("cache(MemoryStore) hit", hit, {
    ops: LOOKUPS,
    baseline: bare.median,
    note: `${hits.hits} hits, ${hits.misses} misses (the first fill)`,
  }),
]);

const db = openDatabase("memory:");
try {
  await sql`create table bench_cache_person (id text primary key, name text not null, age integer not null, country text not null, tags text[] not null)`.execute(
    db,
  );
  const sqlStore = new SqlStore<Person>({ db, table });
  for (let i = 0; i < people.length; i += 500)
    await sqlStore.transaction(async (tx) => {
      for (const p of people.slice(i, i + 500)) await tx.put(p);
    });
  const cachedSql = cache<Person>(sqlStore, { max: SIZE });
  await sameAnswers(sqlStore, cachedSql, 200);
  await gets(cachedSql, LOOKUPS);
  const pglite = await measure(
    () => undefined,
    () => gets(sqlStore, SQL_LOOKUPS),
    RUNS,
  );
  const sqlHit = await measure(
    () => undefined,
    () => gets(cachedSql, SQL_LOOKUPS),
    RUNS,
  );
  if (pglite.result !== sqlHit.result) throw new Error("checksums differ (PGlite)");
  report.section(`get of ${SQL_LOOKUPS} ids among ${SIZE} records, master SqlStore on PGlite`, [
    row("cache(SqlStore) hit", sqlHit, { ops: SQL_LOOKUPS, baseline: sqlHit.median }),
    row("bare SqlStore.get (PGlite)", pglite, { ops: SQL_LOOKUPS, baseline: sqlHit.median }),
  ]);
  report.target({
    label: "cache hit vs bare MemoryStore.get",
    value: hit.median / bare.median,
    limit: 2,
    kind: "at most",
  });
  report.target({
    label: "PGlite SqlStore.get vs cache hit (speed-up)",
    value: pglite.median / SQL_LOOKUPS / (sqlHit.median / SQL_LOOKUPS),
    limit: 50,
    kind: "at least",
  });
} finally {
  await db.destroy();
}

console.log(`\n${report.markdown()}`);
if (!report.allMet) process.exitCode = 1;
