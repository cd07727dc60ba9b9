/**
 * The migrations workflow around `migrate create`, without the CLI: a merge
 * of two branches that each added a migration is refused (and the advice
 * works), hand-written empty migrations, the schema-change report `status`
 * prints, and the schema emptying `reset` does (PGlite always; the server
 * when DATABASE_URL is set).
 */
import { cp, mkdtemp, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ModelIR, ProjectIR } from "../../../src/compiler/ir/types.js";
import {
  createEmptyMigration,
  createMigration,
  readSnapshot,
} from "../../../src/compiler/migrate/create-migration.js";
import { dropSchemaObjects } from "../../../src/compiler/migrate/drop-schema-objects.js";
import { loadMigrations } from "../../../src/compiler/migrate/load-migrations.js";
import {
  migrateDown,
  migrateUp,
  migrationStatus,
} from "../../../src/compiler/migrate/migration-runner.js";
import { schemaChanges } from "../../../src/compiler/migrate/schema-changes.js";
import { snapshotFromIR } from "../../../src/compiler/migrate/snapshot.js";
import { PerstoreError } from "../../../src/errors/index.js";
import { property } from "../ddl/ir-fixture.js";
import { catalogColumns, closeDatabases, DATABASES, type TestDatabase } from "./databases.js";
import { v1 } from "./schema-versions.js";

/** `ir` with `extra` properties added to model `name`. */
function withProperty(ir: ProjectIR, name: string, extra: string): ProjectIR {
  return {
    ...ir,
    models: ir.models.map((m): ModelIR =>
      m.name === name
        ? { ...m, properties: [...m.properties, property({ name: extra, type: "integer" })] }
        : m,
    ),
  };
}

const at = (iso: string) => new Date(iso);
const folders: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "perstore-workflow-"));
  folders.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(folders.map((d) => rm(d, { recursive: true, force: true })));
  await closeDatabases();
});

async function caught(promise: Promise<unknown>): Promise<PerstoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PerstoreError) return error;
    throw error;
  }
  throw new Error("expected a PerstoreError");
}

describe("migrate create after a merge of two branches that each added a migration", () => {
  /** main has `init`; branch a adds Author.born, branch b adds Book.pages; then b's folder is merged into a copy of a's. */
  async function mergedBranches() {
    const main = await folder();
    await createMigration({ dir: main, name: "init", ir: v1(), now: at("2026-01-01T00:00:00Z") });
    const a = await folder();
    const b = await folder();
    await cp(main, a, { recursive: true });
    await cp(main, b, { recursive: true });
    const irA = withProperty(v1(), "Author", "born");
    const irB = withProperty(v1(), "Book", "pages");
    const fromA = await createMigration({
      dir: a,
      name: "born",
      ir: irA,
      now: at("2026-01-02T00:00:00Z"),
    });
    const fromB = await createMigration({
      dir: b,
      name: "pages",
      ir: irB,
      now: at("2026-01-03T00:00:00Z"),
    });
    // The merge: both migration files; the snapshot conflict resolved by taking b's (it follows the newest file).
    const merged = await folder();
    await cp(a, merged, { recursive: true });
    await cp(b, merged, { recursive: true, force: true });
    const both = withProperty(irA, "Book", "pages");
    return { a, merged, both, fromA: fromA!, fromB: fromB! };
  }

  it("refuses, writes nothing, and says how to resolve it", async () => {
    const { merged, both, fromA, fromB } = await mergedBranches();
    const before = (await readdir(merged)).sort();
    const snapshot = await readFile(join(merged, "snapshot.json"), "utf8");
    const error = await caught(
      createMigration({ dir: merged, displayDir: "generated/migrations", name: "next", ir: both }),
    );
    expect(error.code).toBe("MIGRATION_PARALLEL");
    expect(error.message).toContain("would repeat the other branch's changes; nothing was written");
    expect(error.message).toContain(`${fromB.id} follows`);
    expect(error.message).toContain(`1. delete generated/migrations/${fromB.fileName}`);
    expect(error.message).toContain(
      `2. restore generated/migrations/snapshot.json to the one ${fromA.fileName} wrote`,
    );
    expect(error.message).toContain("3. run `perstore migrate create pages` again");
    expect((await readdir(merged)).sort()).toEqual(before);
    expect(await readFile(join(merged, "snapshot.json"), "utf8")).toBe(snapshot);
    // --empty is refused the same way.
    expect((await caught(createEmptyMigration({ dir: merged, name: "fix" }))).code).toBe(
      "MIGRATION_PARALLEL",
    );
  });

  it("following the advice gives one line of history holding each change once", async () => {
    const { a, merged, both, fromA, fromB } = await mergedBranches();
    await unlink(fromB.path.replace(/^.*[\\/]/, `${merged}/`));
    await cp(join(a, "snapshot.json"), join(merged, "snapshot.json"));
    const again = await createMigration({ dir: merged, name: "pages", ir: both });
    const text = await readFile(again!.path, "utf8");
    expect(text).toContain(`-- parent: ${fromA.id}`);
    expect(text).toContain(`alter table "book" add column "pages" bigint;`);
    expect(text).not.toContain('"born"');
    expect((await readSnapshot(merged)).parent).toBe(again!.id);
  });

  it("a snapshot.json left with conflict markers is named as such", async () => {
    const { merged, both } = await mergedBranches();
    const snapshot = await readFile(join(merged, "snapshot.json"), "utf8");
    await writeFile(
      join(merged, "snapshot.json"),
      `<<<<<<< HEAD\n${snapshot}=======\n${snapshot}>>>>>>> b\n`,
    );
    const error = await caught(createMigration({ dir: merged, name: "next", ir: both }));
    expect(error.code).toBe("MIGRATION_SNAPSHOT_INVALID");
    expect(error.message).toContain("has merge conflict markers");
  });
});

