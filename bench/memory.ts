/**
 * In-memory query benchmarks: perstore's compiled predicates, executeQuery and
 * MemoryStore against a hand-written loop (the floor), sift, mingo, LokiJS, a
 * bare Map and Array.prototype.sort, on the same fixed-seed people, in one
 * process. Every peer must return the same answer, or the run fails.
 *
 *   npx tsx bench/memory.ts [--size 1000000] [--lookups 100000] [--journal 1000] [--quick]
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import Loki from "lokijs";
import { Query as MingoQuery } from "mingo";
import siftModule from "sift";
import { compileQuery, copyRecord, executeQuery, MemoryStore } from "../src/index.js";
import type { ChangeSet, Results } from "../src/index.js";
import { generatePeople, mulberry32, type Person } from "./data.js";
import { measure, measureSync, type MeasureOptions, type Measurement } from "./lib/measure.js";
import { BenchReport, row } from "./lib/report.js";

/** The compound filter of the issue, in perstore's RQL. */
const FILTER = "and(or(eq(name,Smith),ge(age,18)),in(country,(Canada,India)),ne(province,Quebec))";

/** The same filter for sift, mingo and LokiJS, in the order written above. */
const MONGO_FILTER = {
  $and: [
    { $or: [{ name: "Smith" }, { age: { $gte: 18 } }] },
    { country: { $in: ["Canada", "India"] } },
    { province: { $ne: "Quebec" } },
  ],
};

/** LokiJS only uses a binary index for the first term of an `$and`, so country goes first. */
const MONGO_FILTER_COUNTRY_FIRST = {
  $and: [
    { country: { $in: ["Canada", "India"] } },
    { province: { $ne: "Quebec" } },
    { $or: [{ name: "Smith" }, { age: { $gte: 18 } }] },
  ],
};

// sift is CommonJS whose module.exports is the function and also carries it as
// `default`; under NodeNext typings only `.default` is callable.
const sift = siftModule.default;

/** A selective query for the compound index on (country, province): ~0.26% of the records. */
const SELECTIVE = "and(eq(country,Canada),eq(province,Ontario),or(eq(name,Smith),ge(age,18)))";

const SORT_QUERY = "sort(+country,-age)&limit(50,1000)";
const NO_PARAMETERS: readonly unknown[] = [];

type PersonRecord = Person & Record<string, unknown>;

interface Options {
  readonly size: number;
  readonly lookups: number;
  readonly journal: number;
  readonly fast: MeasureOptions;
  readonly slow: MeasureOptions;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "1000000" },
      lookups: { type: "string", default: "100000" },
      journal: { type: "string", default: "1000" },
      quick: { type: "boolean", default: false },
    },
  });
  const quick = values.quick === true;
  return {
    size: Number(values.size),
    lookups: Number(values.lookups),
    journal: Number(values.journal),
    fast: quick ? { warmup: 1, iterations: 3 } : { warmup: 3, iterations: 9 },
    slow: quick ? { warmup: 1, iterations: 1 } : { warmup: 1, iterations: 5 },
  };
}

/** Runs a measurement with a progress line, so a long bench shows where it is. */
function timed<R>(label: string, run: () => R, options: MeasureOptions): Measurement<R> {
  process.stdout.write(`  ${label} ... `);
  const m = measureSync(run, options);
  console.log(`cpu ${m.median.toFixed(2)} ms, wall ${m.wallMedian.toFixed(2)} ms`);
  return m;
}

async function timedAsync<S, R>(
  label: string,
  setup: () => S | Promise<S>,
  run: (state: S) => R | Promise<R>,
  options: MeasureOptions,
): Promise<Measurement<Awaited<R>>> {
  process.stdout.write(`  ${label} ... `);
  const m = await measure(setup, run, options);
  console.log(`cpu ${m.median.toFixed(2)} ms, wall ${m.wallMedian.toFixed(2)} ms`);
  return m;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`bench check failed: ${message}`);
}

