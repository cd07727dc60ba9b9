import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaErrors, type SchemaError } from "perstore";
import { compile } from "perstore/compiler";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "perstore-diag-"));
  await writeFile(join(root, "only-values.ts"), "export const x = 1;\n");
  await writeFile(
    join(root, "mix.ts"),
    "export function hello(this: unknown): string { return 'hi'; }\n",
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

const base = (extra: Record<string, unknown>, title = "Thing") =>
  JSON.stringify(
    {
      title,
      type: "object",
      properties: { id: { type: "string" }, name: { type: "string" } },
      ...extra,
    },
    null,
    2,
  );

async function errorsOf(files: Record<string, string>): Promise<readonly SchemaError[]> {
  const sources = Object.entries(files).map(([file, text]) => ({ file, text }));
  try {
    await compile({ root, sources });
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaErrors);
    return (error as SchemaErrors).errors;
  }
  throw new Error("expected schema errors");
}

describe("compiler diagnostics", () => {
  it.each([
    [
      "SCHEMA_UNKNOWN_REF",
      {
        "a.schema.json": base({
          properties: { id: { type: "string" }, x: { $ref: "#/$defs/Missing" } },
        }),
      },
    ],
    [
      "SCHEMA_UNKNOWN_REF",
      {
        "a.schema.json": base({
          properties: { id: { type: "string" }, x: { $ref: "nope.schema.json#/$defs/A" } },
        }),
      },
    ],
    [
      "SCHEMA_UNKNOWN_LINK_TARGET",
      { "a.schema.json": base({ links: [{ rel: "owner", href: "Nobody/{name}" }] }) },
    ],
    [
      "SCHEMA_UNKNOWN_LINK_PROPERTY",
      { "a.schema.json": base({ links: [{ rel: "self", href: "Thing/{ownerId}" }] }) },
    ],
    [
      "SCHEMA_BAD_LINK",
      { "a.schema.json": base({ links: [{ rel: "self", href: "not a link" }] }) },
    ],
    ["SCHEMA_BAD_QUERY", { "a.schema.json": base({ queries: { broken: "eq(name,$1" } }) }],
    [
      "SCHEMA_QUERY_UNKNOWN_PROPERTY",
      { "a.schema.json": base({ queries: { q: "eq(colour,red)" } }) },
    ],
    ["SCHEMA_MIXIN_NOT_FOUND", { "a.schema.json": base({ prototype: "./missing.ts" }) }],
    ["SCHEMA_MIXIN_MISSING_EXPORT", { "a.schema.json": base({ prototype: "./only-values.ts" }) }],
    [
      "SCHEMA_MIXIN_MISSING_EXPORT",
      { "a.schema.json": base({ prototype: { module: "./mix.ts", exports: ["hello", "bye"] } }) },
    ],
    ["SCHEMA_DUPLICATE_MODEL", { "a.schema.json": base({}), "b.schema.json": base({}) }],
    [
      "SCHEMA_INHERITANCE_CYCLE",
      {
        "a.schema.json": base({ allOf: [{ $ref: "B" }] }, "A"),
        "b.schema.json": base({ allOf: [{ $ref: "A" }] }, "B"),
      },
    ],
    ["SCHEMA_KEYWORD", { "a.schema.json": base({ indexes: [{ field: "name" }] }) }],
    ["SCHEMA_INVALID", { "a.schema.json": base({ required: "name" }) }],
    ["SCHEMA_SYNTAX", { "a.schema.json": '{ "title": "A", }' }],
    ["SCHEMA_UNKNOWN_INDEX_FIELD", { "a.schema.json": base({ indexes: [{ fields: ["nope"] }] }) }],
    [
      "SCHEMA_UNKNOWN_FACET_PROPERTY",
      { "a.schema.json": base({ facets: { f: { methods: ["get"], hidden: ["secret"] } } }) },
    ],
    ["SCHEMA_UNKNOWN_PRIMARY_KEY", { "a.schema.json": base({ primaryKey: "code" }) }],
  ])("reports %s", async (code, files) => {
    const errors = await errorsOf(files);
    expect(errors.map((e) => e.code)).toContain(code);
    const error = errors.find((e) => e.code === code)!;
    expect(error.file).toMatch(/^[ab]\.schema\.json$/);
    expect(error.line).toBeGreaterThan(0);
    expect(error.column).toBeGreaterThan(0);
  });

  it("reports every error in one run, each located by pointer, line and column", async () => {
    const text = base({
      links: [{ rel: "owner", href: "Nobody/{name}" }],
      queries: { q: "eq(colour,red)" },
      prototype: "./missing.ts",
    });
    const errors = await errorsOf({ "a.schema.json": text });
    expect(errors.map((e) => e.code).sort()).toEqual([
      "SCHEMA_MIXIN_NOT_FOUND",
      "SCHEMA_QUERY_UNKNOWN_PROPERTY",
      "SCHEMA_UNKNOWN_LINK_TARGET",
    ]);
    const link = errors.find((e) => e.code === "SCHEMA_UNKNOWN_LINK_TARGET")!;
    expect(link.pointer).toBe("/links/0/href");
    const lines = text.split("\n");
    expect(lines[link.line - 1]!.slice(link.column - 1)).toMatch(/^"href"/);
  });
});
