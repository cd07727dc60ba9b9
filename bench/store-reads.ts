/**
 * Store reads against the peers a user would pick instead (issue 13), on the
 * same fixed-seed people in one process, at each size given:
 *
 * - get by id: `MemoryStore.get` (a fresh deep copy) against a bare `Map.get`
 *   and LokiJS `by("id")` on a unique index (both hand out the stored object
 *   itself, no copy);
 * - find by an indexed field: `store.query("province=<p>")` (copies) against
 *   LokiJS `find({ province })` on a binary index (the stored objects);
 * - the W1 compound filter through `store.query` (copies of the matches),
 *   without and with an index on country, against the compiled filter alone
 *   over the same array (`compileQuery(W1).filter(people)`, no copies).
 *
 * Every peer must return the same records, or the run fails.
 *
 *   npx tsx bench/store-reads.ts [--sizes 100000,1000000] [--lookups 100000] [--quick]
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import Loki from "lokijs";
import { compileQuery, MemoryStore } from "../src/index.js";
import type { Results } from "../src/index.js";
import { generatePeople, mulberry32, type Person } from "./data.js";
import { measureSync, type MeasureOptions, type Measurement } from "./lib/measure.js";
import { BenchReport, row } from "./lib/report.js";

/** The W1 compound filter of the issue. */
const W1 = "and(or(eq(name,Smith),ge(age,18)),in(country,(Canada,India)),ne(province,Quebec))";
/** A province of a single country: a few hundred records per 100,000. */
const PROVINCE = "Ontario";

type PersonRecord = Person & Record<string, unknown>;

function readOptions() {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "100000,1000000" },
      // `npm run bench -- --size N ...` hands every bench the same options.
      size: { type: "string" },
      lookups: { type: "string", default: "100000" },
      journal: { type: "string" },
      changes: { type: "string" },
      ops: { type: "string" },
      quick: { type: "boolean", default: false },
    },
  });
  const quick = values.quick === true;
  return {
    sizes: (values.size ?? values.sizes).split(",").map(Number),
    lookups: Number(values.lookups),
    runs: (quick ? { warmup: 1, iterations: 3 } : { warmup: 3, iterations: 9 }) as MeasureOptions,
  };
}

function timed<R>(label: string, run: () => R, options: MeasureOptions): Measurement<R> {
  process.stdout.write(`  ${label} ... `);
  const m = measureSync(run, options);
  console.log(`cpu ${m.median.toFixed(2)} ms, wall ${m.wallMedian.toFixed(2)} ms`);
  return m;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`bench check failed: ${message}`);
}

/** Finds per run. */
const FINDS = 20;

function repeat<R>(find: () => R): R {
  let result = find();
  for (let i = 1; i < FINDS; i++) result = find();
  return result;
}

