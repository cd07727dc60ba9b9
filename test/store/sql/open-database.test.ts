import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { defaultDatabaseUrl, openDatabase } from "../../../src/store/sql/open-database.js";

describe("openDatabase", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("opens an in-memory PGlite database and runs transactions on it", async () => {
    const db = openDatabase("memory:");
    try {
      await sql`create table t (id integer primary key, d date, n bigint)`.execute(db);
      await db.transaction().execute(async (trx) => {
        await sql`insert into t values (1, '2020-02-03', 9007199254740993)`.execute(trx);
      });
      await expect(
        db.transaction().execute(async (trx) => {
          await sql`insert into t values (2, null, 1)`.execute(trx);
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      const { rows } = await sql<{ id: number; d: string; n: unknown }>`select * from t`.execute(
        db,
      );
      // date as text, bigint beyond 2^53 as its exact decimal string; the aborted row is gone
      expect(rows).toEqual([{ id: 1, d: "2020-02-03", n: "9007199254740993" }]);
    } finally {
      await db.destroy();
    }
  });

  it("serialises concurrent queries against a running transaction", async () => {
    const db = openDatabase("memory:");
    try {
      await sql`create table c (v integer)`.execute(db);
      const tx = db.transaction().execute(async (trx) => {
        await sql`insert into c values (1)`.execute(trx);
        await new Promise((r) => setTimeout(r, 20));
        await sql`insert into c values (2)`.execute(trx);
      });
      // Runs only once the transaction has released the single connection.
      const outside = sql<{ n: number }>`select count(*)::int as n from c`.execute(db);
      await tx;
      expect((await outside).rows[0]?.n).toBe(2);
    } finally {
      await db.destroy();
    }
  });

  it("persists a pglite:<dir> database across openings", async () => {
    const dir = mkdtempSync(join(tmpdir(), "perstore-pglite-"));
    dirs.push(dir);
    const url = `pglite:${join(dir, "db")}`;
    const first = openDatabase(url);
    await sql`create table p (v text)`.execute(first);
    await sql`insert into p values ('kept')`.execute(first);
    await first.destroy();
    const second = openDatabase(url);
    const { rows } = await sql<{ v: string }>`select v from p`.execute(second);
    await second.destroy();
    expect(rows).toEqual([{ v: "kept" }]);
  });

  it("takes the default from DATABASE_URL, then perstore.config.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "perstore-config-"));
    dirs.push(dir);
    const saved = process.env.DATABASE_URL;
    try {
      delete process.env.DATABASE_URL;
      expect(defaultDatabaseUrl(dir)).toBe("pglite:.perstore/db");
      writeFileSync(join(dir, "perstore.config.json"), JSON.stringify({ database: "memory:" }));
      expect(defaultDatabaseUrl(dir)).toBe("memory:");
      process.env.DATABASE_URL = "postgres://x@h/db";
      expect(defaultDatabaseUrl(dir)).toBe("postgres://x@h/db");
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  it("rejects an unknown URL scheme with STORE_BAD_URL", () => {
    expect(() => openDatabase("mysql://x")).toThrow(
      expect.objectContaining({ code: "STORE_BAD_URL" }),
    );
  });
});