function sameCount(label: string, expected: number, actual: unknown): void {
  check(actual === expected, `${label} counted ${String(actual)}, the loop counted ${expected}`);
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The floor: what a developer would write by hand for this one query. */
function handLoop(people: readonly Person[]): number {
  let count = 0;
  for (let i = 0; i < people.length; i++) {
    const r = people[i] as Person;
    if (
      (r.name === "Smith" || r.age >= 18) &&
      (r.country === "Canada" || r.country === "India") &&
      r.province !== "Quebec"
    ) {
      count++;
    }
  }
  return count;
}

function countWith(people: readonly Person[], test: (record: Person) => boolean): number {
  let count = 0;
  for (let i = 0; i < people.length; i++) if (test(people[i] as Person)) count++;
  return count;
}

/** The hand-written comparator for `sort(+country,-age)` with ties by id, as perstore defines it. */
function compareCountryAgeDesc(a: Person, b: Person): number {
  if (a.country !== b.country) return a.country < b.country ? -1 : 1;
  if (a.age !== b.age) return b.age - a.age;
  return a.id - b.id;
}

function ids(records: readonly { id: number }[]): string {
  return records.map((r) => r.id).join(",");
}

function filterSection(
  report: BenchReport,
  people: Person[],
  options: Options,
): { expected: number; compiledMs: number } {
  console.log(`\nfilter: ${FILTER}`);
  const loop = timed("hand-written loop", () => handLoop(people), options.fast);
  const expected = loop.result;
  const { predicate } = compileQuery(FILTER);
  const compiled = timed(
    "perstore compileQuery().predicate",
    () => countWith(people, (r) => predicate(r, NO_PARAMETERS)),
    options.fast,
  );
  sameCount("compiled predicate", expected, compiled.result);
  const counted = timed(
    "perstore executeQuery(count())",
    () => executeQuery(people, `${FILTER}&count()`),
    options.fast,
  );
  sameCount("executeQuery count()", expected, counted.result);
  const executed = timed(
    "perstore executeQuery (records)",
    () => (executeQuery(people, FILTER) as Results<Person>).length,
    options.fast,
  );
  sameCount("executeQuery", expected, executed.result);
  const siftTest = sift<Person>(MONGO_FILTER);
  const siftRun = timed("sift", () => countWith(people, siftTest), options.slow);
  sameCount("sift", expected, siftRun.result);
  const mingoQuery = new MingoQuery<Person>(MONGO_FILTER, {});
  const mingoRun = timed("mingo", () => countWith(people, (r) => mingoQuery.test(r)), options.slow);
  sameCount("mingo", expected, mingoRun.result);

  const base = loop.median;
  report.section(`Compound filter, full scan of ${people.length} records (${expected} match)`, [
    row("hand-written loop (floor)", loop, { baseline: base }),
    row("perstore compileQuery().predicate", compiled, { baseline: base }),
    row("perstore executeQuery(…&count())", counted, { baseline: base }),
    row("perstore executeQuery (result array)", executed, { baseline: base }),
    row("sift", siftRun, { baseline: base }),
    row("mingo (Query.test)", mingoRun, { baseline: base }),
  ]);
  report.target({
    label: "compiled predicate / loop",
    value: compiled.median / base,
    limit: 1.3,
    kind: "at most",
  });
  report.target({
    label: "sift / compiled",
    value: siftRun.median / compiled.median,
    limit: 30,
    kind: "at least",
  });
  report.target({
    label: "mingo / compiled",
    value: mingoRun.median / compiled.median,
    limit: 30,
    kind: "at least",
  });
  return { expected, compiledMs: compiled.median };
}

/** LokiJS adds `$loki` to the objects it stores, so it gets its own (identical) records. */
function lokiSection(
  report: BenchReport,
  options: Options,
  expected: number,
  compiledMs: number,
): Measurement<number> {
  console.log("\nLokiJS");
  const db = new Loki("bench.db");
  const people = db.addCollection<Person>("people", { disableMeta: true });
  const started = performance.now();
  people.insert(generatePeople(options.size));
  console.log(
    `  loaded ${people.count()} records in ${(performance.now() - started).toFixed(0)} ms`,
  );
  const scan = timed("LokiJS find, no index", () => people.count(MONGO_FILTER), options.slow);
  sameCount("LokiJS", expected, scan.result);
  const scanFirst = timed(
    "LokiJS find, no index, country first",
    () => people.count(MONGO_FILTER_COUNTRY_FIRST),
    options.slow,
  );
  sameCount("LokiJS country first", expected, scanFirst.result);
  people.ensureIndex("country");
  const indexed = timed(
    "LokiJS find, binary index on country",
    () => people.count(MONGO_FILTER_COUNTRY_FIRST),
    options.fast,
  );
  sameCount("LokiJS indexed", expected, indexed.result);
  report.section("LokiJS on the same filter (count)", [
    row("LokiJS, no index", scan, {
      baseline: compiledMs,
      note: "ratio vs perstore compiled predicate",
    }),
    row("LokiJS, no index, country term first", scanFirst, { baseline: compiledMs }),
    row("LokiJS, binary index on country", indexed, { baseline: compiledMs }),
  ]);
  report.target({
    label: "LokiJS no index / compiled",
    value: scan.median / compiledMs,
    limit: 10,
    kind: "at least",
  });
  db.removeCollection("people");
  return indexed;
}

function sortSection(
  report: BenchReport,
  people: Person[],
  options: Options,
): Measurement<Person[]> {
  console.log(`\nsort + page: ${SORT_QUERY}`);
  const native = timed(
    "Array.prototype.sort (copy + sort + slice)",
    () => people.slice().sort(compareCountryAgeDesc).slice(1000, 1050),
    options.slow,
  );
  const perstore = timed(
    "perstore executeQuery",
    () => executeQuery(people, SORT_QUERY) as Results<Person>,
    options.slow,
  );
  check(
    ids(perstore.result) === ids(native.result),
    "executeQuery sort page differs from Array.prototype.sort",
  );
  report.section(
    `Sort by two fields + page (offset 1000, limit 50) over ${people.length} records`,
    [
      row("Array.prototype.sort (copy + sort + slice)", native, { baseline: native.median }),
      row("perstore executeQuery", perstore, { baseline: native.median }),
    ],
  );
  report.target({
    label: "executeQuery sort+page / Array.prototype.sort",
    value: perstore.median / native.median,
    limit: 1.5,
    kind: "at most",
  });
  return native;
}

function sampleIds(size: number, count: number): number[] {
  const random = mulberry32(7);
  return Array.from({ length: count }, () => 1 + Math.floor(random() * size));
}

async function storeSection(
  report: BenchReport,
  people: Person[],
  options: Options,
  expected: number,
  lokiIndexed: Measurement,
  sortPage: Measurement<Person[]>,
): Promise<void> {
  console.log("\nMemoryStore");
  let started = performance.now();
  const scanStore = new MemoryStore<PersonRecord>({ data: people as PersonRecord[] });
  console.log(`  loaded a store without indexes in ${(performance.now() - started).toFixed(0)} ms`);
  started = performance.now();
  const store = new MemoryStore<PersonRecord>({
    data: people as PersonRecord[],
    indexes: ["country", { fields: ["email"], unique: true }, { fields: ["country", "province"] }],
  });
  console.log(
    `  loaded a store indexed on country, email and (country, province) in ${(performance.now() - started).toFixed(0)} ms`,
  );

  const scanRecords = timed(
    "store.query, no index (full scan)",
    () => storeLength(scanStore.query(FILTER)),
    options.fast,
  );
  sameCount("MemoryStore full scan", expected, scanRecords.result);
  const indexedRecords = timed(
    "store.query, index on country",
    () => storeLength(store.query(FILTER)),
    options.fast,
  );
  sameCount("MemoryStore indexed", expected, indexedRecords.result);
  const scanCount = timed(
    "store.query count(), no index",
    () => scanStore.query(`${FILTER}&count()`),
    options.fast,
  );
  sameCount("MemoryStore full scan count()", expected, scanCount.result);
  const indexedCount = timed(
    "store.query count(), index on country",
    () => store.query(`${FILTER}&count()`),
    options.fast,
  );
  sameCount("MemoryStore indexed count()", expected, indexedCount.result);
  report.section("MemoryStore: the compound filter with an index on country", [
    row("store.query, no index (full scan), copies of the matches", scanRecords, {
      baseline: scanRecords.median,
    }),
    row("store.query, index on country, copies of the matches", indexedRecords, {
      baseline: scanRecords.median,
    }),
    row("store.query …&count(), no index", scanCount, { baseline: scanCount.median }),
    row("store.query …&count(), index on country", indexedCount, { baseline: scanCount.median }),
    row("LokiJS binary index on country (count)", lokiIndexed, {
      baseline: indexedCount.median,
      note: "ratio vs perstore indexed count()",
    }),
  ]);
  report.target({
    label: "full scan / indexed store.query (records)",
    value: scanRecords.median / indexedRecords.median,
    limit: 50,
    kind: "at least",
  });
  report.target({
    label: "full scan / indexed store.query (count())",
    value: scanCount.median / indexedCount.median,
    limit: 50,
    kind: "at least",
  });

  selectiveSection(report, people, scanStore, store, options);
  lookupSection(report, people, store, options);

  const page = timed(
    "store.query sort + page",
    () => store.query(SORT_QUERY) as Results<Person>,
    options.slow,
  );
  check(
    ids(page.result) === ids(sortPage.result),
    "store.query sort page differs from Array.prototype.sort",
  );
  report.section("MemoryStore sort + page", [
    row("Array.prototype.sort (copy + sort + slice)", sortPage, { baseline: sortPage.median }),
    row("store.query(sort(+country,-age)&limit(50,1000))", page, { baseline: sortPage.median }),
  ]);
}

/**
 * Selective indexed queries, where the index (not the share of records the
 * query keeps) decides the cost: a single country and province on the
 * compound index (~0.26% of the records), and one email on the unique index,
 * each against the same query on the store without those indexes.
 */
function selectiveSection(
  report: BenchReport,
  people: Person[],
  scanStore: MemoryStore<PersonRecord>,
  store: MemoryStore<PersonRecord>,
  options: Options,
): void {
  const expected = countWith(
    people,
    (p) =>
      p.country === "Canada" && p.province === "Ontario" && (p.name === "Smith" || p.age >= 18),
  );
  const scanRecords = timed(
    "selective: store.query, no index (full scan)",
    () => storeLength(scanStore.query(SELECTIVE)),
    options.fast,
  );
  sameCount("selective full scan", expected, scanRecords.result);
  const indexedRecords = timed(
    "selective: store.query, compound index on (country, province)",
    () => storeLength(store.query(SELECTIVE)),
    options.fast,
  );
  sameCount("selective indexed", expected, indexedRecords.result);
  const scanCount = timed(
    "selective: store.query count(), no index",
    () => scanStore.query(`${SELECTIVE}&count()`),
    options.fast,
  );
  sameCount("selective full scan count()", expected, scanCount.result);
  const indexedCount = timed(
    "selective: store.query count(), compound index",
    () => store.query(`${SELECTIVE}&count()`),
    options.fast,
  );
  sameCount("selective indexed count()", expected, indexedCount.result);

  // One email: a full scan per query against many indexed queries per run.
  const emails = sampleIds(people.length, 1000).map((id) => people[id - 1]!.email);
  const scans = 3;
  const byEmail = (target: MemoryStore<PersonRecord>, count: number) => () => {
    let found = 0;
    for (let i = 0; i < count; i++)
      found += target.query("eq(email,$1)&count()", { parameters: [emails[i]] }) as number;
    return found;
  };
  const scanEmail = timed(
    `email: count() by full scan x${scans}`,
    byEmail(scanStore, scans),
    options.fast,
  );
  sameCount("email full scan", scans, scanEmail.result);
  const indexedEmail = timed(
    `email: count() on the unique index x${emails.length}`,
    byEmail(store, emails.length),
    options.fast,
  );
  sameCount("email indexed", emails.length, indexedEmail.result);
  const scanPerQuery = scanEmail.median / scans;
  const indexedPerQuery = indexedEmail.median / emails.length;

  report.section(
    `MemoryStore: selective indexed queries (${expected} match ${SELECTIVE}; one email)`,
    [
      row("country+province: no index (full scan), copies", scanRecords, {
        baseline: scanRecords.median,
      }),
      row("country+province: compound index, copies", indexedRecords, {
        baseline: scanRecords.median,
        note: `${(scanRecords.median / indexedRecords.median).toFixed(0)}x faster`,
      }),
      row("country+province …&count(): no index", scanCount, { baseline: scanCount.median }),
      row("country+province …&count(): compound index", indexedCount, {
        baseline: scanCount.median,
        note: `${(scanCount.median / indexedCount.median).toFixed(0)}x faster`,
      }),
      row("eq(email,$1)&count(): no index (full scan)", scanEmail, { ops: scans }),
      row("eq(email,$1)&count(): unique index", indexedEmail, {
        ops: emails.length,
        note: `${(scanPerQuery / indexedPerQuery).toFixed(0)}x faster per query`,
      }),
    ],
  );
  report.target({
    label: "full scan / indexed store.query, country+province (records)",
    value: scanRecords.median / indexedRecords.median,
    limit: 50,
    kind: "at least",
  });
  report.target({
    label: "full scan / indexed store.query, country+province (count())",
    value: scanCount.median / indexedCount.median,
    limit: 50,
    kind: "at least",
  });
  report.target({
    label: "full scan / indexed eq(email,$1)&count(), per query",
    value: scanPerQuery / indexedPerQuery,
    limit: 50,
    kind: "at least",
  });
}

function storeLength(results: unknown): number {
  return (results as Results<Person>).length;
}

function lookupSection(
  report: BenchReport,
  people: Person[],
  store: MemoryStore<PersonRecord>,
  options: Options,
): void {
  const n = options.lookups;
  console.log(`\nlookups: ${n} per run`);
  const wanted = sampleIds(people.length, n);
  const byId = new Map<number, Person>();
  const byEmail = new Map<string, Person>();
  for (const p of people) {
    byId.set(p.id, p);
    byEmail.set(p.email, p);
  }
  const emails = wanted.map((id) => (byId.get(id) as Person).email);
  const sumAges = (get: (i: number) => Person | undefined) => () => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (get(i) as Person).age;
    return sum;
  };
  const mapGet = timed(
    "Map.get(id)",
    sumAges((i) => byId.get(wanted[i] as number)),
    options.fast,
  );
  const mapCopy = timed(
    "copyRecord(Map.get(id))",
    sumAges((i) => copyRecord(byId.get(wanted[i] as number))),
    options.fast,
  );
  const storeGet = timed(
    "store.get(id)",
    sumAges((i) => store.get(wanted[i] as number)),
    options.fast,
  );
  check(storeGet.result === mapGet.result, "store.get returned other records than the Map");

  const m = Math.max(1, Math.floor(n / 10));
  const sumByEmail = (get: (email: string) => Person | undefined) => () => {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += (get(emails[i] as string) as Person).age;
    return sum;
  };
  const mapEmail = timed(
    `Map.get(email) x${m}`,
    sumByEmail((e) => byEmail.get(e)),
    options.fast,
  );
  const mapEmailCopy = timed(
    `copyRecord(Map.get(email)) x${m}`,
    sumByEmail((e) => copyRecord(byEmail.get(e))),
    options.fast,
  );
  const storeEmail = timed(
    `store.query("eq(email,$1)") x${m}`,
    sumByEmail((e) => (store.query("eq(email,$1)", { parameters: [e] }) as Results<Person>)[0]),
    options.fast,
  );
  check(
    storeEmail.result === mapEmail.result,
    "store.query by email returned other records than the Map",
  );

  report.section(`Point lookups (${n} by id, ${m} by indexed email per run)`, [
    row("Map.get(id)", mapGet, { ops: n, baseline: mapGet.median }),
    row("copyRecord(Map.get(id))", mapCopy, { ops: n, baseline: mapGet.median }),
    row("store.get(id) (returns a copy)", storeGet, {
      ops: n,
      baseline: mapGet.median,
      note: `${(storeGet.median / mapCopy.median).toFixed(2)}x Map + copy`,
    }),
    row("Map.get(email)", mapEmail, { ops: m, baseline: mapEmail.median }),
    row("copyRecord(Map.get(email))", mapEmailCopy, { ops: m, baseline: mapEmail.median }),
    row('store.query("eq(email,$1)") (a copy)', storeEmail, {
      ops: m,
      baseline: mapEmail.median,
      note: `${(storeEmail.median / mapEmailCopy.median).toFixed(2)}x Map + copy`,
    }),
  ]);
  report.target({
    label: "store.get / Map.get (copy included)",
    value: storeGet.median / mapGet.median,
    limit: 2,
    kind: "at most",
  });
  report.target({
    label: "store.get / (Map.get + copyRecord)",
    value: storeGet.median / mapCopy.median,
    limit: 2,
    kind: "at most",
  });
  report.target({
    label: "indexed field lookup / (Map.get + copyRecord)",
    value: storeEmail.median / mapEmailCopy.median,
    limit: 2,
    kind: "at most",
  });
}