describe("schemaChanges: what the schemas changed since the last migration", () => {
  it("names each change, and nothing when they agree", async () => {
    const dir = await folder();
    await createMigration({ dir, name: "init", ir: v1(), now: at("2026-01-01T00:00:00Z") });
    const last = await readSnapshot(dir);
    expect(schemaChanges(last, snapshotFromIR(v1()))).toEqual([]);
    const changed = withProperty(
      {
        ...v1(),
        models: v1().models.filter((m) => m.name !== "Person"),
      },
      "Book",
      "pinned",
    );
    expect(schemaChanges(last, snapshotFromIR(changed))).toEqual(
      expect.arrayContaining(['adds column "book"."pinned"', 'drops table "person"']),
    );
  });
});

for (const target of DATABASES) {
  describe(`on ${target.name}`, () => {
    let database: TestDatabase;
    beforeEach(async () => {
      database = await target.open();
    });
    afterEach(async () => {
      await database.close();
    });

    it("create --empty: a hand-written migration after the newest, followed by the next create", async () => {
      const dir = await folder();
      const init = await createMigration({
        dir,
        name: "init",
        ir: v1(),
        now: at("2026-01-01T00:00:00Z"),
      });
      const tablesBefore = (await readSnapshot(dir)).tables;
      const empty = await createEmptyMigration({ dir, name: "backfill" });
      expect(empty.fileName).toMatch(/^\d{14}_[0-9a-f]{8}_backfill\.sql$/);
      const snapshot = await readSnapshot(dir);
      expect(snapshot.parent).toBe(empty.id);
      expect(snapshot.tables).toEqual(tablesBefore);
      // Applied as written (comments only), then with SQL the user wrote in its parts.
      const [file] = (await loadMigrations(dir)).filter((m) => m.id === empty.id);
      expect(file).toMatchObject({ parent: init!.id, reversible: true, destructiveDown: [] });
      const text = await readFile(empty.path, "utf8");
      await writeFile(
        empty.path,
        text
          .replace(
            "-- down\n",
            `insert into "author" ("id", "name") values ('${AUTHOR}', 'A');\n-- down\n`,
          )
          .concat(`delete from "author" where "id" = '${AUTHOR}';\n`),
      );
      expect(await migrateUp(database.db, await loadMigrations(dir))).toEqual([init!.id, empty.id]);
      const rows = await sql<{ name: string }>`select "name" from "author"`.execute(database.db);
      expect(rows.rows).toEqual([{ name: "A" }]);
      // Its down part deletes rows: found by the scan (no "-- destructive down:" header).
      const refused = await caught(migrateDown(database.db, await loadMigrations(dir)));
      expect(refused.code).toBe("MIGRATION_DESTRUCTIVE");
      expect(refused.message).toContain("delete from");
      await migrateDown(database.db, await loadMigrations(dir), { allowDestructive: true });
      expect((await sql`select * from "author"`.execute(database.db)).rows).toEqual([]);
      // The next create follows the empty migration.
      const next = await createMigration({
        dir,
        name: "born",
        ir: withProperty(v1(), "Author", "born"),
      });
      expect(await readFile(next!.path, "utf8")).toContain(`-- parent: ${empty.id}`);
    });

    it("dropSchemaObjects empties the schema (tables, views, sequences, types, routines) and keeps it", async () => {
      const dir = await folder();
      await createMigration({ dir, name: "init", ir: v1(), now: at("2026-01-01T00:00:00Z") });
      await migrateUp(database.db, await loadMigrations(dir));
      const db = database.db;
      await sql`create view "author_names" as select "name" from "author"`.execute(db);
      await sql`create type "mood" as enum ('happy', 'sad')`.execute(db);
      await sql`create domain "positive" as integer check (value > 0)`.execute(db);
      await sql`create sequence "ticket_seq"`.execute(db);
      await sql`create table "ticket" ("n" integer generated always as identity, "mood" "mood", "p" "positive")`.execute(
        db,
      );
      await sql`create function "twice"(x integer) returns integer language sql as 'select x * 2'`.execute(
        db,
      );
      expect(await dropSchemaObjects(db)).toBeGreaterThanOrEqual(10);
      const left = await sql<{ n: number }>`
        select (select count(*) from pg_class where relnamespace = (select oid from pg_namespace where nspname = current_schema()))
             + (select count(*) from pg_type where typnamespace = (select oid from pg_namespace where nspname = current_schema()))
             + (select count(*) from pg_proc where pronamespace = (select oid from pg_namespace where nspname = current_schema())) as n`.execute(
        db,
      );
      expect(Number(left.rows[0]!.n)).toBe(0);
      expect(await catalogColumns(db)).toEqual([]);
      // Applying every migration again works on the emptied schema.
      expect((await migrationStatus(db, await loadMigrations(dir))).pending).toHaveLength(1);
      expect(await migrateUp(db, await loadMigrations(dir))).toHaveLength(1);
    });
  });
}

const AUTHOR = "00000000-0000-4000-8000-000000000001";
