import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaErrors, type SchemaError } from "perstore";
import { compile, type CompileResult } from "perstore/compiler";
import { Diagnostics } from "../../src/compiler/load/diagnostics.js";
import { derefFrom } from "../../src/compiler/ir/deref-from.js";
import { readModelSources } from "../../src/compiler/ir/model-sources.js";
import { propertyIR } from "../../src/compiler/ir/property-ir.js";
import { querySchemaOf } from "../../src/compiler/ir/query-schema-of.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "perstore-recursive-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const json = (value: unknown): string => JSON.stringify(value, null, 2);

async function compiled(files: Record<string, unknown>): Promise<CompileResult> {
  const sources = Object.entries(files).map(([file, schema]) => ({ file, text: json(schema) }));
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

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string }[] | null };

/** Load a generated validator module (its `perstore` import resolves to the source runtime). */
async function validatorOf(result: CompileResult, model: string): Promise<Validate> {
  const file = result.files.find((f) => f.path === `${model.toLowerCase()}.validator.ts`)!;
  const path = join(root, `${model}-${Math.random().toString(36).slice(2)}.validator.mts`);
  await writeFile(path, file.contents);
  const module = (await import(/* @vite-ignore */ pathToFileURL(path).href)) as Record<
    string,
    Validate
  >;
  return module[`validate${model}`]!;
}

const tree = {
  title: "Tree",
  type: "object",
  properties: { id: { type: "string" }, root: { $ref: "#/$defs/Node" } },
  $defs: {
    Node: {
      type: "object",
      properties: {
        name: { type: "string" },
        children: { type: "array", items: { $ref: "#/$defs/Node" } },
      },
      required: ["name"],
      additionalProperties: false,
    },
  },
};

describe("recursive schemas (legal JSON Schema) compile", () => {
  it("a tree node under a property: type, validator and jsonb column", async () => {
    const result = await compiled({ "tree.schema.json": tree });
    const model = result.ir.models[0]!;
    expect(model.properties.find((p) => p.name === "root")!.type).toBe("object");
    const types = result.files.find((f) => f.path === "tree.types.ts")!.contents;
    expect(types).toMatch(/children\?: Node\[\]/);
    expect(result.files.find((f) => f.path === "schema.sql")!.contents).toMatch(/"root" jsonb/);
    const validate = await validatorOf(result, "Tree");
    const deep = { name: "a", children: [{ name: "b", children: [{ name: "c", children: [] }] }] };
    expect(validate({ id: "t", root: deep })).toBe(true);
    const bad = { name: "a", children: [{ name: "b", children: [{ name: 5 }] }] };
    expect(validate({ id: "t", root: bad })).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toContain(
      "/root/children/0/children/0/name",
    );
  });

  it("a model that refers to itself through properties and items", async () => {
    const result = await compiled({
      "folder.schema.json": {
        title: "Folder",
        type: "object",
        properties: {
          id: { type: "string" },
          parent: { $ref: "#" },
          children: { type: "array", items: { $ref: "#" } },
        },
        required: ["id"],
      },
    });
    const validate = await validatorOf(result, "Folder");
    expect(validate({ id: "a", parent: { id: "b", parent: { id: "c" } } })).toBe(true);
    expect(validate({ id: "a", parent: { id: "b", parent: { name: "no id" } } })).toBe(false);
    expect(validate({ id: "a", children: [{ id: "b", children: [{}] }] })).toBe(false);
  });

  it("two model files that refer to each other through properties", async () => {
    const result = await compiled({
      "a.schema.json": {
        title: "A",
        type: "object",
        properties: { id: { type: "string" }, b: { $ref: "b.schema.json#/$defs/BNode" } },
        $defs: {
          ANode: {
            type: "object",
            properties: { n: { type: "integer" }, next: { $ref: "b.schema.json#/$defs/BNode" } },
          },
        },
      },
      "b.schema.json": {
        title: "B",
        type: "object",
        properties: { id: { type: "string" }, a: { $ref: "A" } },
        $defs: {
          BNode: {
            type: "object",
            properties: { s: { type: "string" }, next: { $ref: "a.schema.json#/$defs/ANode" } },
          },
        },
      },
    });
    const validateA = await validatorOf(result, "A");
    expect(validateA({ id: "x", b: { s: "1", next: { n: 2, next: { s: "3" } } } })).toBe(true);
    expect(validateA({ id: "x", b: { s: "1", next: { n: 2, next: { s: 3 } } } })).toBe(false);
    const validateB = await validatorOf(result, "B");
    expect(validateB({ id: "y", a: { id: "x", b: { s: "1" } } })).toBe(true);
    expect(validateB({ id: "y", a: { id: 1 } })).toBe(false);
  });
});

