import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaErrors, type SchemaError } from "perstore";
import { compile, type CompileResult } from "perstore/compiler";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "perstore-facet-sub-models-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const person = {
  title: "Person",
  type: "object",
  properties: {
    id: { type: "string" },
    lastName: { type: "string" },
    email: { type: "string" },
    country: { type: "string" },
  },
  facets: {
    directory: { methods: ["get", "query", "patch"], hidden: ["email"], readonly: ["country"] },
  },
};

const employee = (facet?: Record<string, unknown>) => ({
  title: "Employee",
  allOf: [{ $ref: "Person" }],
  type: "object",
  properties: { jobTitle: { type: "string" }, salary: { type: "number" } },
  ...(facet ? { facets: { directory: facet } } : {}),
});

async function compiled(files: Record<string, unknown>): Promise<CompileResult> {
  const sources = Object.entries(files).map(([file, schema]) => ({
    file,
    text: JSON.stringify(schema, null, 2),
  }));
  return compile({ root, sources });
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

describe("a sub-model's facet of its base facet's name (it governs the sub-model's records read through the base's)", () => {
  it("may grant less than the base's facet, or the same", async () => {
    const result = await compiled({
      "person.schema.json": person,
      "employee.schema.json": employee({
        methods: ["get"],
        hidden: ["email", "salary"],
        readonly: ["country"],
      }),
    });
    const facet = result.ir.models.find((m) => m.name === "Employee")!.facets[0]!;
    expect(facet).toMatchObject({ name: "directory", hidden: ["email", "salary"] });
  });

  it("may be absent: then the base's facet hides the sub-model's own properties at run time", async () => {
    const result = await compiled({
      "person.schema.json": person,
      "employee.schema.json": employee(),
    });
    expect(result.ir.models.find((m) => m.name === "Employee")!.facets).toEqual([]);
  });

  it("granting a method, a property or a write the base's withholds is SCHEMA_FACET_WIDER_THAN_BASE at the facet", async () => {
    const errors = await errorsOf({
      "person.schema.json": person,
      // `save` is an alias of put, which Person.directory does not allow.
      "employee.schema.json": employee({ methods: ["get", "save"], hidden: ["salary"] }),
    });
    expect(errors.map((e) => [e.code, e.file, e.pointer])).toEqual([
      ["SCHEMA_FACET_WIDER_THAN_BASE", "employee.schema.json", "/facets/directory"],
    ]);
    expect(errors[0]!.message).toContain(
      "facet Employee.directory grants more than Person.directory",
    );
    expect(errors[0]!.message).toContain("allows put (Person.directory does not)");
    expect(errors[0]!.message).toContain("shows email (Person.directory hides it)");
    expect(errors[0]!.message).toContain(
      "lets country be written (Person.directory keeps it read-only)",
    );
  });

  it("a differently named facet of the sub-model is not compared", async () => {
    const sub = employee();
    const result = await compiled({
      "person.schema.json": person,
      "employee.schema.json": { ...sub, facets: { payroll: { methods: ["get", "put"] } } },
    });
    expect(result.ir.models.find((m) => m.name === "Employee")!.facets[0]!.name).toBe("payroll");
  });
});
