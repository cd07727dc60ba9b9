/**
 * openDatabase(url, { replicas }): reads outside transactions go to a real
 * streaming-replication hot standby, writes and everything inside a
 * transaction to the primary. The cluster is started on loopback by the test
 * (see standby-cluster.ts) and skipped, saying why, without the binaries.
 */
import { CompiledQuery, sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/store/sql/open-database.js";
import { isReadStatement } from "../../../src/store/sql/read-statement.js";
import { SqlStore } from "../../../src/store/sql/sql-store.js";
import type { SqlTableSpec } from "../../../src/store/sql/table-spec.js";
import { findPostgresBin, startStandbyCluster, type StandbyCluster } from "./standby-cluster.js";

describe("isReadStatement", () => {
  const raw = (text: string) => CompiledQuery.raw(text);
  it("takes a single plain SELECT, and nothing that writes, locks or is several statements", () => {
    expect(isReadStatement(raw('select "a" from "t" where "id" = $1'))).toBe(true);
    expect(isReadStatement(raw("  -- why\n/* note */ WITH x AS (select 1) select * from x"))).toBe(
      true,
    );
    for (const text of [
      'insert into "t" values ($1)',
      'select * from "t" for update',
      'select * from "t" for no key update',
      'select * from "t" for share',
      "with x as (delete from t returning *) select * from x",
      "select 1; delete from t",
      "select nextval('s')",
      "select * into copy from t",
      "begin",
      "update t set a = 1",
    ])
      expect(isReadStatement(raw(text)), text).toBe(false);
  });
});

describe("openDatabase replicas: checks", () => {
  it("refuses replicas for an embedded database or URLs that are not postgres://", () => {
    expect(() => openDatabase("memory:", { replicas: ["postgres://x/y"] })).toThrow(
      expect.objectContaining({ code: "STORE_BAD_URL" }),
    );
    expect(() => openDatabase("postgres://x/y", { replicas: ["memory:"] })).toThrow(
      expect.objectContaining({ code: "STORE_BAD_URL" }),
    );
  });
});

const bin = findPostgresBin();
if (bin === undefined)
  console.warn(
    "replica-routing: skipped the standby tests: no PostgreSQL binaries (initdb, pg_ctl, pg_basebackup) under /usr/lib/postgresql/*/bin",
  );

describe.skipIf(bin === undefined)("openDatabase replicas: a real hot standby", () => {
  let cluster: StandbyCluster | undefined;
  let db: Kysely<any>;
  let primary: Kysely<any>;
  let standby: Kysely<any>;

  beforeAll(async () => {
    cluster = await startStandbyCluster(bin!);
    db = openDatabase(cluster.primaryUrl, { replicas: [cluster.standbyUrl] });
    primary = openDatabase(cluster.primaryUrl);
    standby = openDatabase(cluster.standbyUrl);
  }, 120_000);

  afterAll(async () => {
    for (const handle of [db, primary, standby]) await handle?.destroy();
    await cluster?.stop();
  }, 60_000);

  /** Waits until the standby has replayed everything the primary has written so far. */
  async function replayed(): Promise<void> {
    const { rows } = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(
      primary,
    );
    const target = rows[0]!.lsn;
    for (let attempt = 0; attempt < 200; attempt++) {
      const done = await sql<{
        ok: boolean;
      }>`select pg_last_wal_replay_lsn() >= ${target}::pg_lsn as ok`.execute(standby);
      if (done.rows[0]!.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the standby did not replay up to ${target}`);
  }

  const inRecovery = async (handle: Kysely<any>) =>
    (await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(handle)).rows[0]!.r;

  it("serves reads outside a transaction from the standby, and everything inside one from the primary", async () => {
    expect(await inRecovery(db)).toBe(true);
    const built = await db.selectNoFrom(sql<boolean>`pg_is_in_recovery()`.as("r")).execute();
    expect(built[0]!.r).toBe(true);
    const inside = await db.transaction().execute(async (trx) => ({
      raw: await inRecovery(trx),
      built: (await trx.selectNoFrom(sql<boolean>`pg_is_in_recovery()`.as("r")).execute())[0]!.r,
    }));
    expect(inside).toEqual({ raw: false, built: false });
    // A locking read would fail on a standby: it goes to the primary.
    const locked = await sql<{ r: boolean }>`select pg_is_in_recovery() as r for share`.execute(db);
    expect(locked.rows[0]!.r).toBe(false);
  });

  it("writes go to the primary and become visible through reads routed to the standby", async () => {
    await db.schema
      .createTable("routed")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("name", "text")
      .execute();
    await db.insertInto("routed").values({ id: 1, name: "one" }).execute();
    await sql`insert into routed values (2, 'two')`.execute(db);
    await replayed();
    const rows = await db.selectFrom("routed").selectAll().orderBy("id").execute();
    expect(rows).toEqual([
      { id: 1, name: "one" },
      { id: 2, name: "two" },
    ]);
    await db.updateTable("routed").set({ name: "uno" }).where("id", "=", 1).execute();
    await replayed();
    expect(
      await db.selectFrom("routed").select("name").where("id", "=", 1).executeTakeFirst(),
    ).toEqual({ name: "uno" });
  });

  it("an SqlStore over it writes to the primary and reads from the standby", async () => {
    const table: SqlTableSpec = {
      table: "routed_people",
      primaryKey: "id",
      columns: [
        { name: "id", type: "string", sqlType: "text", nullable: false },
        { name: "name", type: "string", sqlType: "text", nullable: false },
      ],
    };
    await sql`create table routed_people (id text primary key, name text not null)`.execute(db);
    const store = new SqlStore<{ id: string; name: string }>({ db, table });
    expect(await store.put({ id: "p1", name: "Ada" })).toBe("p1");
    await replayed();
    expect(await store.get("p1")).toEqual({ id: "p1", name: "Ada" });
    expect([...((await store.query("name=Ada")) as unknown[])]).toHaveLength(1);
    // With replay paused, a new row is on the primary only: routed reads miss it, transactions see it.
    await sql`select pg_wal_replay_pause()`.execute(standby);
    try {
      await store.put({ id: "p3", name: "Cy" });
      expect(await store.get("p3")).toBeUndefined();
      expect(await store.query("count()")).toBe(1);
      expect(await store.transaction((tx) => tx.get("p3"))).toEqual({ id: "p3", name: "Cy" });
    } finally {
      await sql`select pg_wal_replay_resume()`.execute(standby);
    }
    await replayed();
    expect(await store.get("p3")).toEqual({ id: "p3", name: "Cy" });
    await store.transaction(async (tx) => {
      await tx.put({ id: "p2", name: "Bea" });
      expect(await tx.get("p2")).toEqual({ id: "p2", name: "Bea" }); // inside: the primary
    });
  });
});
