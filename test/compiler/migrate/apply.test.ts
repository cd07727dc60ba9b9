import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMigration } from "../../../src/compiler/migrate/create-migration.js";
import { loadMigrations } from "../../../src/compiler/migrate/load-migrations.js";
import {
  migrateDown,
  migrateUp,
  migrationStatus,
} from "../../../src/compiler/migrate/migration-runner.js";
import {
  catalogColumns,
  catalogConstraints,
  catalogIndexes,
  closeDatabases,
  DATABASES,
  type TestDatabase,
} from "./databases.js";
import { v1, v2 } from "./schema-versions.js";

const AUTHOR = "00000000-0000-4000-8000-000000000001";

afterAll(closeDatabases);

for (const target of DATABASES) {
  describe(`migrations on ${target.name}`, () => {
    let dir: string;
    let database: TestDatabase;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), "perstore-migrate-"));
      database = await target.open();
    });
    afterEach(async () => {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    });

    const catalog = async () => ({
      columns: await catalogColumns(database.db),
      indexes: await catalogIndexes(database.db),
      constraints: await catalogConstraints(database.db),
    });

    it("creates the schema, evolves it (rename keeps data), and goes back down to the same catalog", async () => {
      const { db } = database;
      await createMigration({ dir, name: "init", ir: v1(), now: new Date("2026-01-01T00:00:00Z") });
      expect(await migrateUp(db, await loadMigrations(dir))).toHaveLength(1);
      const before = await catalog();
      expect(
        before.columns
          .filter((c) => c.table === "book")
          .map((c) => `${c.column} ${c.type}${c.nullable ? "" : " not null"}`),
      ).toEqual([
        "isbn text not null",
        "title varchar(300) not null",
        "authorId uuid not null",
        "coAuthorIds text[]",
        "year integer",
        "price double precision",
        "status text not null",
        "dimensions jsonb",
        "publishedAt timestamp with time zone",
      ]);
      expect(before.constraints).toContain("book_authorId_fkey FOREIGN KEY");
      expect(before.constraints).toContain("person_perstore_type_check CHECK");
      expect(before.indexes).toContain(
        "CREATE UNIQUE INDEX person_email_key ON person USING btree (email)",
      );

      await db.insertInto("author").values({ id: AUTHOR, name: "Ada" }).execute();
      await db
        .insertInto("book")
        .values({ isbn: "1", title: "Notes", authorId: AUTHOR, price: 9.5 })
        .execute();

      // Destructive without the flag: refused, nothing written.
      await expect(createMigration({ dir, name: "evolve", ir: v2() })).rejects.toMatchObject({
        code: "MIGRATION_DESTRUCTIVE",
        message: expect.stringContaining('drops column "book"."price" and its data'),
      });
      expect((await readdir(dir)).filter((f) => f.endsWith(".sql"))).toHaveLength(1);

      const created = await createMigration({
        dir,
        name: "evolve",
        ir: v2(),
        allowDestructive: true,
        now: new Date("2026-01-02T00:00:00Z"),
      });
      expect(created?.plan.destructive.map((s) => s.reason)).toEqual([
        'drops column "book"."price" and its data',
      ]);
      const header = (await readFile(created!.path, "utf8")).split("\n-- up\n")[0];
      expect(header).toContain('-- destructive: drops column "book"."price" and its data');
      expect(await migrateUp(db, await loadMigrations(dir))).toEqual([created!.id]);

      const after = await catalog();
      const columnsOf = (table: string) =>
        after.columns.filter((c) => c.table === table).map((c) => `${c.column} ${c.type}`);
      expect(columnsOf("author")).toEqual([
        "id uuid",
        "fullName varchar(200)",
        "active boolean",
        "born bigint",
      ]);
      expect(columnsOf("book")).toContain("title text");
      expect(columnsOf("book")).not.toContain("price double precision");
      expect(columnsOf("publisher")).toEqual(["id uuid", "name text"]);
      expect(after.constraints).toContain("book_publisherId_fkey FOREIGN KEY");
      expect(after.indexes).toContain("CREATE INDEX book_year_idx ON book USING btree (year)");
      expect((await db.selectFrom("author").select("fullName").execute())[0]).toEqual({
        fullName: "Ada",
      });
      // The widened CHECK accepts the new value.
      await db.updateTable("book").set({ status: "archived" }).execute();
      await db.updateTable("book").set({ status: "draft" }).execute();

      expect(await migrateDown(db, await loadMigrations(dir))).toEqual([created!.id]);
      // Same catalog, columns compared by name: a column dropped and re-added by a down comes back last.
      const byName = (c: { columns: { table: string; column: string }[] }) => ({
        ...c,
        columns: [...c.columns].sort((a, b) =>
          `${a.table}.${a.column}` < `${b.table}.${b.column}` ? -1 : 1,
        ),
      });
      expect(byName(await catalog())).toEqual(byName(before));
      expect((await db.selectFrom("author").select("name").execute())[0]).toEqual({ name: "Ada" });

      await migrateDown(db, await loadMigrations(dir));
      expect((await catalog()).columns).toEqual([]);
      const status = await migrationStatus(db, await loadMigrations(dir));
      expect(status.pending).toHaveLength(2);
    });

    it("reports an edited applied migration, never re-runs it, and refuses to revert it", async () => {
      const { db } = database;
      const created = await createMigration({ dir, name: "init", ir: v1() });
      await migrateUp(db, await loadMigrations(dir));
      await writeFile(
        created!.path,
        (await readFile(created!.path, "utf8")).replace("-- up\n", "-- up\n-- an edit\n"),
      );
      const migrations = await loadMigrations(dir);
      const status = await migrationStatus(db, migrations);
      expect(status.edited).toEqual([created!.id]);
      expect(status.entries.map((e) => e.state)).toEqual(["edited"]);
      const log: string[] = [];
      expect(await migrateUp(db, migrations, { log: (l) => log.push(l) })).toEqual([]);
      expect(log.join("\n")).toContain("checksum mismatch");
      await expect(migrateDown(db, migrations)).rejects.toMatchObject({ code: "MIGRATION_EDITED" });
      expect((await catalogColumns(db)).length).toBeGreaterThan(0);
    });

    it("detects migrations created on parallel branches and refuses to apply them", async () => {
      const { db } = database;
      await createMigration({ dir, name: "init", ir: v1(), now: new Date("2026-01-01T00:00:00Z") });
      const snapshot = await readFile(join(dir, "snapshot.json"), "utf8");
      const a = await createMigration({
        dir,
        name: "branch-a",
        ir: v2(),
        allowDestructive: true,
        now: new Date("2026-01-02T00:00:00Z"),
      });
      // Branch b starts from the same snapshot and adds another change.
      const afterA = await readFile(join(dir, "snapshot.json"), "utf8");
      await writeFile(join(dir, "snapshot.json"), snapshot);
      const otherDir = await mkdtemp(join(tmpdir(), "perstore-branch-"));
      try {
        await writeFile(join(otherDir, "snapshot.json"), snapshot);
        const init = (await readdir(dir)).find((f) => f.endsWith("_init.sql"))!;
        await writeFile(join(otherDir, init), await readFile(join(dir, init), "utf8"));
        const withTable = { models: [...v1().models.filter((m) => m.name !== "Book")] };
        const b = await createMigration({
          dir: otherDir,
          name: "branch-b",
          ir: withTable,
          allowDestructive: true,
          now: new Date("2026-01-03T00:00:00Z"),
        });
        await writeFile(join(dir, b!.fileName), await readFile(b!.path, "utf8"));
      } finally {
        await rm(otherDir, { recursive: true, force: true });
      }
      await writeFile(join(dir, "snapshot.json"), afterA); // the merge kept a's snapshot
      const migrations = await loadMigrations(dir);
      expect(migrations.map((m) => m.name)).toEqual(["init", "branch-a", "branch-b"]);
      const status = await migrationStatus(db, migrations);
      expect(status.parallel.map((p) => ({ id: p.id, siblings: p.siblings }))).toEqual([
        { id: migrations[2]!.id, siblings: [a!.id] },
      ]);
      await expect(migrateUp(db, migrations)).rejects.toMatchObject({ code: "MIGRATION_PARALLEL" });
      expect(await catalogColumns(db)).toEqual([]); // nothing applied
      await expect(createMigration({ dir, name: "next", ir: v2() })).rejects.toMatchObject({
        code: "MIGRATION_PARALLEL",
      });
    });

    it("refuses to revert an irreversible migration", async () => {
      const { db } = database;
      await createMigration({ dir, name: "init", ir: v1() });
      // dimensions: jsonb -> text is a cast between unrelated types: no exact way back.
      const ir = {
        models: v1().models.map((m) =>
          m.name === "Book"
            ? {
                ...m,
                properties: m.properties.map((p) =>
                  p.name === "dimensions" ? { ...p, type: "string" as const } : p,
                ),
              }
            : m,
        ),
      };
      const created = await createMigration({ dir, name: "retype", ir, allowDestructive: true });
      expect(created?.plan.irreversible).toHaveLength(1);
      expect(await readFile(created!.path, "utf8")).toContain("-- reversible: no");
      await migrateUp(db, await loadMigrations(dir));
      await expect(migrateDown(db, await loadMigrations(dir))).rejects.toMatchObject({
        code: "MIGRATION_IRREVERSIBLE",
      });
    });

    it("rolls back a failing migration and records nothing", async () => {
      const { db } = database;
      const created = await createMigration({ dir, name: "init", ir: v1() });
      await writeFile(
        created!.path,
        (await readFile(created!.path, "utf8")).replace(
          "-- down",
          "select no_such_function();\n-- down",
        ),
      );
      const failure = await migrateUp(db, await loadMigrations(dir)).catch((e: unknown) => e);
      // The error names the migration and the statement that failed.
      expect(failure).toMatchObject({ code: "MIGRATION_FAILED" });
      expect((failure as Error).message).toContain(`${created!.id}_init.sql (up)`);
      expect((failure as Error).message).toContain("no_such_function");
      expect(await catalogColumns(db)).toEqual([]);
      expect((await migrationStatus(db, await loadMigrations(dir))).pending).toHaveLength(1);
    });

    if (target.name === "postgres") {
      it("lets only one process migrate at a time (advisory lock)", async () => {
        await createMigration({ dir, name: "init", ir: v1() });
        await createMigration({ dir, name: "evolve", ir: v2(), allowDestructive: true });
        const migrations = await loadMigrations(dir);
        const other = database.openAnother!();
        const results = await Promise.all([
          migrateUp(database.db, migrations),
          migrateUp(other, migrations),
        ]);
        expect(results.flat().sort()).toEqual(migrations.map((m) => m.id));
        const rows = await sql<{
          n: number;
        }>`select count(*)::int as n from perstore_migrations`.execute(database.db);
        expect(rows.rows[0]?.n).toBe(2);
      });
    }
  });
}
