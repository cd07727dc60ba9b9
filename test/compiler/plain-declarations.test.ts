/**
 * json-schema-to-typescript's plain output is written as prettier prints
 * it; anything more is left to prettier (undefined), never printed
 * otherwise.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile, type JSONSchema } from "json-schema-to-typescript";
import { describe, expect, it } from "vitest";
import { prettierFormat } from "../../src/compiler/format-file.js";
import { plainDeclarationsAsPrettierPrints } from "../../src/compiler/emit/plain-declarations.js";

const prettier = (text: string): Promise<string> => prettierFormat(text, ["babel-ts"]);

/** Object schemas: the golden fixtures' and random-ish ones built from the JSON Schema Test Suite's. */
function schemas(): JSONSchema[] {
  const out: JSONSchema[] = [];
  const golden = fileURLToPath(new URL("./fixtures/golden/", import.meta.url));
  for (const dir of readdirSync(golden))
    for (const file of readdirSync(`${golden}${dir}/schemas`).filter((f) => f.endsWith(".json")))
      out.push(JSON.parse(readFileSync(`${golden}${dir}/schemas/${file}`, "utf8")) as JSONSchema);
  const suite = fileURLToPath(
    new URL("../fixtures/json-schema-test-suite/tests/draft2020-12/", import.meta.url),
  );
  for (const file of readdirSync(suite).filter((f) => f.endsWith(".json")))
    for (const { schema } of JSON.parse(readFileSync(suite + file, "utf8")) as {
      schema: unknown;
    }[])
      if (typeof schema === "object" && schema !== null && !JSON.stringify(schema).includes("$ref"))
        out.push({
          type: "object",
          properties: { value: schema as JSONSchema, id: { type: "string" } },
        });
  return out;
}

describe("plain declarations", () => {
  it("are what prettier prints for json-schema-to-typescript's output, where they apply", async () => {
    let plain = 0;
    for (const schema of schemas()) {
      let raw: string;
      try {
        raw = await compile(schema, "Data", {
          bannerComment: "",
          format: false,
          declareExternallyReferenced: true,
          additionalProperties: true,
        });
      } catch {
        continue;
      }
      for (const text of [raw, `import type { A, B } from "./a.types.js";\n\n${raw}`]) {
        const printed = plainDeclarationsAsPrettierPrints(text);
        if (printed === undefined) continue;
        plain++;
        expect(printed, text).toBe(await prettier(text));
      }
    }
    expect(plain).toBeGreaterThan(50);
  }, 120_000);

  it("print quoted keys, empty bodies and intersections as prettier does", async () => {
    for (const text of [
      `export interface T {\n"id": string\n"x-y"?: number | null\n"a b": "one" | "two"\n[k: string]: unknown\n}\n`,
      `export interface Empty {\n}\n\n\nexport type Sub = Base & {\nextra: boolean[][]\n}\n`,
    ]) {
      expect(plainDeclarationsAsPrettierPrints(text)).toBe(await prettier(text));
    }
    expect(
      plainDeclarationsAsPrettierPrints(`export interface T {\n/** doc */\na: string\n}\n`),
    ).toBeUndefined();
    expect(
      plainDeclarationsAsPrettierPrints(`export interface T {\na: {\nb: string\n}\n}\n`),
    ).toBeUndefined();
  });
});
