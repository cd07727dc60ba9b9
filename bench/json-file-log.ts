/**
 * Durable writes on the JSON-file store (issue 12): the log format against
 * SQLite (better-sqlite3, WAL, synchronous=FULL, one row per transaction: the
 * durable single-file anchor) and the whole-file format, at several store
 * sizes, in one run side by side. Every put is durable (fsync before it
 * resolves). Also: open time of the log against `JSON.parse` of the same
 * data, and the file's size after compaction against the plain JSON.
 *
 *   npx tsx bench/json-file-log.ts [--sizes 10000,100000,1000000] [--puts 200] [--whole-cap 100000]
 *
 * better-sqlite3 is not a devDependency: without network for its prebuilt
 * binary it compiles SQLite on install (minutes on 2 cores, for every
 * `npm ci`). Install it for this comparison with
 * `npm install --no-save better-sqlite3@12`; without it the SQLite rows are
 * skipped and the run says so.
 *
 * Latencies are wall time per put (p50/p99): a durable put waits for the disk,
 * not the CPU. Open and parse times are CPU time (median of 5; run with
 * --expose-gc to collect garbage before each), which a loaded machine sways less. Throughput is puts per second of wall time. With 16 writers,
 * 16 loops in one process put concurrently; the log group-commits them (one
 * append + one fsync per batch). better-sqlite3 is synchronous, so its 16
 * "writers" still commit one transaction (one fsync) at a time.
 */
import { execFileSync } from "node:child_process";
import { copyFile, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type BetterSqlite3 from "better-sqlite3";
import { JsonFileStore, convertJsonFileToLog } from "../src/index.js";
import { encodeRecords } from "../src/store/json-file/json-codec.js";
import { generatePeople, mulberry32, type Person } from "./data.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000,1000000" },
    puts: { type: "string", default: "200" },
    "whole-cap": { type: "string", default: "100000" },
  },
});
const SIZES = values.sizes.split(",").map(Number);
const PUTS = Number(values.puts);
const WHOLE_CAP = Number(values["whole-cap"]);
const WRITERS = 16;

/** The SQLite peer when better-sqlite3 is installed (see above), else undefined. */
const Database = await import("better-sqlite3").then(
  (module) => module.default as typeof BetterSqlite3,
  () => {
    console.log(
      "SQLite rows skipped: better-sqlite3 is not installed (npm install --no-save better-sqlite3@12)",
    );
    return undefined;
  },
);

interface Run {
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
  readonly puts: number;
}

/** Runs `puts` calls of `put` from `writers` concurrent loops; latency of each, throughput of all. */
async function run(
  writers: number,
  puts: number,
  put: (i: number) => unknown | Promise<unknown>,
): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (;;) {
        const i = next++;
        if (i >= puts) return;
        const t = performance.now();
        await put(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99), perSecond: (puts / elapsed) * 1000, puts };
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median CPU time (user + system, ms) of `times` runs: steadier than wall time on a shared machine. */
async function timed(fn: () => unknown | Promise<unknown>, times: number): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < times; i++) {
    globalThis.gc?.();
    const t = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(t);
    runs.push((used.user + used.system) / 1000);
  }
  return medianOf(runs);
}

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const rows: string[] = [];
const opens: string[] = [];
const summary: Record<string, Record<string, Run>> = {};

function record(size: number, store: string, writers: number, result: Run | string): void {
  const key = `${size}`;
  summary[key] ??= {};
  if (typeof result !== "string") summary[key][`${store}/${writers}`] = result;
  const cells =
    typeof result === "string"
      ? [result, "", "", ""]
      : [ms(result.p50), ms(result.p99), result.perSecond.toFixed(0), String(result.puts)];
  const line = `| ${size.toLocaleString("en")} | ${store} | ${writers} | ${cells.join(" | ")} |`;
  rows.push(line);
  console.log(line);
}

/** A changed copy of person `id`, as a put would send it. */
function changed(people: Person[], random: () => number, i: number): Person {
  const base = people[Math.floor(random() * people.length)]!;
  return { ...base, score: i, active: !base.active };
}