describe("$ref loops that never reach a value are located diagnostics", () => {
  const model = (defs: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    title: "Thing",
    type: "object",
    properties: { id: { type: "string" }, x: { $ref: "#/$defs/A" } },
    $defs: defs,
    ...extra,
  });

  it.each([
    ["a ref-to-ref loop", { A: { $ref: "#/$defs/B" }, B: { $ref: "#/$defs/A" } }, "/$defs/A/$ref"],
    ["a ref to itself", { A: { $ref: "#/$defs/A" } }, "/$defs/A/$ref"],
    [
      "a loop through allOf",
      {
        A: { allOf: [{ $ref: "#/$defs/B" }] },
        B: { anyOf: [{ type: "string" }, { $ref: "#/$defs/A" }] },
      },
      "/$defs/A/allOf/0/$ref",
    ],
    ["a loop through not", { A: { not: { $ref: "#/$defs/A" } } }, "/$defs/A/not/$ref"],
  ])("%s", async (_name, defs, pointer) => {
    const text = json(model(defs));
    const errors = await errorsOf({ "a.schema.json": model(defs) });
    expect(errors.map((e) => e.code)).toEqual(["SCHEMA_CYCLIC_REF"]);
    const [error] = errors;
    expect(error!.file).toBe("a.schema.json");
    expect(error!.pointer).toBe(pointer);
    expect(error!.message).toMatch(/\$ref loop Thing#\/\$defs\/A/);
    const lines = text.split("\n");
    expect(lines[error!.line - 1]!.slice(error!.column - 1)).toMatch(/^"\$ref"/);
  });

  it("a loop that nothing uses is reported too", async () => {
    const errors = await errorsOf({
      "a.schema.json": {
        title: "Thing",
        type: "object",
        properties: { id: { type: "string" } },
        $defs: { A: { $ref: "#/$defs/B" }, B: { $ref: "#/$defs/A" } },
      },
    });
    expect(errors.map((e) => [e.code, e.pointer])).toEqual([
      ["SCHEMA_CYCLIC_REF", "/$defs/A/$ref"],
    ]);
  });

  it("a loop across two model files is reported once, in the first file", async () => {
    const errors = await errorsOf({
      "a.schema.json": {
        title: "A",
        type: "object",
        properties: { id: { type: "string" }, x: { $ref: "b.schema.json#/$defs/Y" } },
        $defs: { X: { $ref: "b.schema.json#/$defs/Y" } },
      },
      "b.schema.json": {
        title: "B",
        type: "object",
        properties: { id: { type: "string" } },
        $defs: { Y: { $ref: "a.schema.json#/$defs/X" } },
      },
    });
    expect(errors.map((e) => [e.code, e.file, e.pointer])).toEqual([
      ["SCHEMA_CYCLIC_REF", "a.schema.json", "/$defs/X/$ref"],
    ]);
    expect(errors[0]!.message).toContain("A#/$defs/X -> B#/$defs/Y -> A#/$defs/X");
  });

  it("an allOf inheritance loop is SCHEMA_INHERITANCE_CYCLE, not also a $ref loop", async () => {
    const errors = await errorsOf({
      "a.schema.json": {
        title: "A",
        type: "object",
        properties: { id: { type: "string" } },
        allOf: [{ $ref: "B" }],
      },
      "b.schema.json": {
        title: "B",
        type: "object",
        properties: { id: { type: "string" } },
        allOf: [{ $ref: "A" }],
      },
    });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === "SCHEMA_INHERITANCE_CYCLE")).toBe(true);
  });

  it("JSON nested deeper than the parser allows is a located syntax error, not a stack overflow", async () => {
    const depth = 5000;
    const text = `{"title":"A","type":"object","properties":{"id":{"type":"string"},"x":{"const":${"[".repeat(depth)}${"]".repeat(depth)}}}}`;
    try {
      await compile({ root, sources: [{ file: "a.schema.json", text }] });
      throw new Error("expected schema errors");
    } catch (error) {
      expect(error).toBeInstanceOf(SchemaErrors);
      const [first] = (error as SchemaErrors).errors;
      expect(first!.code).toBe("SCHEMA_SYNTAX");
      expect(first!.message).toMatch(/nested deeper than/);
      expect(first!.line).toBe(1);
    }
  });
});

