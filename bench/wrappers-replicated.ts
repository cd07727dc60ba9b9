/**
 * Replicated bench: what each replica adds to a write. For replicas of one
 * kind (memory, then SqlStore on PGlite), `put` of N records through
 * replicated(primary, replicas) with 0, 1 and 2 replicas, against the
 * replica's own `put` of the same records. Target: each replica adds at most
 * its own write cost (added cost per replica / replica put <= 1.0x).
 * The primary is a MemoryStore in every case; every replica must end up
 * holding exactly the primary's records.
 *
 *   npx tsx bench/wrappers-replicated.ts [--writes 20000] [--quick]
 */
import { parseArgs } from "node:util";
import { sql, type Kysely } from "kysely";
import { MemoryStore } from "../src/store/memory/memory-store.js";
import { openDatabase } from "../src/store/sql/open-database.js";
import { SqlStore } from "../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../src/store/sql/table-spec.js";
import type { Results, Store } from "../src/store/types.js";
import { replicated } from "../src/wrappers/replicated/replicated.js";
import { measure, type Measurement, type MeasureOptions } from "./lib/measure.js";
import { BenchReport, row } from "./lib/report.js";

interface Row {
  id: string;
  name: string;
  n: number;
}

const { values } = parseArgs({
  options: { writes: { type: "string", default: "20000" }, quick: { type: "boolean" } },
});
const WRITES = Number(values.writes);
/** PGlite writes cost ~100x more: fewer of them keep a run short. */
const SQL_WRITES = Math.max(1, Math.floor(WRITES / 20));
const RUNS: MeasureOptions = values.quick
  ? { warmup: 1, iterations: 3 }
  : { warmup: 2, iterations: 7 };

const rows = (count: number): Row[] =>
  Array.from({ length: count }, (_, i) => ({ id: `r${i}`, name: `row ${i}`, n: i }));

async function putAll(store: Store<Row>, records: readonly Row[]): Promise<number> {
  for (const r of records) await store.put!(r);
  return records.length;
}

/** A kind of replica: how to make a fresh empty one, and release them all. */
interface Kind {
  readonly name: string;
  readonly writes: number;
  make(): Promise<Store<Row>>;
  close(): Promise<void>;
}

const memoryKind: Kind = {
  name: "MemoryStore",
  writes: WRITES,
  make: async () => new MemoryStore<Row>(),
  close: async () => undefined,
};

function pgliteKind(): Kind {
  const db: Kysely<any> = openDatabase("memory:");
  let tables = 0;
  return {
    name: "SqlStore (PGlite)",
    writes: SQL_WRITES,
    async make() {
      const name = `bench_replica_${++tables}`;
      await sql`create table ${sql.id(name)} (id text primary key, name text not null, n integer not null)`.execute(
        db,
      );
      const table: SqlTableSpec = {
        table: name,
        primaryKey: "id",
        columns: [
          { name: "id", type: "string", sqlType: "text", nullable: false },
          { name: "name", type: "string", sqlType: "text", nullable: false },
          { name: "n", type: "integer", sqlType: "integer", nullable: false },
        ],
      };
      return new SqlStore<Row>({ db, table });
    },
    close: () => db.destroy(),
  };
}

const all = async (store: Store<Row>) =>
  JSON.stringify([...((await store.query!("sort(+id)")) as Results<Row>)]);

const report = new BenchReport("replicated");
for (const kind of [memoryKind, pgliteKind()]) {
  const records = rows(kind.writes);
  const time = (replicaCount: number | "alone"): Promise<Measurement<number>> => {
    let last: { store: Store<Row>; replicas: Store<Row>[] } | undefined;
    return measure(
      async () => {
        if (replicaCount === "alone") return (last = { store: await kind.make(), replicas: [] });
        const replicas = await Promise.all(Array.from({ length: replicaCount }, () => kind.make()));
        return (last = { store: replicated(new MemoryStore<Row>(), replicas), replicas });
      },
      (s) => putAll(s.store, records),
      RUNS,
    ).then(async (m) => {
      const expected = await all(last!.store);
      for (const replica of last!.replicas)
        if ((await all(replica)) !== expected) throw new Error(`a ${kind.name} replica differs`);
      return m;
    });
  };
  const own = await time("alone");
  const none = await time(0);
  const one = await time(1);
  const two = await time(2);
  const perReplica = (two.median - none.median) / 2;
  report.section(`put of ${kind.writes} records, replicas: ${kind.name} (primary: MemoryStore)`, [
    row(`${kind.name}.put alone (a replica's own write cost)`, own, {
      ops: kind.writes,
      baseline: own.median,
    }),
    row("replicated(primary, [])", none, { ops: kind.writes, baseline: own.median }),
    row("replicated(primary, [1 replica])", one, { ops: kind.writes, baseline: own.median }),
    row("replicated(primary, [2 replicas])", two, { ops: kind.writes, baseline: own.median }),
  ]);
  report.target({
    label: `cost each ${kind.name} replica adds / its own put`,
    value: perReplica / own.median,
    limit: 1,
    kind: "at most",
  });
  await kind.close();
}

console.log(`\n${report.markdown()}`);
if (!report.allMet) process.exitCode = 1;
