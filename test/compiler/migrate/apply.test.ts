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

/** A hand-written migration that a statement splitter gets wrong (item: E'' strings, nested dollar quotes, comments). */
const QUOTING_FILE = "20260101000000_0000000a_quoting.sql";
const QUOTING_SQL = String.raw`-- perstore migration 20260101000000_0000000a_quoting
-- parent: none
-- reversible: yes
-- destructive down: drops table "author" and all its rows
-- up
create table "author" ("id" text primary key, "bio" text); -- a comment; with a ' quote
insert into "author" values ('a', null), ('b', 'kept');
update "author" set "bio" = E'it\'s; fine' where "bio" is null;
/* a block comment; with "quotes", ' and $$ */
create function "shout"(t text) returns text language plpgsql as $$
begin
  return upper(t) || '; done'; -- inside the body; $x$
end;
$$;
create function "tagged"() returns text language sql as $body$ select 'a$$b;c' $body$;
insert into "author" values ('c', "shout"('x')), ('d', "tagged"());
-- down
drop function "tagged"();
drop function "shout"(text);
drop table "author";
`;

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

      // Its down part narrows types and drops a table and columns: refused without the flag, nothing changed.
      await expect(migrateDown(db, await loadMigrations(dir))).rejects.toMatchObject({
        code: "MIGRATION_DESTRUCTIVE",
        message: expect.stringContaining('drops table "publisher" and all its rows'),
      });
      expect(await catalog()).toEqual(after);
      expect(await migrateDown(db, await loadMigrations(dir), { allowDestructive: true })).toEqual([
        created!.id,
      ]);
      // Same catalog, columns compared by name: a column dropped and re-added by a down comes back last.
      const byName = (c: { columns: { table: string; column: string }[] }) => ({
        ...c,
        columns: [...c.columns].sort((a, b) =>
          `${a.table}.${a.column}` < `${b.table}.${b.column}` ? -1 : 1,
        ),
      });
      expect(byName(await catalog())).toEqual(byName(before));
      expect((await db.selectFrom("author").select("name").execute())[0]).toEqual({ name: "Ada" });

      await migrateDown(db, await loadMigrations(dir), { allowDestructive: true });
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
      // The error names the migration, the part, and the line, column and text of the failing statement.
      const line =
        (await readFile(created!.path, "utf8")).split("\n").indexOf("select no_such_function();") +
        1;
      expect(failure).toMatchObject({
        code: "MIGRATION_FAILED",
        details: {
          file: `${created!.id}_init.sql`,
          part: "up",
          line,
          column: 8,
          statement: "select no_such_function();",
        },
      });
      expect((failure as Error).message).toContain(
        `${created!.id}_init.sql (up) failed at line ${line}, column 8`,
      );
      expect((failure as Error).message).toContain("no_such_function");
      expect(await catalogColumns(db)).toEqual([]);
      expect((await migrationStatus(db, await loadMigrations(dir))).pending).toHaveLength(1);
    });

    it("runs each part whole: E'' strings, dollar-quoted bodies and comments with semicolons and quotes", async () => {
      const { db } = database;
      await writeFile(join(dir, QUOTING_FILE), QUOTING_SQL);
      expect(await migrateUp(db, await loadMigrations(dir))).toEqual(["20260101000000_0000000a"]);
      const rows = await db.selectFrom("author").select(["id", "bio"]).orderBy("id").execute();
      expect(rows).toEqual([
        { id: "a", bio: "it's; fine" },
        { id: "b", bio: "kept" },
        { id: "c", bio: "X; done" },
        { id: "d", bio: "a$$b;c" },
      ]);
      expect(await migrateDown(db, await loadMigrations(dir), { allowDestructive: true })).toEqual([
        "20260101000000_0000000a",
      ]);
      expect(await catalogColumns(db)).toEqual([]);
      const left = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_proc where proname in ('shout', 'tagged')`.execute(db);
      expect(left.rows[0]?.n).toBe(0);
    });

    it("refuses to revert more migrations than are applied, or a destructive down part without allowDestructive", async () => {
      const { db } = database;
      await createMigration({ dir, name: "init", ir: v1(), now: new Date("2026-01-01T00:00:00Z") });
      const migrations = await loadMigrations(dir);
      expect(migrations[0]!.destructiveDown).toContain('drops table "book" and all its rows');
      expect(await readFile(join(dir, migrations[0]!.fileName), "utf8")).toContain(
        '-- destructive down: drops table "author" and all its rows',
      );
      await expect(migrateDown(db, migrations)).rejects.toMatchObject({
        code: "MIGRATION_DOWN_TOO_MANY",
        details: { requested: 1, applied: 0 },
      });
      await migrateUp(db, migrations);
      await db.insertInto("author").values({ id: AUTHOR, name: "Ada" }).execute();
      await expect(
        migrateDown(db, migrations, { count: 5, allowDestructive: true }),
      ).rejects.toMatchObject({
        code: "MIGRATION_DOWN_TOO_MANY",
        message: expect.stringContaining("cannot revert 5 migrations: only 1 is applied"),
      });
      const refused = await migrateDown(db, migrations).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: "MIGRATION_DESTRUCTIVE" });
      expect((refused as Error).message).toContain(
        `${migrations[0]!.fileName}: drops table "author" and all its rows`,
      );
      // Nothing was reverted: the data is still there.
      expect(await db.selectFrom("author").select("name").execute()).toEqual([{ name: "Ada" }]);
      expect(await migrateDown(db, migrations, { allowDestructive: true })).toEqual([
        migrations[0]!.id,
      ]);
      expect(await catalogColumns(db)).toEqual([]);
    });

    it("guards the down part of a migration file that has no destructive-down header (hand-written or older) by its SQL", async () => {
      const { db } = database;
      const legacy = QUOTING_SQL.replace(/^-- destructive down: .*\n/m, "");
      await writeFile(join(dir, QUOTING_FILE), legacy);
      const migrations = await loadMigrations(dir);
      expect(migrations[0]!.destructiveDown).toEqual([
        'its down part runs drop table (no "-- destructive down:" header says otherwise)',
      ]);
      await migrateUp(db, migrations);
      await expect(migrateDown(db, migrations)).rejects.toMatchObject({
        code: "MIGRATION_DESTRUCTIVE",
      });
      expect(await db.selectFrom("author").select("id").execute()).toHaveLength(4);
      await migrateDown(db, migrations, { allowDestructive: true });
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
