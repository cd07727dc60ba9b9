import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMigration } from "../../../src/compiler/migrate/create-migration.js";
import type { DdlTable } from "../../../src/compiler/emit/ddl/ddl-model.js";
import { diffSnapshots } from "../../../src/compiler/migrate/diff-snapshots.js";
import {
  emptySnapshot,
  parseSnapshot,
  serializeSnapshot,
  snapshotFromIR,
  type Snapshot,
} from "../../../src/compiler/migrate/snapshot.js";
import { statementSql } from "../../../src/compiler/migrate/statement-sql.js";
import { classifyTypeChange } from "../../../src/compiler/migrate/statements.js";
import { v1, v2 } from "./schema-versions.js";

const snap = (...tables: DdlTable[]): Snapshot => ({ version: 1, parent: null, tables });
const table = (columns: DdlTable["columns"], extra: Partial<DdlTable> = {}): DdlTable => ({
  name: "t",
  primaryKey: "id",
  columns: [{ name: "id", sqlType: "text", nullable: false }, ...columns],
  indexes: [],
  foreignKeys: [],
  ...extra,
});
const upSql = (prev: Snapshot, next: Snapshot) =>
  diffSnapshots(prev, next, { allowDestructive: true }).statements.flatMap(statementSql);
const downSql = (prev: Snapshot, next: Snapshot) =>
  diffSnapshots(prev, next, { allowDestructive: true }).down.flatMap(statementSql);

describe("diffSnapshots", () => {
  it("creates a new table with its checks and indexes, and drops it on the way down", () => {
    const next = snap(
      table([{ name: "kind", sqlType: "text", nullable: false, enum: ["a", "b"], default: "a" }], {
        indexes: [{ name: "t_kind_idx", columns: ["kind"], unique: false }],
      }),
    );
    expect(upSql(emptySnapshot(), next)).toEqual([
      `create table "t" ("id" text not null, "kind" text default 'a' not null, constraint "t_pkey" primary key ("id"), constraint "t_kind_check" check ("kind" in ('a', 'b')))`,
      `create index "t_kind_idx" on "t" ("kind")`,
    ]);
    expect(downSql(emptySnapshot(), next)).toEqual([`drop table "t"`]);
  });

  it("adds a nullable column freely, refuses a NOT NULL one without a default", () => {
    const prev = snap(table([]));
    expect(upSql(prev, snap(table([{ name: "note", sqlType: "text", nullable: true }])))).toEqual([
      `alter table "t" add column "note" text`,
    ]);
    expect(() =>
      diffSnapshots(prev, snap(table([{ name: "note", sqlType: "text", nullable: false }]))),
    ).toThrow(/adds NOT NULL column "t"."note" without a default: fails if the table has rows/);
    expect(
      upSql(prev, snap(table([{ name: "note", sqlType: "text", nullable: false, default: "" }]))),
    ).toEqual([`alter table "t" add column "note" text default '' not null`]);
  });

  it("renames only from renamedFrom; otherwise a missing column is dropped (destructive)", () => {
    const prev = snap(table([{ name: "title", sqlType: "text", nullable: true, enum: ["x"] }]));
    const renamed = snap(
      table([
        { name: "heading", sqlType: "text", nullable: true, enum: ["x"], renamedFrom: "title" },
      ]),
    );
    expect(upSql(prev, renamed)).toEqual([
      `alter table "t" rename column "title" to "heading"`,
      `alter table "t" rename constraint "t_title_check" to "t_heading_check"`,
    ]);
    expect(downSql(prev, renamed)).toEqual([
      `alter table "t" rename column "heading" to "title"`,
      `alter table "t" rename constraint "t_heading_check" to "t_title_check"`,
    ]);
    const guessed = snap(
      table([{ name: "heading", sqlType: "text", nullable: true, enum: ["x"] }]),
    );
    let error: unknown;
    try {
      diffSnapshots(prev, guessed);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: "MIGRATION_DESTRUCTIVE",
      details: { steps: [{ kind: "dropColumn", reason: 'drops column "t"."title" and its data' }] },
    });
    expect(upSql(prev, guessed)).toEqual([
      `alter table "t" add column "heading" text`,
      `alter table "t" add constraint "t_heading_check" check ("heading" in ('x'))`,
      `alter table "t" drop column "title"`,
    ]);
  });

  it("widens types freely, refuses narrowing, and marks casts between unrelated types irreversible", () => {
    const at = (sqlType: string) => snap(table([{ name: "n", sqlType, nullable: true }]));
    expect(upSql(at("integer"), at("bigint"))).toEqual([
      `alter table "t" alter column "n" type bigint using "n"::bigint`,
    ]);
    expect(downSql(at("integer"), at("bigint"))).toEqual([
      `alter table "t" alter column "n" type integer using "n"::integer`,
    ]);
    expect(() => diffSnapshots(at("varchar(80)"), at("varchar(40)"))).toThrow(
      /narrows "t"."n" from varchar\(80\) to varchar\(40\)/,
    );
    expect(() => diffSnapshots(at("text"), at("jsonb"))).toThrow(
      /values are cast and may fail or change/,
    );
    const plan = diffSnapshots(at("jsonb"), at("text"), { allowDestructive: true });
    expect(plan.irreversible).toHaveLength(1);
    expect(plan.down).toEqual([]);
    expect(plan.statements.flatMap(statementSql)).toEqual([
      `alter table "t" alter column "n" type text using ("n" #>> '{}')::text`,
    ]);
    expect(classifyTypeChange("varchar(10)", "text")).toBe("widen");
    expect(classifyTypeChange("bigint", "double precision")).toBe("narrow");
    expect(classifyTypeChange("text[]", "varchar(3)[]")).toBe("narrow");
    expect(classifyTypeChange("date", "timestamptz")).toBe("widen");
  });

  it("fills NULLs from the default before SET NOT NULL, and refuses without one", () => {
    const prev = snap(table([{ name: "s", sqlType: "text", nullable: true }]));
    expect(
      upSql(prev, snap(table([{ name: "s", sqlType: "text", nullable: false, default: "new" }]))),
    ).toEqual([
      `alter table "t" alter column "s" set default 'new'`,
      `update "t" set "s" = 'new' where "s" is null`,
      `alter table "t" alter column "s" set not null`,
    ]);
    expect(() =>
      diffSnapshots(prev, snap(table([{ name: "s", sqlType: "text", nullable: false }]))),
    ).toThrow(/makes "t"."s" NOT NULL without a default/);
  });

  it("widening an enum is free, narrowing it is destructive", () => {
    const at = (values: string[]) =>
      snap(table([{ name: "s", sqlType: "text", nullable: true, enum: values }]));
    expect(upSql(at(["a"]), at(["a", "b"]))).toEqual([
      `alter table "t" drop constraint "t_s_check"`,
      `alter table "t" add constraint "t_s_check" check ("s" in ('a', 'b'))`,
    ]);
    expect(() => diffSnapshots(at(["a", "b"]), at(["a"]))).toThrow(/restricts "t"."s" to \("a"\)/);
  });

  it("adds indexes and foreign keys after the tables they need, and drops them first", () => {
    const prev = snap(table([]));
    const next = snap(
      {
        name: "parent",
        primaryKey: "id",
        columns: [{ name: "id", sqlType: "text", nullable: false }],
        indexes: [],
        foreignKeys: [],
      },
      table([{ name: "parentId", sqlType: "text", nullable: true }], {
        indexes: [{ name: "t_parentId_idx", columns: ["parentId"], unique: false }],
        foreignKeys: [
          {
            name: "t_parentId_fkey",
            column: "parentId",
            references: { table: "parent", column: "id" },
          },
        ],
      }),
    );
    expect(upSql(prev, next)).toEqual([
      `create table "parent" ("id" text not null, constraint "parent_pkey" primary key ("id"))`,
      `alter table "t" add column "parentId" text`,
      `create index "t_parentId_idx" on "t" ("parentId")`,
      `alter table "t" add constraint "t_parentId_fkey" foreign key ("parentId") references "parent" ("id") deferrable initially deferred`,
    ]);
    expect(downSql(prev, next)).toEqual([
      `alter table "t" drop constraint "t_parentId_fkey"`,
      `drop index "t_parentId_idx"`,
      `alter table "t" drop column "parentId"`,
      `drop table "parent"`,
    ]);
    // A unique index over existing data may fail: destructive.
    expect(() =>
      diffSnapshots(
        snap(table([{ name: "e", sqlType: "text", nullable: true }])),
        snap(
          table([{ name: "e", sqlType: "text", nullable: true }], {
            indexes: [{ name: "t_e_key", columns: ["e"], unique: true }],
          }),
        ),
      ),
    ).toThrow(/adds unique index "t_e_key"/);
  });

  it("is empty between equal schemas, and its down reverses every step of its up", () => {
    expect(diffSnapshots(snapshotFromIR(v1()), snapshotFromIR(v1())).statements).toEqual([]);
    const forward = diffSnapshots(snapshotFromIR(v1()), snapshotFromIR(v2()), {
      allowDestructive: true,
    });
    expect(forward.down).toHaveLength(forward.statements.length);
    expect(forward.down).toContainEqual({
      kind: "renameColumn",
      table: "author",
      from: "fullName",
      to: "name",
      hasCheck: false,
    });
    expect(forward.down[0]).toMatchObject({ kind: "dropForeignKey" }); // the last step up (add FK) is undone first
  });
});

