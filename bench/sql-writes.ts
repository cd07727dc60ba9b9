/**
 * SQL writes against raw Kysely (issue 13), on the same ten-column `person`
 * table (text, integer, double, timestamptz, text[] and boolean columns) and
 * the same fixed-seed people, on PGlite in memory and on the server named by
 * DATABASE_URL when set. Each side writes its own copy of the table (two
 * schemas in one database); the two copies must hold the same rows after
 * every case, or the run fails.
 *
 * - bulk insert: `--size` people in batches of 1,000, through `SqlStore.insert`
 *   and through `applyChangeSet` (adds), against Kysely's multi-row
 *   `insertInto().values(batch)`;
 * - single-row updates: `--updates` changed people in one transaction, each
 *   `store.put` (the whole record) or `store.patch` (three fields), against
 *   `updateTable().set(...).where("id", "=", id)` per row;
 * - the batched channel: `--changes` condensed changes of three fields
 *   through `sqlChannel(store).write` against ONE hand-written
 *   `UPDATE ... FROM (VALUES ...)`.
 *
 * Runs alternate between the two sides (after one untimed run each), so load
 * and caches favour neither. Times are medians; ratios are given by CPU time
 * of this process (PGlite runs in it, so its CPU is the whole cost) and by
 * wall time (the PostgreSQL server's work is not in this process).
 *
 *   npx tsx bench/sql-writes.ts [--size 100000] [--updates 10000] [--changes 10000] [--runs 3]
 *                               [--targets pglite,postgres]
 */
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { sql, type Kysely } from "kysely";
import { openDatabase } from "../src/store/sql/open-database.js";
import { sqlChannel } from "../src/store/sql/sql-channel.js";
import { SqlStore } from "../src/store/sql/sql-store.js";
import type { Change } from "../src/store/types.js";
import { generatePeople, mulberry32 } from "./data.js";
import {
  createPersonTable,
  personRecord,
  personSpec,
  type PersonRecord,
} from "./lib/person-table.js";
import { formatDuration, formatRatio } from "./lib/report.js";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "100000" },
    updates: { type: "string", default: "10000" },
    changes: { type: "string", default: "10000" },
    runs: { type: "string", default: "3" },
    // Which databases: PGlite in memory, and the server named by DATABASE_URL (when set).
    targets: { type: "string", default: "pglite,postgres" },
    // Options `npm run bench -- ...` hands every bench: --quick runs less.
    quick: { type: "boolean", default: false },
    sizes: { type: "string" },
    lookups: { type: "string" },
    journal: { type: "string" },
    ops: { type: "string" },
    gets: { type: "string" },
  },
});
const SIZE = values.quick ? 20_000 : Number(values.size);
const UPDATES = Math.min(SIZE, values.quick ? 2_000 : Number(values.updates));
const CHANGES = Math.min(SIZE, values.quick ? 2_000 : Number(values.changes));
const RUNS = values.quick ? 1 : Number(values.runs);
const BATCH = 1000;

/** A person as a record: date-times are ISO strings, as JSON Schema's `format: date-time` declares. */
type Row = PersonRecord;

interface Timing {
  readonly cpu: number;
  readonly wall: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(run: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall };
}

/**
 * Runs every side once untimed, then RUNS rounds in which each side runs
 * once, in turn (`before` is untimed set-up for each run); medians in ms.
 */
async function alternate(
  sides: readonly (() => Promise<unknown>)[],
  before: () => Promise<unknown> = async () => {},
): Promise<Timing[]> {
  for (const side of sides) {
    await before();
    await side();
  }
  const samples = sides.map(() => ({ cpu: [] as number[], wall: [] as number[] }));
  for (let round = 0; round < RUNS; round++) {
    for (let i = 0; i < sides.length; i++) {
      await before();
      globalThis.gc?.();
      const t = await timed(sides[i]!);
      samples[i]!.cpu.push(t.cpu);
      samples[i]!.wall.push(t.wall);
    }
  }
  return samples.map((s) => ({ cpu: median(s.cpu), wall: median(s.wall) }));
}

