/**
 * Torture: the store's PostgreSQL connections terminated at random moments
 * (`pg_terminate_backend` from another session) while condensed commits
 * through the SQL channel and multi-statement transactions run, in a loop.
 * Every round must end all-or-nothing: the table holds either everything the
 * commit wrote or nothing of it (nothing, unless the error says the outcome
 * is unknown because the connection died while committing); the only errors
 * are PerstoreErrors; the process survives; a retry then commits. Server
 * only (DATABASE_URL). TORTURE_SCALE (default 1) multiplies the rounds; the
 * figures are printed.
 */
import { isDeepStrictEqual } from "node:util";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerstoreError } from "../../src/errors/index.js";
import { MemoryStore } from "../../src/store/memory/memory-store.js";
import { openDatabase } from "../../src/store/sql/open-database.js";
import { sqlChannel } from "../../src/store/sql/sql-channel.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../src/store/sql/table-spec.js";
import type { Results } from "../../src/store/types.js";
import { applicationName, BackendKiller, serverUrl } from "../store/sql/backend-killer.js";
import { createTable } from "../store/sql/sql-test-db.js";

const SCALE = Math.max(1, Number(process.env.TORTURE_SCALE ?? 1) || 1);
const ROUNDS = 12 * SCALE;
/** Records touched per round: enough that a commit takes a few statements' time. */
const BATCH = 150;

interface Row {
  id: string;
  n: number | null;
  label: string | null;
}

const spec: SqlTableSpec = {
  table: "killed",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "text", nullable: false },
    { name: "n", type: "number", sqlType: "double precision", nullable: true },
    { name: "label", type: "string", sqlType: "text", nullable: true },
  ],
};

const name = applicationName("killed");
const url = serverUrl(name);

/** A seeded generator, so a failing round can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe.skipIf(url === undefined)(
  "connections killed mid-commit (server only: set DATABASE_URL to run)",
  () => {
    let db: Kysely<any>;
    let killer: BackendKiller;
    let store: SqlStore<Row>;
    const schema = `killed_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const figures = {
      rounds: 0,
      killsLanded: 0,
      committedAnyway: 0,
      outcomeUnknown: 0,
      retries: 0,
      partial: 0,
      otherErrors: [] as string[],
    };

    beforeAll(async () => {
      db = openDatabase(url!);
      await sql`create schema ${sql.id(schema)}`.execute(db);
      await createTable(db, schema, spec);
      store = new SqlStore<Row>({ db, table: spec, schema });
      killer = await BackendKiller.open(process.env.DATABASE_URL!, name);
    });
    afterAll(async () => {
      console.info(
        `sql-killed-connection: ${figures.rounds} rounds, ${figures.killsLanded} failed by a kill, ${figures.committedAnyway} committed before the kill, ${figures.outcomeUnknown} with an unknown outcome, ${figures.retries} retries, ${figures.partial} partial writes, ${figures.otherErrors.length} non-PerstoreErrors`,
      );
      await killer?.close();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
      await db.destroy();
    });

    const rows = async () => [...((await store.query("sort(+id)")) as Results<Row>)];

    /** Runs `write` while another session kills the store's connections after a random pause. */
    const underFire = async (seed: number, write: () => Promise<unknown>) => {
      const next = random(seed);
      const pause = Math.floor(next() * 12);
      const kill = new Promise((resolve) => setTimeout(resolve, pause)).then(() => killer.kill());
      const outcome = await write().then(
        () => undefined,
        (error: unknown) => error,
      );
      await kill;
      if (outcome !== undefined && !(outcome instanceof PerstoreError))
        figures.otherErrors.push(String(outcome));
      return outcome as PerstoreError | undefined;
    };

    /** All or nothing: the table is `before` or `after` (`after` only when allowed). */
    const checkAllOrNothing = (
      now: readonly Row[],
      before: readonly Row[],
      after: readonly Row[],
      error: PerstoreError | undefined,
    ) => {
      if (error === undefined) {
        if (!isDeepStrictEqual(now, after)) figures.partial++;
        return;
      }
      figures.killsLanded++;
      const unknown = error.details?.outcome === "unknown";
      if (unknown) figures.outcomeUnknown++;
      if (isDeepStrictEqual(now, before)) return;
      if (unknown && isDeepStrictEqual(now, after)) {
        figures.committedAnyway++;
        return;
      }
      figures.partial++;
    };

    it(
      "condensed commits through the SQL channel are all or nothing, and a retry commits",
      async () => {
        const memory = new MemoryStore<Row>({ channel: sqlChannel(store) });
        await memory.load();
        for (let round = 0; round < ROUNDS; round++) {
          figures.rounds++;
          const next = random(round + 1);
          for (let i = 0; i < BATCH; i++) {
            const id = `r${Math.floor(next() * BATCH * 2)}`;
            const choice = next();
            if (choice < 0.6) memory.put({ id, n: round, label: `${round}:${i}` });
            else if (choice < 0.8 && memory.get(id)) memory.update({ n: -1 - round }, `id=${id}`);
            else memory.delete(id);
          }
          const before = await rows();
          const wanted = [...memory.find("sort(+id)")];
          const error = await underFire(round + 1, () => memory.commit({ mode: "condensed" }));
          checkAllOrNothing(await rows(), before, wanted, error);
          for (let tries = 0; memory.journal.length > 0 && tries < 5; tries++) {
            figures.retries++;
            await memory.commit({ mode: "condensed" }).catch(() => undefined);
          }
          expect(memory.journal).toHaveLength(0);
          expect(await rows()).toEqual(wanted);
        }
        expect(figures.partial).toBe(0);
        expect(figures.otherErrors).toEqual([]);
      },
      120_000 * SCALE,
    );

    it(
      "multi-statement transactions are all or nothing",
      async () => {
        for (let round = 0; round < ROUNDS; round++) {
          figures.rounds++;
          const before = await rows();
          const writes: Row[] = [];
          for (let i = 0; i < 20; i++) writes.push({ id: `t${round}-${i}`, n: i, label: "tx" });
          const after = [...before, ...writes].sort((a, b) =>
            a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
          );
          const error = await underFire(1000 + round, () =>
            store.transaction(async (s) => {
              for (const row of writes) await s.put(row);
            }),
          );
          checkAllOrNothing(await rows(), before, after, error);
          // The next operation works on a fresh connection.
          await store.put({ id: `t${round}-next`, n: null, label: null });
        }
        expect(figures.partial).toBe(0);
        expect(figures.otherErrors).toEqual([]);
      },
      120_000 * SCALE,
    );
  },
);
