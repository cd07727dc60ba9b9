/**
 * Issue 11 items 3 to 6: JSON Schema as users write it. Located diagnostics
 * for what ajv's strict mode used to throw (one at a time, unlocated), type-
 * specific keywords without `type`, references to `$id`s and `$anchor`s, and
 * enum errors that say what was wrong.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaErrors, type SchemaError } from "perstore";
import { compile, type CompileResult } from "perstore/compiler";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "perstore-as-written-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const text = (schema: Record<string, unknown>) => JSON.stringify(schema, null, 2);

async function compileOne(schema: Record<string, unknown>): Promise<CompileResult> {
  return compile({ root, sources: [{ file: "thing.schema.json", text: text(schema) }] });
}

async function errorsOf(schema: Record<string, unknown>): Promise<readonly SchemaError[]> {
  try {
    await compileOne(schema);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaErrors);
    return (error as SchemaErrors).errors;
  }
  throw new Error("expected schema errors");
}

let loaded = 0;
async function validatorOf(result: CompileResult): Promise<(data: unknown) => boolean> {
  const file = result.files.find((f) => f.path === "thing.validator.ts")!;
  const path = join(root, `thing-${loaded++}.validator.mts`);
  await writeFile(path, file.contents);
  const module = (await import(/* @vite-ignore */ pathToFileURL(path).href)) as Record<
    string,
    (data: unknown) => boolean
  >;
  return module["validateThing"]!;
}

const thing = (extra: Record<string, unknown>) => ({
  title: "Thing",
  type: "object",
  ...extra,
  properties: { id: { type: "string" }, ...(extra["properties"] as object) },
});

describe("keywords ajv's strict mode refused", () => {
  it("every misspelt keyword is a located diagnostic with a guess, reported together with other errors", async () => {
    const errors = await errorsOf({
      ...thing({}),
      lnks: [],
      primarykey: "id",
      indexs: [],
      properties: {
        id: { type: "string" },
        email: { type: "string", uniqe: true },
        score: { type: "number", minimun: 0 },
      },
      // An error of another kind does not hide them.
      required: "id",
    });
    const byPointer = Object.fromEntries(errors.map((e) => [e.pointer, e]));
    expect(byPointer["/lnks"]?.code).toBe("SCHEMA_UNKNOWN_KEYWORD");
    expect(byPointer["/lnks"]?.message).toContain('did you mean "links"?');
    expect(byPointer["/primarykey"]?.message).toContain('did you mean "primaryKey"?');
    expect(byPointer["/indexs"]?.message).toContain('did you mean "indexes"?');
    expect(byPointer["/properties/email/uniqe"]?.message).toContain('did you mean "unique"?');
    expect(byPointer["/properties/score/minimun"]?.message).toContain('did you mean "minimum"?');
    expect(byPointer["/required"]?.code).toBe("SCHEMA_INVALID");
    // Located: file, line and column of the keyword.
    const lnks = byPointer["/lnks"]!;
    expect(lnks.file).toBe("thing.schema.json");
    expect(lnks.line).toBeGreaterThan(1);
    expect(lnks.column).toBeGreaterThan(0);
    expect(lnks.message).toMatch(/^thing\.schema\.json:\d+:\d+ \/lnks: unknown keyword "lnks"/);
  });

  it("an x- keyword is an annotation of the user's own", async () => {
    const result = await compileOne(thing({ "x-owner": { $ref: "nothing" } }));
    expect(result.ir.models[0]!.name).toBe("Thing");
  });

  it("an unknown format is located, with the known ones", async () => {
    const errors = await errorsOf(
      thing({ properties: { at: { type: "string", format: "date-tim" } } }),
    );
    expect(errors.map((e) => [e.code, e.pointer])).toEqual([
      ["SCHEMA_UNKNOWN_FORMAT", "/properties/at/format"],
    ]);
    expect(errors[0]!.message).toContain('did you mean "date-time"?');
  });

  it("two type-specific keywords without type compile, and mean what JSON Schema says", async () => {
    const result = await compileOne(
      thing({ properties: { score: { minimum: 0 }, tags: { minItems: 1 } } }),
    );
    const score = result.ir.models[0]!.properties.find((p) => p.name === "score")!;
    expect(score.type).toBe("any");
    expect(result.files.find((f) => f.path === "thing.types.ts")!.contents).toMatch(
      /score\?: unknown/,
    );
    expect(result.files.find((f) => f.path === "schema.sql")!.contents).toMatch(/"score" jsonb/);
    const validate = await validatorOf(result);
    expect(validate({ id: "a", score: 1, tags: ["x"] })).toBe(true);
    expect(validate({ id: "a", score: -1 })).toBe(false);
    expect(validate({ id: "a", tags: [] })).toBe(false);
    // Only numbers are bound by minimum, only arrays by minItems.
    expect(validate({ id: "a", score: "text", tags: "text" })).toBe(true);
  });

  it("prefixItems without items, and if without then/else, compile", async () => {
    const result = await compileOne(
      thing({
        properties: {
          pair: { type: "array", prefixItems: [{ type: "integer" }, { type: "string" }] },
          odd: { if: { type: "string" } },
        },
      }),
    );
    const validate = await validatorOf(result);
    expect(validate({ id: "a", pair: [1, "x", true] })).toBe(true);
    expect(validate({ id: "a", pair: ["x"] })).toBe(false);
  });
});