describe("snapshots", () => {
  it("serialize deterministically, drop rename hints, and read back", () => {
    const snapshot = snapshotFromIR(v2(), "20260101000000_abcdef12");
    const text = serializeSnapshot(snapshot);
    expect(serializeSnapshot(snapshotFromIR(v2(), "20260101000000_abcdef12"))).toBe(text);
    expect(text).not.toContain("renamedFrom");
    expect(serializeSnapshot(parseSnapshot(text))).toBe(text);
  });

  it("reject unknown SQL types and bad table names (they are written into SQL verbatim)", () => {
    const text = serializeSnapshot(snap(table([{ name: "x", sqlType: "text", nullable: true }])));
    expect(() =>
      parseSnapshot(text.replace('"sqlType": "text"', '"sqlType": "text); drop table t; --"')),
    ).toThrow(/unsupported SQL type/);
    expect(() => parseSnapshot(text.replace('"name": "t"', '"name": "T x"'))).toThrow(
      /not a snake_case table name/,
    );
    expect(() => parseSnapshot(text.replace('"version": 1', '"version": 9'))).toThrow(
      expect.objectContaining({ code: "MIGRATION_SNAPSHOT_INVALID" }),
    );
  });
});

describe("createMigration ids", () => {
  it("sort in creation order even within one second or with a clock behind", async () => {
    const dir = await mkdtemp(join(tmpdir(), "perstore-ids-"));
    try {
      const now = new Date("2026-05-01T10:00:00.500Z");
      const first = await createMigration({ dir, name: "init", ir: v1(), now });
      const second = await createMigration({
        dir,
        name: "evolve",
        ir: v2(),
        allowDestructive: true,
        now: new Date("2026-04-01T00:00:00Z"),
      });
      expect(first!.id.slice(0, 14)).toBe("20260501100000");
      expect(second!.id.slice(0, 14)).toBe("20260501100001");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