/** SQLite: WAL, synchronous=FULL, one row per transaction (autocommit). */
async function sqliteRuns(
  Database: typeof BetterSqlite3,
  dir: string,
  size: number,
  people: Person[],
  random: () => number,
): Promise<void> {
  const dbPath = join(dir, `sqlite-${size}.db`);
  const db = new Database(dbPath);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("create table people (id integer primary key, doc text not null)");
  const insert = db.prepare("insert or replace into people (id, doc) values (?, ?)");
  db.transaction(() => {
    for (const p of people) insert.run(p.id, JSON.stringify(p));
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  execFileSync("sync");
  const sqlitePut = (i: number) => {
    const p = changed(people, random, i);
    insert.run(p.id, JSON.stringify(p));
  };
  sqlitePut(-1);
  record(size, "SQLite", 1, await run(1, PUTS, sqlitePut));
  record(
    size,
    "SQLite",
    WRITERS,
    await run(WRITERS, PUTS * 2, async (i) => {
      await null; // 16 loops interleave, but each insert is synchronous: one commit at a time
      sqlitePut(i);
    }),
  );
  const count = (db.prepare("select count(*) as n from people").get() as { n: number }).n;
  if (count !== size) throw new Error(`SQLite holds ${count} rows, expected ${size}`);
  db.close();
}

async function benchSize(size: number, dir: string): Promise<void> {
  const people = generatePeople(size);
  const random = mulberry32(size);
  const plain = encodeRecords(people);
  const wholePath = join(dir, `whole-${size}.json`);
  const logPath = join(dir, `log-${size}.jsonl`);
  await writeFile(wholePath, plain);
  await copyFile(wholePath, logPath);
  await convertJsonFileToLog(logPath);
  // Flush the setup's writes now, so their writeback does not slow the first measured fsyncs.
  execFileSync("sync");

  // Open time against JSON.parse of the same text, and the compacted file's size against the plain JSON.
  const times = size >= 1_000_000 ? 3 : 5;
  const parse = await timed(() => JSON.parse(plain), times);
  const open = await timed(() => new JsonFileStore<Person>({ path: logPath }).open(), times);
  const log = await new JsonFileStore<Person>({ path: logPath }).open();
  const compactStart = performance.now();
  await log.compact();
  const compactMs = performance.now() - compactStart; // wall time: it runs beside writers
  const logBytes = (await stat(logPath)).size;
  const plainBytes = Buffer.byteLength(plain);
  const line = `| ${size.toLocaleString("en")} | ${ms(parse)} | ${ms(open)} | ${(open / parse).toFixed(2)}x | ${(plainBytes / 1e6).toFixed(1)} MB | ${(logBytes / 1e6).toFixed(1)} MB | ${(logBytes / plainBytes).toFixed(3)}x | ${ms(compactMs)} |`;
  opens.push(line);
  console.log(line);

  execFileSync("sync");
  // The log, durable (fsync), 1 and 16 writers.
  await log.put(changed(people, random, -1)); // warm-up
  record(size, "log", 1, await run(1, PUTS, (i) => log.put(changed(people, random, i))));
  record(
    size,
    "log",
    WRITERS,
    await run(WRITERS, PUTS * 2, (i) => log.put(changed(people, random, i))),
  );

  // SQLite: WAL, synchronous=FULL, one row per transaction (autocommit).
  if (Database) await sqliteRuns(Database, dir, size, people, random);

  // Today's whole-file store: every put rewrites the whole file.
  if (size <= WHOLE_CAP) {
    const whole = await new JsonFileStore<Person>({ path: wholePath, format: "json" }).open();
    execFileSync("sync");
    const puts = Math.max(8, Math.min(PUTS, Math.round(2e5 / size)));
    record(size, "whole file", 1, await run(1, puts, (i) => whole.put(changed(people, random, i))));
    record(
      size,
      "whole file",
      WRITERS,
      await run(WRITERS, WRITERS, (i) => whole.put(changed(people, random, i))),
    );
  } else {
    record(
      size,
      "whole file",
      1,
      `not run (cap ${WHOLE_CAP.toLocaleString("en")}: each put rewrites ~${(plainBytes / 1e6).toFixed(0)} MB)`,
    );
  }

  // Every write is there when the log is read back.
  const reread = await new JsonFileStore<Person>({ path: logPath }).open();
  const total = (await reread.query("count()")) as number;
  if (total !== size) throw new Error(`the log holds ${total} records, expected ${size}`);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "perstore-bench-log-"));
  console.log(
    `Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}, files in ${dir}`,
  );
  console.log("\n| records | store | writers | p50 ms | p99 ms | puts/s | puts |");
  console.log("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
  try {
    for (const size of SIZES) await benchSize(size, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log("\n## Put latency and throughput (durable)\n");
  console.log("| records | store | writers | p50 ms | p99 ms | puts/s | puts |");
  console.log("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const line of rows) console.log(line);
  console.log("\n## Open and size\n");
  console.log(
    "| records | JSON.parse ms (CPU) | log open ms (CPU) | open / parse | plain JSON | log after compaction | log / plain | compact() ms (wall) |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const line of opens) console.log(line);
  const small = summary[String(SIZES[0])]?.["log/1"];
  const large = summary[String(SIZES.at(-1))]?.["log/1"];
  const mid = summary["100000"];
  console.log("\n## Targets\n");
  if (small && large)
    console.log(
      `- log put p50 at ${SIZES.at(-1)} / at ${SIZES[0]}: ${(large.p50 / small.p50).toFixed(2)}x (target at most 1.5x)`,
    );
  if (mid?.["log/1"] && mid["SQLite/1"])
    console.log(
      `- log put p50 / SQLite at 100,000: ${(mid["log/1"].p50 / mid["SQLite/1"].p50).toFixed(2)}x (target at most 1.5x)`,
    );
}

await main();