describe("enum and type errors say what was wrong", () => {
  it('"type": "integr" names the value and the allowed types, once', async () => {
    const errors = await errorsOf(thing({ properties: { n: { type: "integr" } } }));
    expect(errors.map((e) => [e.code, e.pointer])).toEqual([
      ["SCHEMA_INVALID", "/properties/n/type"],
    ]);
    expect(errors[0]!.message).toContain(
      '"integr" is not a type; allowed: array, boolean, integer, null, number, object, string; did you mean "integer"?',
    );
  });

  it("a type in a list is named too", async () => {
    const errors = await errorsOf(thing({ properties: { n: { type: ["string", "nul"] } } }));
    expect(errors.map((e) => e.pointer)).toEqual(["/properties/n/type/1"]);
    expect(errors[0]!.message).toContain('"nul" is not a type');
  });

  it('a facet method "frob" lists the allowed methods', async () => {
    const errors = await errorsOf(thing({ facets: { public: { methods: ["get", "frob"] } } }));
    expect(errors.map((e) => [e.code, e.pointer])).toEqual([
      ["SCHEMA_KEYWORD", "/facets/public/methods/1"],
    ]);
    expect(errors[0]!.message).toContain(
      '"frob" is not a facet method; allowed: get, query, put, add, create, patch, delete, save',
    );
  });
});

describe("a misspelt property of a perstore keyword", () => {
  it("names the property, the nearest allowed one and the list", async () => {
    const errors = await errorsOf(thing({ facets: { public: { method: ["get"] } } }));
    const unknown = errors.find((e) => e.message.includes("unknown property"))!;
    expect(unknown.pointer).toBe("/facets/public");
    expect(unknown.message).toContain('unknown property "method" (did you mean "methods"?)');
    expect(unknown.message).toContain("allowed: methods, hidden, readonly");
  });
});

describe("$ref as JSON Schema resolves it", () => {
  it("to an embedded $id, an $anchor, a relative $id and the meta-schema", async () => {
    const result = await compileOne(
      thing({
        $id: "https://example.com/schemas/thing.json",
        $defs: {
          positive: { $id: "positive.json", type: "integer", minimum: 1 },
          word: { $anchor: "word", type: "string", pattern: "^[a-z]+$" },
        },
        properties: {
          count: { $ref: "positive.json" },
          countById: { $ref: "https://example.com/schemas/positive.json" },
          name: { $ref: "#word" },
          schema: { $ref: "https://json-schema.org/draft/2020-12/schema" },
        },
      }),
    );
    const types = Object.fromEntries(result.ir.models[0]!.properties.map((p) => [p.name, p.type]));
    expect(types).toMatchObject({ count: "integer", countById: "integer", name: "string" });
    const validate = await validatorOf(result);
    expect(
      validate({ id: "a", count: 2, countById: 3, name: "abc", schema: { type: "string" } }),
    ).toBe(true);
    expect(validate({ id: "a", count: 0 })).toBe(false);
    expect(validate({ id: "a", countById: 0 })).toBe(false);
    expect(validate({ id: "a", name: "ABC" })).toBe(false);
    expect(validate({ id: "a", schema: { type: "integr" } })).toBe(false);
  });

  it("$dynamicRef to a $dynamicAnchor: a tree extended by a strict tree", async () => {
    const result = await compileOne(
      thing({
        $defs: {
          tree: {
            $id: "https://example.com/tree",
            $dynamicAnchor: "node",
            type: "object",
            properties: {
              data: true,
              children: { type: "array", items: { $dynamicRef: "#node" } },
            },
          },
          strictTree: {
            $id: "https://example.com/strict-tree",
            $dynamicAnchor: "node",
            $ref: "tree",
            unevaluatedProperties: false,
          },
        },
        properties: { tree: { $ref: "https://example.com/strict-tree" } },
      }),
    );
    const validate = await validatorOf(result);
    expect(validate({ id: "a", tree: { data: 1, children: [{ data: 2 }] } })).toBe(true);
    // The strict tree's rule reaches the children through the dynamic reference.
    expect(validate({ id: "a", tree: { data: 1, children: [{ daat: 2 }] } })).toBe(false);
  });

  it("a URL no project schema declares is located and says nothing is fetched", async () => {
    const errors = await errorsOf(
      thing({ properties: { x: { $ref: "https://example.com/elsewhere.json" } } }),
    );
    expect(errors.map((e) => [e.code, e.pointer])).toEqual([
      ["SCHEMA_UNKNOWN_REF", "/properties/x/$ref"],
    ]);
    expect(errors[0]!.message).toContain("never fetches");
  });

  it("an unknown $anchor is located", async () => {
    const errors = await errorsOf(thing({ properties: { x: { $ref: "#nowhere" } } }));
    expect(errors.map((e) => [e.code, e.pointer])).toEqual([
      ["SCHEMA_UNKNOWN_REF", "/properties/x/$ref"],
    ]);
  });
});

describe("a $ref inside const is data in the generated types too", () => {
  it("json-schema-to-typescript does not follow it", async () => {
    const result = await compileOne(
      thing({
        properties: {
          literal: { const: { $ref: "#/$defs/missing" } },
          choice: { enum: [{ $ref: "a" }, 1] },
        },
      }),
    );
    const types = result.files.find((f) => f.path === "thing.types.ts")!.contents;
    expect(types).toMatch(/literal\?: \{ "?\$ref"?: "#\/\$defs\/missing" \};/);
    expect(types).toMatch(/choice\?: \{ "?\$ref"?: "a" \} \| 1;/);
  });
});
