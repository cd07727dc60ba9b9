/**
 * A large JSON module (openapi.ts) is formatted in pieces; the result must
 * be prettier's own for the whole file, byte for byte.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile, type SchemaSource } from "perstore/compiler";
import { banner, formatFile, prettierFormat } from "../../src/compiler/format-file.js";
import { parseJsonModule, splitJsonModule } from "../../src/compiler/format-json-module.js";
import type { EmittedFile } from "../../src/compiler/emit/emitted-file.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

async function wholeFile(file: EmittedFile): Promise<string> {
  return banner(file) + (await prettierFormat(file.contents, ["babel-ts", "typescript"]));
}

function jsonModule(value: unknown): EmittedFile {
  return {
    path: "data.ts",
    source: "schemas/",
    contents: `/** A document. */\n// second line\nexport const data = ${JSON.stringify(value)} as const;\n`,
  };
}

/** Awkward values: quotes, escapes, unicode, long strings and keys, numbers, empty containers, deep nesting. */
function awkward(i: number): Record<string, unknown> {
  return {
    plain: `value ${i}`,
    "needs-quotes": 'say "hi"',
    "it's": "it's \"both\" 'kinds'",
    "200": { description: "a numeric key" },
    "1.5": 1.5,
    $ref: "#/components/schemas/X",
    ünïcödé: "ünïcödé ✓ 日本語",
    "back\\slash": "a\\b\nc\td\u2028e",
    long: "x".repeat(95 + (i % 10)),
    ["k".repeat(70 + (i % 5))]: { inner: "y".repeat(40) },
    numbers: Array.from({ length: 40 + i }, (_, j) => j * 1.25 - 3),
    objects: [{ a: 1, b: 2 }, { c: 3 }, {}],
    empty: {},
    emptyArray: [],
    nested: { a: { b: { c: { d: { e: ["deep", null, true, false, -0, 1e21, 1e-7] } } } } },
  };
}

describe("JSON modules formatted in pieces", () => {
  it("print what one prettier pass over the whole file prints (awkward values)", async () => {
    const value = {
      openapi: "3.1.0",
      paths: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`/M${i}/{id}`, awkward(i)])),
      components: {
        schemas: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`M${i}`, awkward(i)])),
        "x-small": { a: 1 },
      },
    };
    const file = jsonModule(value);
    expect(parseJsonModule(file.contents)).toBeDefined();
    expect(splitJsonModule(parseJsonModule(file.contents)!).length).toBeGreaterThan(10);
    const cache = new Map<string, string>();
    const used = new Set<string>();
    const pieces = await formatFile(file, { prettier: true, cache, usedKeys: used });
    expect(pieces).toBe(await wholeFile(file));
    // Again from the cache's pieces alone (the whole file's entry gone): the same text.
    for (const key of [...cache.keys()]) if (!used.has(key)) cache.delete(key);
    expect(await formatFile(file, { prettier: true, cache, usedKeys: new Set() })).toBe(pieces);
  }, 180_000);

  it("print a 60-model project's openapi.ts as prettier does", async () => {
    const sources: SchemaSource[] = Array.from({ length: 60 }, (_, i) => ({
      file: `schemas/m${i}.schema.json`,
      text: JSON.stringify({
        title: `M${i}`,
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          name: { type: "string", maxLength: 80, description: `The "name" of M${i}` },
          count: { type: "integer", minimum: 0 },
          ...(i > 0 ? { parentId: { type: "string", format: "uuid" } } : {}),
        },
        required: ["id", "name"],
        ...(i > 0 ? { links: [{ rel: "parent", href: `M${i - 1}/{parentId}` }] } : {}),
        queries: { named: "eq(name,$1)&sort(+count)" },
      }),
    }));
    const config = { out: "generated-json-module-test" };
    const { files, ir } = await compile({ root, sources, config, diskCache: false });
    const openapi = files.find((f) => f.path === "openapi.ts")!;
    const { emitOpenApi } = await import("../../src/compiler/emit/emit-openapi.js");
    const [emitted] = emitOpenApi(ir);
    expect(parseJsonModule(emitted!.contents)).toBeDefined();
    expect(openapi.contents).toBe(await wholeFile(emitted!));
  }, 180_000);

  it("leave anything else to prettier whole", () => {
    const big = { a: "x".repeat(300_000) };
    const text = (s: string) => `export const data = ${s} as const;\n`;
    expect(parseJsonModule(text(JSON.stringify(big)))).toBeDefined();
    expect(parseJsonModule(text(JSON.stringify(big, null, 1)))).toBeUndefined(); // not one line
    expect(parseJsonModule(text(`{"a":1e2,"b":"${"x".repeat(300_000)}"}`))).toBeUndefined(); // not JSON.stringify's
    expect(parseJsonModule(`${text(JSON.stringify(big))}export const b = 1;\n`)).toBeUndefined();
    expect(parseJsonModule(`const x = 1;\n${text(JSON.stringify(big))}`)).toBeUndefined();
    expect(parseJsonModule(text(JSON.stringify([big])))).toBeUndefined();
    expect(parseJsonModule(text(JSON.stringify({ a: 1 })))).toBeUndefined(); // too small to split
  });
});