describe("query schema of recursive models", () => {
  it("types nested fields once per schema on the path, and a bounded number of them", () => {
    const properties: Record<string, unknown> = {
      id: { type: "string" },
      name: { type: "string" },
    };
    for (let i = 0; i < 12; i++) properties[`p${i}`] = { $ref: "#" };
    const diagnostics = new Diagnostics();
    const [m] = readModelSources(
      [{ file: "a.schema.json", text: json({ title: "A", type: "object", properties }) }],
      diagnostics,
    );
    const deref = derefFrom(new Map([["A", m!]]), m!);
    const props = Object.entries(properties).map(([name, schema]) =>
      propertyIR(name, schema as Record<string, unknown>, deref, `/properties/${name}`, false),
    );
    const schema = querySchemaOf("id", props, m!, deref);
    // Each self-reference expands one level (12 properties of 14 fields), then stays untyped.
    expect(Object.keys(schema.fields)).toHaveLength(14 + 12 * 14);
    expect(schema.fields["p0/name"]).toBe("string");
    expect(schema.fields["p0/p1"]).toBe("object");
    expect(schema.fields["p0/p1/name"]).toBeUndefined();
    // Shared (not recursive) object schemas: a wide, deep tree is cut off at a fixed budget.
    const level = (n: number): Record<string, unknown> =>
      n === 0
        ? { type: "string" }
        : {
            type: "object",
            properties: Object.fromEntries(
              Array.from({ length: 12 }, (_, i) => [`f${i}`, { $ref: `#/$defs/L${n - 1}` }]),
            ),
          };
    const defs = Object.fromEntries(Array.from({ length: 6 }, (_, n) => [`L${n}`, level(n)]));
    const [wide] = readModelSources(
      [
        {
          file: "w.schema.json",
          text: json({
            title: "W",
            type: "object",
            properties: { id: { type: "string" }, top: { $ref: "#/$defs/L5" } },
            $defs: defs,
          }),
        },
      ],
      diagnostics,
    );
    const wideDeref = derefFrom(new Map([["W", wide!]]), wide!);
    const wideProps = ["id", "top"].map((name) =>
      propertyIR(
        name,
        (wide!.normalized["properties"] as Record<string, Record<string, unknown>>)[name]!,
        wideDeref,
        "",
        false,
      ),
    );
    const wideFields = Object.keys(querySchemaOf("id", wideProps, wide!, wideDeref).fields);
    expect(wideFields.length).toBeLessThanOrEqual(2 + 2000);
    expect(diagnostics.errors).toEqual([]);
  });
});

describe("$ref inside data", () => {
  it("const, enum, default and examples values keep a literal $ref; only schema positions are resolved", async () => {
    const literal = { $ref: "#/properties/id" };
    const result = await compiled({
      "thing.schema.json": {
        title: "Thing",
        type: "object",
        properties: {
          id: { type: "string" },
          c: { const: literal },
          e: { enum: [literal, "plain"] },
          d: { type: "object", default: literal, examples: [literal] },
          r: { $ref: "#/properties/id" },
        },
      },
    });
    const schema = result.ir.models[0]!.schema as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    expect(schema["properties"]!["c"]!["const"]).toEqual(literal);
    expect(schema["properties"]!["d"]!["default"]).toEqual(literal);
    expect(schema["properties"]!["r"]!["$ref"]).toBe("Thing#/properties/id");
    const validate = await validatorOf(result, "Thing");
    expect(validate({ id: "a", c: literal, e: literal, r: "x" })).toBe(true);
    expect(validate({ id: "a", c: { $ref: "Thing#/properties/id" } })).toBe(false);
    expect(validate({ id: "a", r: 1 })).toBe(false);
  });
});
