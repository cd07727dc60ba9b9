/**
 * Issue 7, item 1: a PostgreSQL connection terminated by another session
 * (`pg_terminate_backend`) mid-transaction or mid-commit used to end the
 * process with "Unhandled 'error' event ... 57P01". Now the operation rejects
 * with StoreError STORE_CONNECTION_LOST (retryable), the data is as before
 * the failed write, and the next operation works on a new connection.
 * Needs the server (DATABASE_URL); PGlite has no connections to lose.
 */
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError } from "../../../src/errors/index.js";
import { MemoryStore } from "../../../src/store/memory/memory-store.js";
import { openDatabase } from "../../../src/store/sql/open-database.js";
import { sqlChannel } from "../../../src/store/sql/sql-channel.js";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../../src/store/sql/table-spec.js";
import type { Results } from "../../../src/store/types.js";
import { applicationName, BackendKiller, qualified, serverUrl } from "./backend-killer.js";
import { createTable } from "./sql-test-db.js";

interface Row {
  id: string;
  n: number | null;
}

const spec: SqlTableSpec = {
  table: "lost",
  primaryKey: "id",
  columns: [
    { name: "id", type: "string", sqlType: "text", nullable: false },
    { name: "n", type: "number", sqlType: "double precision", nullable: true },
  ],
};

const name = applicationName("lost");
const url = serverUrl(name);
/** Rounds of each scenario. */
const ROUNDS = 3;

describe.skipIf(url === undefined)(
  "SqlStore over a PostgreSQL server whose connection is terminated (set DATABASE_URL to run)",
  () => {
    let db: Kysely<any>;
    let killer: BackendKiller;
    let store: SqlStore<Row>;
    const schema = `lost_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

    beforeAll(async () => {
      db = openDatabase(url!);
      await sql`create schema ${sql.id(schema)}`.execute(db);
      await createTable(db, schema, spec);
      store = new SqlStore<Row>({ db, table: spec, schema });
      killer = await BackendKiller.open(process.env.DATABASE_URL!, name);
    });
    afterAll(async () => {
      await killer?.unlock().catch(() => undefined);
      await killer?.close();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
      await db.destroy();
    });

    const rows = async () => [...((await store.query("sort(+id)")) as Results<Row>)];
    const expectLost = (error: unknown, retryable = true) => {
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: "STORE_CONNECTION_LOST", retryable });
    };

    it("a transaction whose connection dies while it waits rejects, keeps nothing, and the next one works", async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const before = await rows();
        const error = await store
          .transaction(async (s) => {
            await s.put({ id: `idle-${round}-a`, n: round });
            expect(await killer.kill()).toBeGreaterThan(0);
            await s.put({ id: `idle-${round}-b`, n: round });
          })
          .catch((e: unknown) => e);
        expectLost(error);
        expect(await rows()).toEqual(before);
        await store.put({ id: `after-idle-${round}`, n: round });
        expect(await store.get(`after-idle-${round}`)).toEqual({
          id: `after-idle-${round}`,
          n: round,
        });
      }
    });

    it("a statement killed while it runs inside a transaction rejects, keeps nothing, and the next one works", async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const before = await rows();
        await killer.lock(qualified(schema, spec.table));
        const running = store
          .transaction(async (s) => {
            await s.put({ id: `busy-${round}`, n: round });
          })
          .catch((e: unknown) => e);
        expect(await killer.killWhenBlocked()).toBeGreaterThan(0);
        const error = await running;
        await killer.unlock();
        expectLost(error);
        expect(await rows()).toEqual(before);
        expect(await store.put({ id: `after-busy-${round}`, n: round })).toBe(
          `after-busy-${round}`,
        );
      }
    });

    it("a single write and a read killed while they run are tried again on a new connection", async () => {
      for (let round = 0; round < ROUNDS; round++) {
        await killer.lock(qualified(schema, spec.table));
        const write = store.put({ id: `single-${round}`, n: 1 });
        const read = store.query("n=1&sort(+id)");
        try {
          expect(await killer.killWhenBlocked()).toBeGreaterThan(0);
          // They wait again, on new connections: kill them once more.
          expect(await killer.killWhenBlocked()).toBeGreaterThan(0);
        } finally {
          await killer.unlock();
        }
        expect(await write).toBe(`single-${round}`);
        expect(Array.isArray(await read)).toBe(true);
        expect(await store.get(`single-${round}`)).toEqual({ id: `single-${round}`, n: 1 });
      }
    });

    it("an add killed while it runs is not repeated: it rejects with STORE_CONNECTION_LOST", async () => {
      const before = await rows();
      await killer.lock(qualified(schema, spec.table));
      const add = store.add({ id: "added", n: 0 }).catch((e: unknown) => e);
      await killer.killWhenBlocked();
      const error = await add;
      await killer.unlock();
      expectLost(error);
      expect(await rows()).toEqual(before);
    });

    it("idle connections killed together cost the next operation nothing", async () => {
      // Fill the pool with idle connections, kill them all, then use the store at once.
      await Promise.all(Array.from({ length: 5 }, () => store.query("count()")));
      expect(await killer.kill()).toBeGreaterThan(0);
      expect(await store.query("count()")).toBeGreaterThan(0);
      expect(await killer.kill()).toBeGreaterThan(0);
      await store.put({ id: "after-idle-kill", n: 2 });
      expect(await killer.kill()).toBeGreaterThan(0);
      await store.transaction(async (s) => {
        await s.put({ id: "after-idle-kill", n: 3 });
      });
      expect(await store.get("after-idle-kill")).toEqual({ id: "after-idle-kill", n: 3 });
    });

    it("a condensed commit through the SQL channel killed mid-commit leaves both stores as they were; the retry commits", async () => {
      const memory = new MemoryStore<Row>({ channel: sqlChannel(store) });
      await memory.load();
      for (let round = 0; round < ROUNDS; round++) {
        const before = await rows();
        memory.put({ id: `commit-${round}-a`, n: round });
        memory.put({ id: `commit-${round}-b`, n: round });
        memory.put({ id: `commit-${round}-a`, n: round + 100 });
        if (round > 0) memory.delete(`commit-${round - 1}-b`);
        const journal = memory.journal.length;
        const wanted = [...memory.find("sort(+id)")];
        await killer.lock(qualified(schema, spec.table));
        const commit = memory.commit({ mode: "condensed" }).catch((e: unknown) => e);
        expect(await killer.killWhenBlocked()).toBeGreaterThan(0);
        const error = await commit;
        await killer.unlock();
        expectLost(error);
        expect(await rows()).toEqual(before);
        expect(memory.journal).toHaveLength(journal);
        await memory.commit({ mode: "condensed" });
        expect(memory.journal).toHaveLength(0);
        expect(await rows()).toEqual(wanted);
      }
    });
  },
);
