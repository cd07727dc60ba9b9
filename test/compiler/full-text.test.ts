/**
 * The `fullText` schema keyword: checked by the compiler, a generated
 * tsvector column and GIN index in the DDL and the SQL table spec, added,
 * changed and dropped by migrations (applied on PGlite and the server), and
 * answered by the SQL store.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaErrors } from "../../src/errors/index.js";
import { compile } from "../../src/compiler/index.js";
import { ddlOf } from "../../src/compiler/emit/ddl/emit-ddl.js";
import { tableSpecsFromIR } from "../../src/compiler/emit/ddl/table-specs-from-ir.js";
import type { DdlTable } from "../../src/compiler/emit/ddl/ddl-model.js";
import type { ProjectIR } from "../../src/compiler/ir/types.js";
import { diffSnapshots } from "../../src/compiler/migrate/diff-snapshots.js";
import {
  emptySnapshot,
  parseSnapshot,
  serializeSnapshot,
  snapshotFromIR,
  type Snapshot,
} from "../../src/compiler/migrate/snapshot.js";
import { statementSql } from "../../src/compiler/migrate/statement-sql.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { closeDatabases, DATABASES } from "./migrate/databases.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "perstore-fulltext-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await closeDatabases();
});

const book = (extra: Record<string, unknown> = {}, properties: Record<string, unknown> = {}) =>
  JSON.stringify({
    title: "Book",
    type: "object",
    properties: {
      id: { type: "string" },
      title: { type: "string" },
      summary: { type: ["string", "null"] },
      year: { type: "integer" },
      ...properties,
    },
    required: ["id", "title"],
    ...extra,
  });

async function irOf(files: Record<string, string>): Promise<ProjectIR> {
  const sources = Object.entries(files).map(([file, text]) => ({ file, text }));
  return (await compile({ root, sources })).ir;
}

async function codesOf(files: Record<string, string>): Promise<string[]> {
  try {
    await irOf(files);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaErrors);
    return (error as SchemaErrors).errors.map((e) => e.code);
  }
  return [];
}

const snap = (...tables: DdlTable[]): Snapshot => ({ version: 1, parent: null, tables });
const table = (fullText?: DdlTable["fullText"], titleType = "text"): DdlTable => ({
  name: "book",
  primaryKey: "id",
  columns: [
    { name: "id", sqlType: "text", nullable: false },
    { name: "title", sqlType: titleType, nullable: false },
    { name: "summary", sqlType: "text", nullable: true },
  ],
  indexes: [],
  foreignKeys: [],
  ...(fullText === undefined ? {} : { fullText }),
});
const up = (prev: Snapshot, next: Snapshot) =>
  diffSnapshots(prev, next, { allowDestructive: true }).statements.flatMap(statementSql);
const down = (prev: Snapshot, next: Snapshot) =>
  diffSnapshots(prev, next, { allowDestructive: true }).down.flatMap(statementSql);

const VECTOR = (fields: string) =>
  `"perstore_search" tsvector generated always as (to_tsvector('simple'::regconfig, regexp_replace(${fields}, '[!-/:-@\\[-\`{-~]+', ' ', 'g'))) stored`;

describe("fullText keyword", () => {
  it("becomes the IR's fullText, the DDL's generated column and GIN index, and the table spec", async () => {
    const ir = await irOf({
      "book.schema.json": book({ fullText: { fields: ["title", "summary"] } }),
    });
    expect(ir.models[0]!.fullText).toEqual({ fields: ["title", "summary"], language: "simple" });
    expect(ddlOf(ir)).toContain(
      `alter table "book" add column ${VECTOR(`coalesce("title", '') || ' ' || coalesce("summary", '')`)};\ncreate index "book_perstore_search_idx" on "book" using gin ("perstore_search");\n`,
    );
    expect(tableSpecsFromIR(ir)[0]!.fullText).toEqual({
      column: "perstore_search",
      fields: ["title", "summary"],
      language: "simple",
    });
    const snapshot = snapshotFromIR(ir);
    expect(parseSnapshot(serializeSnapshot(snapshot))).toEqual(snapshot);
  });

  it("is inherited by sub-models, which may not declare their own", async () => {
    const novel = (extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        title: "Novel",
        type: "object",
        allOf: [{ $ref: "Book" }],
        properties: { genre: { type: "string" } },
        ...extra,
      });
    const ir = await irOf({
      "book.schema.json": book({ fullText: { fields: ["title"], language: "english" } }),
      "novel.schema.json": novel(),
    });
    const specs = tableSpecsFromIR(ir);
    expect(specs.map((s) => s.fullText?.language)).toEqual(["english", "english"]);
    expect(
      await codesOf({
        "book.schema.json": book(),
        "novel.schema.json": novel({ fullText: { fields: ["genre"] } }),
      }),
    ).toEqual(["SCHEMA_FULLTEXT_ON_SUBMODEL"]);
  });

  it("reports fields that are not string properties, a reserved name and a bad language", async () => {
    expect(
      await codesOf({ "book.schema.json": book({ fullText: { fields: ["year", "nope"] } }) }),
    ).toEqual(["SCHEMA_FULLTEXT_FIELD", "SCHEMA_FULLTEXT_FIELD"]);
    expect(
      await codesOf({
        "book.schema.json": book(
          { fullText: { fields: ["title"] } },
          { perstore_search: { type: "string" } },
        ),
      }),
    ).toEqual(["SCHEMA_RESERVED_PROPERTY"]);
    const bad = await codesOf({
      "book.schema.json": book({ fullText: { fields: ["title"], language: "english'; drop" } }),
    });
    expect(bad.length).toBeGreaterThan(0);
    expect(() =>
      parseSnapshot(
        serializeSnapshot(snap(table({ fields: ["title"], language: "x'y" }))),
        "snapshot.json",
      ),
    ).toThrow(/not a configuration name/);
  });
});

describe("fullText migrations", () => {
  const simple = { fields: ["title"], language: "simple" };
  const both = { fields: ["title", "summary"], language: "simple" };

  it("adds the column and index, and drops them on the way down", () => {
    expect(up(snap(table()), snap(table(simple)))).toEqual([
      `alter table "book" add column ${VECTOR(`coalesce("title", '')`)}`,
      `create index "book_perstore_search_idx" on "book" using gin ("perstore_search")`,
    ]);
    expect(down(snap(table()), snap(table(simple)))).toEqual([
      `alter table "book" drop column "perstore_search"`,
    ]);
    expect(up(snap(table(simple)), snap(table()))).toEqual([
      `alter table "book" drop column "perstore_search"`,
    ]);
    expect(diffSnapshots(snap(table(simple)), snap(table())).destructive).toEqual([]);
  });

  it("rebuilds the column when its fields change or one of them is retyped, around the change", () => {
    expect(up(snap(table(simple)), snap(table(both)))).toEqual([
      `alter table "book" drop column "perstore_search"`,
      `alter table "book" add column ${VECTOR(`coalesce("title", '') || ' ' || coalesce("summary", '')`)}`,
      `create index "book_perstore_search_idx" on "book" using gin ("perstore_search")`,
    ]);
    const retyped = up(snap(table(simple)), snap(table(simple, "varchar(80)")));
    expect(retyped[0]).toBe(`alter table "book" drop column "perstore_search"`);
    expect(retyped[1]).toMatch(/alter column "title" type varchar\(80\)/);
    expect(retyped[2]).toMatch(/add column "perstore_search"/);
    expect(up(snap(table(simple)), snap(table(simple)))).toEqual([]);
  });

  for (const target of DATABASES) {
    it(`runs up and down on ${target.name}, and the SQL store searches the column`, async () => {
      const database = await target.open();
      const db: Kysely<any> = database.db;
      const ids = async (store: SqlStore, query: string) =>
        [...((await store.query(query)) as { id: string }[])].map((r) => r.id);
      const run = async (statements: string[]) => {
        for (const statement of statements) await sql.raw(statement).execute(db);
      };
      try {
        const v1 = await irOf({ "book.schema.json": book({ fullText: { fields: ["title"] } }) });
        const v2 = await irOf({
          "book.schema.json": book({ fullText: { fields: ["title", "summary"] } }),
        });
        await run(up(emptySnapshot(), snapshotFromIR(v1)));
        const store = new SqlStore({ db, table: tableSpecsFromIR(v1)[0]! });
        await store.put({ id: "b1", title: "Dune", summary: "Desert planet", year: 1965 });
        expect(await ids(store, "search(dune)")).toEqual(["b1"]);
        expect(await ids(store, "search(desert)")).toEqual([]);

        await run(up(snapshotFromIR(v1), snapshotFromIR(v2)));
        const store2 = new SqlStore({ db, table: tableSpecsFromIR(v2)[0]! });
        expect(await ids(store2, "search(desert)")).toEqual(["b1"]);

        await run(down(snapshotFromIR(v1), snapshotFromIR(v2)));
        expect(await ids(store, "search(desert)")).toEqual([]);
        expect(await ids(store, "search(dune)")).toEqual(["b1"]);
      } finally {
        await database.close();
      }
    }, 120_000);
  }
});