/**
 * `reject(n)` and a condensed commit of n journal entries, on stores of two
 * sizes: the cost should follow the journal, not the data. Each run makes n
 * entries first (untimed): a mix of changes, adds and removes.
 */
async function journalSection(
  report: BenchReport,
  people: Person[],
  options: Options,
): Promise<void> {
  const n = options.journal;
  // An untimed pass on a small store first: otherwise the first size measured
  // also pays for JIT-compiling reject/condense (CPU time counts compiler threads).
  const warmUp = Math.min(10_000, people.length);
  const sizes = [...new Set([warmUp, Math.min(100_000, people.length), people.length])];
  const journalRuns: MeasureOptions = { warmup: 3, iterations: 15 };
  const rows = [];
  const rejects: number[] = [];
  const commits: number[] = [];
  /** The next full scan after a reject, over the same scan without one, per size. */
  const deferred: number[] = [];
  for (const size of sizes) {
    console.log(`\njournal: ${n} entries on ${size} records`);
    let written = 0;
    const store = new MemoryStore<PersonRecord>({
      data: (size === people.length ? people : people.slice(0, size)) as PersonRecord[],
      indexes: ["country", { fields: ["email"], unique: true }],
      channel: {
        write: async (changeSet: ChangeSet<PersonRecord>) => {
          written += changeSet.changes.length;
        },
      },
    });
    let nextId = size + 1;
    const random = mulberry32(size);
    // One entry each: n/4 adds, n/4 removes, n/2 changes (records already gone are added back).
    const makeEntries = async () => {
      for (let i = 0; i < n; i++) {
        if (i % 4 === 0) {
          const id = nextId++;
          const source = people[id % size] as Person;
          await store.add({ ...source, id, email: `new.${id}@example.com` } as PersonRecord);
          continue;
        }
        const id = 1 + Math.floor(random() * size);
        const current = await store.get(id);
        if (current === undefined) await store.add(copyRecord(people[id - 1] as PersonRecord));
        else if (i % 4 === 1) await store.delete(id);
        else await store.put({ ...current, score: Math.round(random() * 10000) / 100 });
      }
      return store.journal.length;
    };
    const reject = await timedAsync(
      `reject(${n})`,
      makeEntries,
      (entries) => {
        check(entries === n, `expected ${n} journal entries, found ${entries}`);
        store.reject(n);
        return store.journal.length;
      },
      journalRuns,
    );
    check(reject.result === 0, "reject left journal entries");
    const commit = await timedAsync(
      'commit({ mode: "condensed" })',
      makeEntries,
      async () => {
        written = 0;
        await store.commit({ mode: "condensed" });
        return written;
      },
      journalRuns,
    );
    check(commit.result > 0, "the condensed commit wrote nothing to the channel");
    collectGarbage();
    if (size === warmUp && sizes.length > 1) continue;
    rejects.push(reject.median);
    commits.push(commit.median);
    rows.push(row(`reject(${n}) on ${size} records`, reject, { ops: n, baseline: rejects[0] }));
    rows.push(
      row(`commit condensed, ${n} entries, ${size} records`, commit, {
        ops: n,
        baseline: commits[0],
      }),
    );
    // What a reject may leave for later: the next full scan pays for it.
    // No indexed field in it, so the store walks every record in natural order.
    const countQuery = "and(or(eq(name,Smith),ge(age,18)),ne(province,Quebec))&count()";
    const scan = await timedAsync(
      "full-scan count() (no indexed term)",
      () => undefined,
      () => store.query(countQuery),
      options.slow,
    );
    const afterReject = await timedAsync(
      `full-scan count() right after reject(${n})`,
      async () => {
        await makeEntries();
        store.reject(n);
      },
      () => store.query(countQuery),
      options.slow,
    );
    check(afterReject.result === scan.result, "a query after reject counted other records");
    deferred.push(afterReject.median / scan.median);
    rows.push(row(`query …&count() on ${size} records`, scan, { baseline: scan.median }));
    rows.push(
      row(`the same query right after reject(${n})`, afterReject, {
        baseline: scan.median,
        note: "ratio vs the same query without a reject before it",
      }),
    );
  }
  report.section(`Journal: ${n} entries as the data grows (ratio vs the smallest store)`, rows);
  if (rejects.length > 1) {
    const last = rejects.length - 1;
    const measured = sizes.slice(-rejects.length);
    report.target({
      label: `reject time ${measured[last]} / ${measured[0]} records (own bound: flat)`,
      value: (rejects[last] as number) / (rejects[0] as number),
      limit: 2,
      kind: "at most",
    });
    // A difference of two near-equal scans is noise; the ratio says whether reject left work behind.
    report.target({
      label: `scan right after reject(${n}) / scan without, ${measured[last]} records (own bound: nothing left for later)`,
      value: deferred[deferred.length - 1] as number,
      limit: 1.25,
      kind: "at most",
    });
    report.target({
      label: `condensed commit time ${measured[last]} / ${measured[0]} records (own bound: flat)`,
      value: (commits[last] as number) / (commits[0] as number),
      limit: 2,
      kind: "at most",
    });
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  const report = new BenchReport("In-memory queries");
  console.log(
    `node ${process.version}, ${cpus().length} cpus, load ${loadavg()[0]?.toFixed(1)}, ${options.size} people`,
  );
  const started = performance.now();
  const people = generatePeople(options.size);
  console.log(`generated in ${(performance.now() - started).toFixed(0)} ms`);

  const { expected, compiledMs } = filterSection(report, people, options);
  const sortPage = sortSection(report, people, options);
  collectGarbage();
  const lokiIndexed = lokiSection(report, options, expected, compiledMs);
  collectGarbage();
  await storeSection(report, people, options, expected, lokiIndexed, sortPage);
  collectGarbage();
  await journalSection(report, people, options);

  console.log("\n---- Markdown ----\n");
  console.log(report.markdown());
  console.log(
    `\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s; targets ${report.allMet ? "all met" : "NOT all met"}`,
  );
}

await main();
