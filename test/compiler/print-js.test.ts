/**
 * printJs prints what prettier prints, byte for byte, for the JavaScript
 * perstore emits: ajv's standalone code for every schema of the JSON Schema
 * Test Suite and the golden fixtures, random JSON values, and code shaped
 * to make prettier break lines. Where it cannot, it must say so
 * (undefined), never print something else.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import standaloneModule from "ajv/dist/standalone/index.js";
import { _ } from "ajv";
import { describe, expect, it } from "vitest";
import { prettierFormat } from "../../src/compiler/format-file.js";
import { createValidatorAjv } from "../../src/compiler/load/create-ajv.js";
import { toEsm } from "../../src/compiler/emit/emit-validators.js";
import { renumberAjvNames } from "../../src/compiler/emit/renumber-ajv-names.js";
import { printJs } from "../../src/compiler/print-js.js";

const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ??
  standaloneModule) as typeof standaloneModule.default;

const prettier = (text: string): Promise<string> => prettierFormat(text, ["babel-ts"]);

/** The schemas of the suite (as the conformance test wraps them) and of the golden fixtures. */
function schemas(): { name: string; schema: object }[] {
  const out: { name: string; schema: object }[] = [];
  const suite = fileURLToPath(
    new URL("../fixtures/json-schema-test-suite/tests/draft2020-12/", import.meta.url),
  );
  let n = 0;
  for (const file of readdirSync(suite)
    .filter((f) => f.endsWith(".json"))
    .sort())
    for (const group of JSON.parse(readFileSync(suite + file, "utf8")) as { schema: unknown }[]) {
      const base = { title: `Case${n}`, type: "object", required: ["id"] };
      const schema =
        typeof group.schema === "boolean"
          ? { ...base, properties: { id: { type: "string" }, value: group.schema } }
          : {
              ...base,
              properties: { id: { type: "string" }, value: { $ref: "#/$defs/case" } },
              $defs: {
                case: {
                  $id: `https://perstore.test/suite/case-${n}.json`,
                  ...(group.schema as object),
                },
              },
            };
      out.push({ name: `${file}#${n++}`, schema });
    }
  const golden = fileURLToPath(new URL("./fixtures/golden/", import.meta.url));
  for (const dir of readdirSync(golden))
    for (const file of readdirSync(`${golden}${dir}/schemas`).filter((f) => f.endsWith(".json")))
      out.push({
        name: `${dir}/${file}`,
        schema: JSON.parse(readFileSync(`${golden}${dir}/schemas/${file}`, "utf8")) as object,
      });
  return out;
}

/** A validator's JavaScript as emit-validators builds it (before its typed head is added). */
function validatorCode(schema: object): string | undefined {
  try {
    const ajv = createValidatorAjv({
      code: {
        source: true,
        esm: true,
        formats: _`require("ajv-formats/dist/formats").fullFormats`,
      },
    });
    ajv.addSchema(structuredClone(schema), "M");
    return renumberAjvNames(toEsm(standaloneCode(ajv, { validateM: "M" }), "M"), { prune: true });
  } catch {
    return undefined; // a schema the compiler refuses
  }
}

