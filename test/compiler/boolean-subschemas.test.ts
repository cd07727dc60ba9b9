import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "perstore/compiler";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "perstore-boolean-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("boolean subschemas", () => {
  it('"properties": { "foo": true, "bar": false } compile: IR, types, DDL and validator', async () => {
    const schema = {
      title: "Thing",
      type: "object",
      properties: {
        id: { type: "string" },
        foo: true,
        bar: false,
        list: { type: "array", items: true },
      },
    };
    const result = await compile({
      root,
      sources: [{ file: "thing.schema.json", text: JSON.stringify(schema, null, 2) }],
    });
    const types = Object.fromEntries(result.ir.models[0]!.properties.map((p) => [p.name, p.type]));
    expect(types).toEqual({ id: "string", foo: "any", bar: "any", list: "array" });
    const data = result.files.find((f) => f.path === "thing.types.ts")!.contents;
    expect(data).toMatch(/foo\?: unknown;/);
    expect(data).toMatch(/bar\?: never;/);
    expect(result.files.find((f) => f.path === "schema.sql")!.contents).toMatch(/"foo" jsonb/);
    const file = join(root, "thing.validator.mts");
    await writeFile(file, result.files.find((f) => f.path === "thing.validator.ts")!.contents);
    const { validateThing } = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
      validateThing: (data: unknown) => boolean;
    };
    expect(validateThing({ id: "a", foo: { any: ["thing"] }, list: [1, "x"] })).toBe(true);
    expect(validateThing({ id: "a", bar: 1 })).toBe(false);
  });
});
