import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaErrors, type SchemaError } from "perstore";
import { compile, type CompileResult } from "perstore/compiler";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "perstore-facet-queries-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const person = (facet: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  title: "Person",
  type: "object",
  properties: {
    id: { type: "string" },
    lastName: { type: "string" },
    country: { type: "string" },
    birthDate: { type: "string", format: "date" },
  },
  queries: {
    inCountry: "eq(country,$1)&sort(+lastName)",
    bornBefore: "lt(birthDate,$1)",
    byAge: "sort(+birthDate)&select(id,lastName)",
  },
  facets: { directory: { methods: ["get", "query"], hidden: ["birthDate"], ...facet } },
  ...extra,
});

const texts = (files: Record<string, unknown>) =>
  Object.entries(files).map(([file, schema]) => ({ file, text: JSON.stringify(schema, null, 2) }));

async function compiled(files: Record<string, unknown>): Promise<CompileResult> {
  return compile({ root, sources: texts(files) });
}

async function errorsOf(files: Record<string, unknown>): Promise<readonly SchemaError[]> {
  try {
    await compiled(files);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaErrors);
    return (error as SchemaErrors).errors;
  }
  throw new Error("expected schema errors");
}

describe("facet queries (deny by default)", () => {
  it("a listed named query that reads a hidden property is a located error at its entry", async () => {
    const schema = person({ queries: ["inCountry", "bornBefore", "byAge"] });
    const errors = await errorsOf({ "person.schema.json": schema });
    expect(errors.map((e) => [e.code, e.pointer])).toEqual([
      ["SCHEMA_FACET_HIDDEN_QUERY", "/facets/directory/queries/1"],
      ["SCHEMA_FACET_HIDDEN_QUERY", "/facets/directory/queries/2"],
    ]);
    const [error] = errors;
    expect(error!.file).toBe("person.schema.json");
    expect(error!.message).toContain(
      "facet directory hides birthDate, which query bornBefore reads",
    );
    expect(error!.message).toContain('{ "name": "bornBefore", "reveals": ["birthDate"] }');
    const lines = JSON.stringify(schema, null, 2).split("\n");
    expect(lines[error!.line - 1]!.slice(error!.column - 1)).toMatch(/^"bornBefore"/);
  });

  it("`reveals` accepts it; the definition carries the list and the typed facet only the listed queries", async () => {
    const result = await compiled({
      "person.schema.json": person({
        queries: ["inCountry", { name: "bornBefore", reveals: ["birthDate"] }],
      }),
    });
    const facet = result.ir.models[0]!.facets[0]!;
    expect(facet.queries).toEqual([
      { name: "inCountry", reveals: [] },
      { name: "bornBefore", reveals: ["birthDate"] },
    ]);
    const source = result.files.find((f) => f.path === "person.ts")!.contents;
    expect(source).toMatch(/queries: \[\s*\{ name: "inCountry", reveals: \[\] \},/);
    expect(source).toMatch(
      /ModelFacet<\s*PersonDirectoryRecord,\s*PersonData,\s*Pick<PersonQueries, "inCountry" \| "bornBefore">\s*>,\s*"name" \| "model" \| "get" \| "query" \| "queries"/,
    );
  });

  it("a facet without `queries` exposes none, and its type has no `queries`", async () => {
    const result = await compiled({ "person.schema.json": person({}) });
    expect(result.ir.models[0]!.facets[0]!.queries).toEqual([]);
    const source = result.files.find((f) => f.path === "person.ts")!.contents;
    expect(source).toMatch(/"name" \| "model" \| "get" \| "query"\n?\s*>/);
  });

  it.each([
    [
      "an unknown query",
      { queries: ["nope"] },
      "SCHEMA_UNKNOWN_FACET_QUERY",
      "/facets/directory/queries/0",
    ],
    [
      "a reveals the facet does not hide",
      { queries: [{ name: "inCountry", reveals: ["country"] }] },
      "SCHEMA_FACET_REVEALS",
      "/facets/directory/queries/0/reveals/0",
    ],
    [
      "an entry without reveals",
      { queries: [{ name: "bornBefore" }] },
      "SCHEMA_KEYWORD",
      "/facets/directory/queries/0",
    ],
  ])("%s is reported", async (_name, facet, code, pointer) => {
    const errors = await errorsOf({ "person.schema.json": person(facet) });
    expect(errors.map((e) => e.code)).toContain(code);
    const error = errors.find((e) => e.code === code)!;
    expect(error.pointer).toBe(pointer);
    expect(error.line).toBeGreaterThan(0);
  });

  it("a sub-model's facet is checked against inherited queries too", async () => {
    const errors = await errorsOf({
      "person.schema.json": person({}, { facets: {} }),
      "employee.schema.json": {
        title: "Employee",
        type: "object",
        allOf: [{ $ref: "Person" }],
        properties: { salary: { type: "number" } },
        facets: {
          staff: {
            methods: ["get"],
            hidden: ["birthDate", "salary"],
            queries: ["inCountry", "bornBefore"],
          },
        },
      },
    });
    expect(errors.map((e) => [e.code, e.file, e.pointer])).toEqual([
      ["SCHEMA_FACET_HIDDEN_QUERY", "employee.schema.json", "/facets/staff/queries/1"],
    ]);
  });
});
