import { describe, expect, it } from "vitest";
import { clampIdentifier } from "../../../src/compiler/emit/ddl/constraint-name.js";
import {
  ddlOf,
  ddlTablesFromIR,
  emitDdl,
  sqlTypeOf,
  tableSpecsFromIR,
} from "../../../src/compiler/emit/ddl/index.js";
import { runSqlScript } from "../../../src/compiler/migrate/run-sql-script.js";
import { openDatabase } from "../../../src/store/sql/open-database.js";
import { catalogColumns, catalogConstraints } from "../migrate/databases.js";
import { libraryIR, model, project } from "./ir-fixture.js";

describe("sqlTypeOf", () => {
  it.each([
    [{ type: "string" }, "text"],
    [{ type: "string", maxLength: 80 }, "varchar(80)"],
    [{ type: "string", format: "uuid" }, "uuid"],
    [{ type: "string", format: "date-time" }, "timestamptz"],
    [{ type: "date-time" }, "timestamptz"],
    [{ type: "date" }, "date"],
    [{ type: "integer" }, "bigint"],
    [{ type: "integer", minimum: 0, maximum: 100 }, "integer"],
    [{ type: "integer", minimum: 0, maximum: 2 ** 31 }, "bigint"],
    [{ type: "number" }, "double precision"],
    [{ type: "boolean" }, "boolean"],
    [{ type: "array", items: { type: "string", format: "uuid" } }, "text[]"],
    [{ type: "array", items: { type: "integer" } }, "bigint[]"],
    [{ type: "array", items: { type: "object" } }, "jsonb"],
    [{ type: "array" }, "jsonb"],
    [{ type: "object" }, "jsonb"],
    [{ type: "any" }, "jsonb"],
  ] as const)("%j -> %s", (property, expected) => {
    expect(sqlTypeOf(property)).toBe(expected);
  });
});

describe("tableSpecsFromIR", () => {
  it("maps each model to its table, table-per-hierarchy with a discriminator", () => {
    const ir = libraryIR();
    const specs = tableSpecsFromIR(ir);
    expect(specs.map((s) => s.table)).toEqual(["author", "book", "person", "person"]); // Author, Book, Employee, Person
    const book = specs[1]!;
    expect(book.primaryKey).toBe("isbn");
    expect(book.discriminator).toBeUndefined();
    expect(book.columns.find((c) => c.name === "status")).toEqual({
      name: "status",
      type: "string",
      sqlType: "text",
      nullable: false,
      enum: ["draft", "published"],
    });
    const [employee, person] = [specs[2]!, specs[3]!];
    expect(person.discriminator).toEqual({
      column: "perstore_type",
      value: "Person",
      values: ["Employee", "Person"],
    });
    expect(employee.discriminator).toEqual({
      column: "perstore_type",
      value: "Employee",
      values: ["Employee"],
    });
    // The base reads its sub-models' columns too; a column required only by Employee is nullable in the shared table.
    expect(person.columns.map((c) => c.name)).toEqual([
      "id",
      "firstName",
      "email",
      "country",
      "nickname",
      "employerId",
      "managerId",
      "salary",
    ]);
    expect(person.columns.find((c) => c.name === "employerId")?.nullable).toBe(true);
    expect(person.columns.find((c) => c.name === "firstName")?.nullable).toBe(false);
    expect(person.columns.find((c) => c.name === "nickname")?.nullable).toBe(true);
  });

  it("reports a property typed differently by two models of one hierarchy", () => {
    const ir = project(
      model({
        name: "Base",
        subModels: ["Sub"],
        properties: [
          { name: "id", type: "string", required: true },
          { name: "x", type: "string" },
        ],
      }),
      model({
        name: "Sub",
        base: "Base",
        properties: [
          { name: "id", type: "string", required: true },
          { name: "x", type: "integer" },
        ],
      }),
    );
    expect(() => tableSpecsFromIR(ir)).toThrow(
      expect.objectContaining({
        code: "SCHEMA_COLUMN_CONFLICT",
        file: "schemas/sub.schema.json",
        pointer: "/properties/x",
      }),
    );
  });
});

describe("ddlTablesFromIR", () => {
  it("derives foreign keys from forward and reverse links (not from arrays of ids) and indexes them", () => {
    const tables = ddlTablesFromIR(libraryIR());
    const keys = tables.flatMap((t) =>
      t.foreignKeys.map(
        (k) => `${t.name}.${k.column} -> ${k.references.table}.${k.references.column}`,
      ),
    );
    expect(keys).toEqual(["book.authorId -> author.id", "person.managerId -> person.id"]);
    const person = tables.find((t) => t.name === "person")!;
    expect(person.indexes.map((i) => `${i.name}${i.unique ? " unique" : ""}`)).toEqual([
      "person_country_idx",
      "person_email_key unique",
      "person_managerId_idx",
    ]);
    expect(person.columns.at(-1)).toEqual({
      name: "perstore_type",
      sqlType: "text",
      nullable: false,
      default: "Person",
      enum: ["Employee", "Person"],
    });
  });

  it("gives integer primary keys an identity (the database assigns ids)", () => {
    const ir = project(
      model({ name: "Counter", properties: [{ name: "id", type: "integer", required: true }] }),
    );
    expect(ddlOf(ir)).toBe(
      `create table "counter" ("id" bigint generated by default as identity not null, constraint "counter_pkey" primary key ("id"));\n`,
    );
  });

  it("shortens names PostgreSQL would truncate, keeping them distinct", () => {
    const long = "a".repeat(70);
    expect(Buffer.byteLength(clampIdentifier(`${long}_x_idx`, "idx"))).toBe(63);
    expect(clampIdentifier(`${long}_x_idx`, "idx")).not.toBe(
      clampIdentifier(`${long}_y_idx`, "idx"),
    );
    expect(clampIdentifier("short_idx", "idx")).toBe("short_idx");
  });
});

describe("emitDdl", () => {
  it("emits generated/schema.sql that PGlite accepts, with the expected catalog", async () => {
    const [file] = emitDdl(libraryIR());
    expect(file).toMatchObject({ path: "schema.sql", format: false });
    expect(file!.contents).toContain(
      `create table "book" ("isbn" text not null, "title" varchar(300) not null, "authorId" uuid not null, "coAuthorIds" text[], "year" integer, "price" double precision, "status" text default 'draft' not null, "dimensions" jsonb, "publishedAt" timestamptz, constraint "book_pkey" primary key ("isbn"), constraint "book_status_check" check ("status" in ('draft', 'published')));\n`,
    );
    const db = openDatabase("memory:");
    try {
      await runSqlScript(db, file!.contents);
      const columns = await catalogColumns(db);
      expect(new Set(columns.map((c) => c.table))).toEqual(new Set(["author", "book", "person"]));
      expect(
        columns.find((c) => c.table === "person" && c.column === "perstore_type"),
      ).toMatchObject({ nullable: false, default: "'Person'::text" });
      expect(await catalogConstraints(db)).toEqual([
        "author_pkey PRIMARY KEY",
        "book_authorId_fkey FOREIGN KEY",
        "book_pkey PRIMARY KEY",
        "book_status_check CHECK",
        "person_managerId_fkey FOREIGN KEY",
        "person_perstore_type_check CHECK",
        "person_pkey PRIMARY KEY",
      ]);
    } finally {
      await db.destroy();
    }
  });
});