/** A digest of a table's rows in id order: both sides must leave the same one. */
async function digest(db: Kysely<any>, schema: string): Promise<string> {
  const { rows } = await sql<{
    digest: string;
    n: string;
  }>`select md5(string_agg(t::text, '|' order by t.id)) as digest, count(*) as n from ${sql.id(schema, "person")} t`.execute(
    db,
  );
  return `${rows[0]!.n}:${rows[0]!.digest}`;
}

async function bench(target: string, url: string): Promise<string[]> {
  const db: Kysely<any> = openDatabase(url);
  const storeSchema = `bench_writes_store_${process.pid}`;
  const rawSchema = `bench_writes_raw_${process.pid}`;
  const lines: string[] = [];
  const line = (what: string, store: Timing, raw: Timing, peer: string) => {
    const text = `| ${target} | ${what} | ${formatDuration(store.cpu)} / ${formatDuration(store.wall)} | ${peer}: ${formatDuration(raw.cpu)} / ${formatDuration(raw.wall)} | ${formatRatio(store.cpu / raw.cpu)} | ${formatRatio(store.wall / raw.wall)} |`;
    // Printed as it comes (a long run shows progress), and again in the table at the end.
    console.error(text);
    lines.push(text);
  };
  const same = async (what: string) => {
    const [a, b] = [await digest(db, storeSchema), await digest(db, rawSchema)];
    if (a !== b)
      throw new Error(`bench check failed: ${what}: the two tables differ (${a} / ${b})`);
  };
  try {
    for (const schema of [storeSchema, rawSchema]) {
      await sql`create schema ${sql.id(schema)}`.execute(db);
      await createPersonTable(db, schema);
    }
    const raw = db.withSchema(rawSchema);
    const store = new SqlStore<Row>({ db, table: personSpec, schema: storeSchema });
    const people: Row[] = generatePeople(SIZE).map(personRecord);
    const batches: Row[][] = [];
    for (let i = 0; i < people.length; i += BATCH) batches.push(people.slice(i, i + BATCH));
    const truncate = async () => {
      await sql`truncate ${sql.id(storeSchema, "person")}`.execute(db);
      await sql`truncate ${sql.id(rawSchema, "person")}`.execute(db);
    };

    // 1. Bulk insert in batches of 1,000.
    const rawInsert = async () => {
      for (const batch of batches) await raw.insertInto("person").values(batch).execute();
    };
    const storeInsert = async () => {
      for (const batch of batches) await store.insert(batch);
    };
    const channelInsert = async () => {
      for (const batch of batches)
        await store.applyChangeSet({
          mode: "update",
          changes: batch.map((record) => ({ type: "add", id: record.id, record })),
        });
    };
    const [insertRaw, insertStore, insertChannel] = await alternate(
      [rawInsert, storeInsert, channelInsert],
      truncate,
    );
    // The last run was applyChangeSet: load the raw side again to compare the tables.
    await sql`truncate ${sql.id(rawSchema, "person")}`.execute(db);
    await rawInsert();
    await same("bulk insert");
    const what = `insert ${SIZE.toLocaleString("en")} in batches of ${BATCH}`;
    line(`${what}: \`store.insert(batch)\``, insertStore!, insertRaw!, "multi-row INSERT");
    line(`${what}: \`applyChangeSet\` (adds)`, insertChannel!, insertRaw!, "multi-row INSERT");

    // 2. Single-row updates in one transaction.
    const random = mulberry32(13);
    const picked = new Set<number>();
    while (picked.size < UPDATES) picked.add(1 + Math.floor(random() * SIZE));
    const ids = [...picked];
    const changed: Row[] = ids.map((id) => {
      const p = people[id - 1]!;
      return {
        ...p,
        age: (p.age + 1) % 100,
        score: p.score + 0.5,
        province: `${p.province}*`,
        tags: [...p.tags, "updated"],
      };
    });
    const { id: _id, ...firstSet } = changed[0]!;
    void _id;
    const rawPut = () =>
      db.transaction().execute(async (trx) => {
        for (const { id, ...set } of changed)
          await trx
            .withSchema(rawSchema)
            .updateTable("person")
            .set(set)
            .where("id", "=", id)
            .execute();
      });
    const storePut = () =>
      store.transaction(async (tx) => {
        for (const record of changed) await tx.put(record);
      });
    const [putRaw, putStore] = await alternate([rawPut, storePut]);
    await same("put");
    line(
      `${UPDATES.toLocaleString("en")} updates in one transaction: \`put\` (${Object.keys(firstSet).length} columns)`,
      putStore!,
      putRaw!,
      "UPDATE ... SET all WHERE id",
    );

    const patches = changed.map((p) => ({
      id: p.id,
      changes: { age: (p.age + 7) % 100, score: p.score + 1, tags: [...p.tags, "patched"] },
    }));
    const rawPatch = () =>
      db.transaction().execute(async (trx) => {
        for (const { id, changes } of patches)
          await trx
            .withSchema(rawSchema)
            .updateTable("person")
            .set(changes)
            .where("id", "=", id)
            .execute();
      });
    const storePatch = () =>
      store.transaction(async (tx) => {
        for (const { id, changes } of patches) await tx.patch(id, changes);
      });
    const [patchRaw, patchStore] = await alternate([rawPatch, storePatch]);
    await same("patch");
    line(
      `${UPDATES.toLocaleString("en")} updates in one transaction: \`patch\` (3 columns)`,
      patchStore!,
      patchRaw!,
      "UPDATE ... SET 3 WHERE id",
    );

    // 3. Condensed changes through the batched channel vs one hand-written statement.
    const channel = sqlChannel(store);
    const changeIds = ids.slice(0, CHANGES);
    // Each change's record is the whole record as the memory store holds it (put, then patched).
    const current = new Map(changed.map((p, i) => [p.id, { ...p, ...patches[i]!.changes }]));
    const changeRows = changeIds.map((id) => {
      const p = current.get(id)!;
      return { ...p, age: (p.age + 3) % 100, score: p.score + 2, tags: [...p.tags, "changed"] };
    });
    const changeSet = {
      mode: "condensed" as const,
      changes: changeRows.map((record): Change<Row> => ({
        type: "change",
        id: record.id,
        changes: { age: record.age, score: record.score, tags: record.tags },
        record,
      })),
    };
    const rawChanges = async () => {
      const rows = changeRows.map(
        (r) =>
          sql`(${r.id}::bigint, ${r.age}::integer, ${r.score}::double precision, ${r.tags}::text[])`,
      );
      await db
        .transaction()
        .execute((trx) =>
          sql`update ${sql.id(rawSchema, "person")} as t set age = v.age, score = v.score, tags = v.tags from (values ${sql.join(rows)}) as v(id, age, score, tags) where t.id = v.id`.execute(
            trx,
          ),
        );
    };
    const storeChanges = () => channel.write(changeSet, "condensed");
    const [changesRaw, changesStore] = await alternate([rawChanges, storeChanges]);
    await same("change set");
    line(
      `${CHANGES.toLocaleString("en")} condensed changes (3 fields): \`sqlChannel(store).write\``,
      changesStore!,
      changesRaw!,
      "one UPDATE ... FROM (VALUES ...)",
    );
  } finally {
    for (const schema of [storeSchema, rawSchema])
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    await db.destroy();
  }
  return lines;
}

const lines = [
  "| database | case | SqlStore cpu / wall | raw Kysely cpu / wall | ratio (cpu) | ratio (wall) |",
  "| --- | --- | --- | --- | --- | --- |",
];
const targets = values.targets.split(",");
if (targets.includes("pglite")) lines.push(...(await bench("PGlite", "memory:")));
if (targets.includes("postgres") && process.env.DATABASE_URL)
  lines.push(...(await bench("PostgreSQL", process.env.DATABASE_URL)));
console.log(lines.join("\n"));