function idSum(records: readonly { id: number }[]): number {
  let sum = 0;
  for (const r of records) sum += r.id;
  return sum;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function sizeSection(report: BenchReport, size: number, lookups: number, runs: MeasureOptions) {
  console.log(`\n${size} people`);
  const people = generatePeople(size);
  const byId = new Map<number, Person>();
  for (const p of people) byId.set(p.id, p);
  const store = new MemoryStore<PersonRecord>({
    data: people as PersonRecord[],
    indexes: ["country", "province"],
  });
  const scanStore = new MemoryStore<PersonRecord>({ data: people as PersonRecord[] });
  const db = new Loki("bench.db");
  const loki = db.addCollection<Person>("people", { disableMeta: true, unique: ["id"] });
  loki.insert(generatePeople(size));
  loki.ensureIndex("province");

  const random = mulberry32(7);
  const wanted = Array.from({ length: lookups }, () => 1 + Math.floor(random() * size));
  const sumAges = (get: (id: number) => Person | undefined) => () => {
    let sum = 0;
    for (let i = 0; i < wanted.length; i++) sum += get(wanted[i]!)!.age;
    return sum;
  };
  const mapGet = timed(
    "Map.get(id)",
    sumAges((id) => byId.get(id)),
    runs,
  );
  const lokiGet = timed(
    'LokiJS by("id", id)',
    sumAges((id) => loki.by("id", id)),
    runs,
  );
  const storeGet = timed(
    "MemoryStore.get(id)",
    sumAges((id) => store.get(id)),
    runs,
  );
  check(lokiGet.result === mapGet.result && storeGet.result === mapGet.result, "get differs");

  // Each run repeats the find, so one young-generation GC does not decide a run of ~100 µs.
  const lokiFind = timed(
    `LokiJS find({ province: ${PROVINCE} }), binary index x${FINDS}`,
    () => repeat(() => loki.find({ province: PROVINCE })),
    runs,
  );
  const storeFind = timed(
    `store.query("province=${PROVINCE}"), index x${FINDS}`,
    () => repeat(() => store.query(`province=${PROVINCE}`) as Results<Person>),
    runs,
  );
  const rows = storeFind.result.length;
  check(idSum(lokiFind.result) === idSum(storeFind.result), "find by province differs");

  const compiled = compileQuery(W1);
  const filterAlone = timed("compileQuery(W1).filter(people)", () => compiled.filter(people), runs);
  const scanQuery = timed(
    "store.query(W1), no index",
    () => scanStore.query(W1) as Results<Person>,
    runs,
  );
  const indexedQuery = timed(
    "store.query(W1), index on country",
    () => store.query(W1) as Results<Person>,
    runs,
  );
  const matches = idSum(filterAlone.result);
  check(
    idSum(scanQuery.result) === matches && idSum(indexedQuery.result) === matches,
    "W1 differs",
  );

  report.section(`Store reads, ${size} people`, [
    row("Map.get(id) (the stored object)", mapGet, { ops: lookups, baseline: mapGet.median }),
    row('LokiJS by("id") (the stored object)', lokiGet, {
      ops: lookups,
      baseline: mapGet.median,
    }),
    row("MemoryStore.get(id) (a deep copy)", storeGet, { ops: lookups, baseline: mapGet.median }),
    row(`LokiJS find province=${PROVINCE} (${rows} rows, stored objects)`, lokiFind, {
      ops: FINDS,
      baseline: lokiFind.median,
    }),
    row(`store.query province=${PROVINCE} (${rows} rows, copies)`, storeFind, {
      ops: FINDS,
      baseline: lokiFind.median,
    }),
    row(`compiled W1 filter alone (${filterAlone.result.length} rows)`, filterAlone, {
      baseline: filterAlone.median,
    }),
    row("store.query(W1), no index (copies)", scanQuery, { baseline: filterAlone.median }),
    row("store.query(W1), index on country (copies)", indexedQuery, {
      baseline: filterAlone.median,
    }),
  ]);
  report.target({
    label: `${size}: MemoryStore.get / Map.get`,
    value: storeGet.median / mapGet.median,
    limit: 3,
    kind: "at most",
  });
  report.target({
    label: `${size}: indexed find / LokiJS`,
    value: storeFind.median / lokiFind.median,
    limit: 1,
    kind: "at most",
  });
  report.target({
    label: `${size}: store.query(W1), no index / compiled filter`,
    value: scanQuery.median / filterAlone.median,
    limit: 2,
    kind: "at most",
  });
  report.target({
    label: `${size}: store.query(W1), indexed / compiled filter`,
    value: indexedQuery.median / filterAlone.median,
    limit: 2,
    kind: "at most",
  });
  db.removeCollection("people");
}

function main(): void {
  const options = readOptions();
  const report = new BenchReport("Store reads");
  console.log(`node ${process.version}, ${cpus().length} cpus, load ${loadavg()[0]?.toFixed(1)}`);
  for (const size of options.sizes) {
    sizeSection(report, size, options.lookups, options.runs);
    collectGarbage();
  }
  console.log("\n---- Markdown ----\n");
  console.log(report.markdown());
}

main();