describe("printJs", () => {
  it("prints ajv's code for the suite's and the golden schemas as prettier does", async () => {
    let printed = 0;
    let total = 0;
    for (const { name, schema } of schemas()) {
      const code = validatorCode(schema);
      if (code === undefined) continue;
      total++;
      const fast = printJs(code);
      if (fast === undefined) continue;
      printed++;
      expect(fast, name).toBe(await prettier(code));
    }
    expect(total).toBeGreaterThan(300);
    // What it leaves to prettier is rare (labels, sequences, chains of two calls).
    expect(printed / total).toBeGreaterThan(0.8);
  }, 120_000);

  it("prints random JSON values in broken and flat objects as prettier does", async () => {
    const key = fc.oneof(
      fc.constantFrom(
        "a",
        "id",
        "$ref",
        "x-y",
        "200",
        "default",
        "it's",
        'say "hi"',
        "k".repeat(60),
      ),
      fc.string({ maxLength: 12 }),
    );
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: "small" },
        fc.string({ maxLength: 40 }),
        fc.constantFrom("x".repeat(90), 'a "quoted" one', "it's", "back\\slash\n", "ünï"),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("any"), { maxLength: 5 }),
        fc.dictionary(key, tie("any"), { maxKeys: 6 }),
      ),
    })).any;
    let printed = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, value, { maxKeys: 8 }), async (object) => {
        const json = JSON.stringify(object);
        for (const text of [`x = {\n  a: {\n${json.slice(1)}};\n`, `const y = ${json};\n`]) {
          const fast = printJs(text);
          if (fast === undefined) continue;
          printed++;
          expect(fast).toBe(await prettier(text));
        }
      }),
      { numRuns: 300 },
    );
    expect(printed).toBeGreaterThan(300);
  }, 120_000);

  it("breaks long conditions, calls, ternaries and objects as prettier does", async () => {
    const deep = (code: string, depth: number): string =>
      depth === 0 ? code : `if (a${depth}) {${deep(code, depth - 1)}}`;
    const snippets = [
      `if (!(typeof data2 == "number" && !(data2 % 1) && !isNaN(data2) && isFinite(data2) && data2 >= 0 && data2 <= 1000000)) { errors++; }`,
      `if ((a && b) || (c && d) || (eeeeeeeeeeeeeeeeeeeeeeeeeeeeee && ffffffffffffffffffffffffffffff && gggggggggggggggg)) { x = 1; }`,
      `vErrors = vErrors === null ? validateSomethingVeryLongIndeed12.errors : vErrors.concat(validateSomethingVeryLongIndeed12.errors);`,
      `if (!validate1(data.foo, { instancePath: instancePath + "/foo", parentData: data, parentDataProperty: "foo", rootData, dynamicAnchors })) { errors++; }`,
      `const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "id" }, message: "must have required property '" + "id" + "'" };`,
      `const pattern0 = new RegExp("^[a-z]+(?:-[a-z]+)*$", "u"); for (const key0 in data) { if (!pattern0.test(key0)) { delete data[key0]; } }`,
      `for (let i0 = 0; i0 < len0; i0++) { let data1 = data[i0]; if (typeof data1 !== "string") { errors++; break; } }`,
      `function validate0(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { return errors === 0 && somethingElseThatIsLong(data) && anotherCheckWithAName(data, 1); }`,
      `const schema1 = { type: "object", properties: { name: { type: "string", maxLength: 80 }, tags: { type: "array", items: { type: "string" } } }, required: ["name"] };`,
    ];
    for (const snippet of snippets)
      for (const depth of [0, 4, 9]) {
        const text = deep(snippet, depth);
        const fast = printJs(text);
        expect(fast, text).toBeDefined();
        expect(fast, text).toBe(await prettier(text));
      }
  }, 60_000);

  it("prints a model definition's annotated const as prettier does, and leaves a long one to prettier", async () => {
    const definition = (name: string): string =>
      `/** Everything. */\nexport const ${name}Definition: ModelDefinition<${name}Data, ${name}, ${name}Queries> = {\nname: "${name}", predicate: function (record, parameters) { if (record != null && record.constructor === Object && Object.getPrototypeOf(record) === Object.prototype) { return (queryEq(record.name, queryParameter(parameters, 1))); } return false; }, links: [{ "rel": "parent", "many": false }] };\n`;
    const short = definition("Note");
    expect(printJs(short)).toBe(await prettier(short));
    expect(printJs(definition("N".repeat(40)))).toBeUndefined();
  });

  it("leaves code it does not know to prettier", () => {
    for (const text of [
      "const f = (a) => a;\n",
      "x = `template ${y}`;\n",
      "a = b ? c ? d : e : f;\n",
      "label: for (;;) { break label; }\n",
      "const x = { a /* comment */: 1 };\n",
      "x = [1, 2, 3];\n",
      "const t: number = 1;\n",
    ])
      expect(printJs(text), text).toBeUndefined();
  });
});
