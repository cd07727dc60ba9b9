import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import {
  compile,
  createBuildSession,
  loadConfig,
  readSchemaSources,
  buildProjectIR,
  type SchemaSource,
} from "perstore/compiler";
import { emitValidators } from "../../src/compiler/emit/emit-validators.js";
import { formatFile } from "../../src/compiler/format-file.js";
import { renumberAjvNames } from "../../src/compiler/emit/renumber-ajv-names.js";
import { readMixinExports } from "../../src/compiler/load/mixin-exports.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const session = createBuildSession({ root, diskCache: false });
afterAll(() => session.close());

/** `sources` with one file's schema changed by `edit`. */
function edited(
  sources: readonly SchemaSource[],
  file: string,
  edit: (schema: Record<string, any>) => void,
): SchemaSource[] {
  return sources.map((s) => {
    if (s.file !== file) return s;
    const schema = JSON.parse(s.text) as Record<string, any>;
    edit(schema);
    return { file, text: JSON.stringify(schema, null, 2) };
  });
}

describe("incremental builds (watch mode)", () => {
  it("re-emits only the models a change affects, and the result equals a fresh build", async () => {
    const sources = await readSchemaSources(await loadConfig(root));
    const first = await session.build({ noWrite: true, sources });
    expect(first.emittedModels).toEqual([
      "Author",
      "Book",
      "Company",
      "Employee",
      "Person",
      "Review",
    ]);

    const same = await session.build({ noWrite: true, sources });
    expect(same.emittedModels).toEqual([]);
    expect(same.files).toEqual(first.files);

    const cases: [string, (s: Record<string, any>) => void, string[]][] = [
      // A leaf: nothing refers to Review.
      ["schemas/review.schema.json", (s) => (s.properties.body.maxLength = 1234), ["Review"]],
      // Company's $defs/Address is $ref'd by Person, whose hierarchy includes Employee.
      [
        "schemas/company.schema.json",
        (s) => (s.$defs.Address.properties.street.maxLength = 99),
        ["Company", "Employee", "Person"],
      ],
      // A base model: its sub-model's table spec and inherited members change with it.
      [
        "schemas/person.schema.json",
        (s) => (s.properties.nickname.description = "What friends say"),
        ["Employee", "Person"],
      ],
    ];
    let changed = sources;
    for (const [file, edit, expected] of cases) {
      // Edits pile up, one file at a time, as they would in an editor.
      changed = edited(changed, file, edit);
      const rebuilt = await session.build({ noWrite: true, sources: changed });
      expect(rebuilt.emittedModels, file).toEqual(expected);
      const fresh = await compile({ root, sources: changed });
      expect(rebuilt.files, file).toEqual(fresh.files);
      expect(rebuilt.files).not.toEqual(first.files);
    }
    // And back: the first output again, byte for byte.
    const back = await session.build({ noWrite: true, sources });
    expect(back.files).toEqual(first.files);
  }, 120_000);

  it("keeps its state when a rebuild fails on schema errors", async () => {
    const sources = await readSchemaSources(await loadConfig(root));
    const good = await session.build({ noWrite: true, sources });
    const broken = edited(
      sources,
      "schemas/review.schema.json",
      (s) => (s.queries = { bad: "eq(nope,1)" }),
    );
    await expect(session.build({ noWrite: true, sources: broken })).rejects.toThrow(/nope/);
    const again = await session.build({ noWrite: true, sources });
    expect(again.emittedModels).toEqual([]);
    expect(again.files).toEqual(good.files);
  });
});

describe("validators", () => {
  it("read the same whether compiled alone or after every other model (names renumbered per file)", async () => {
    const config = await loadConfig(root);
    const ir = buildProjectIR(await readSchemaSources(config), {
      readMixins: (m) => new Map(m.map((x) => [x, ["ageOn", "fullName"]])),
    });
    const all = emitValidators(ir);
    for (const model of [...ir.models].reverse()) {
      const alone = emitValidators(ir, { models: new Set([model.name]) });
      expect(alone).toEqual(all.filter((f) => f.model === model.name));
    }
    expect(all.find((f) => f.path === "employee.validator.ts")!.contents).toMatch(
      // (broken after `=` as prettier prints a line this long)
      /export const validateEmployee: ModelValidateFunction =\s+validate0 as unknown as ModelValidateFunction;/,
    );
  });

  it("renumbering leaves strings, regular expressions and property names alone", () => {
    const code = [
      `export const validateX = validate12;`,
      `const schema7 = {"schema7":"validate12"};`,
      `const formats3 = /validate12"'schema7/u;`,
      `function validate12(data) { if (data.validate12 !== formats3) { return {schema7: schema7}; } return validate12.errors; }`,
    ].join("");
    expect(renumberAjvNames(code)).toBe(
      [
        `export const validateX = validate0;`,
        `const schema0 = {"schema7":"validate12"};`,
        `const formats0 = /validate12"'schema7/u;`,
        `function validate0(data) { if (data.validate12 !== formats0) { return {schema7: schema0}; } return validate0.errors; }`,
      ].join(""),
    );
  });

  it("pruning drops unreferenced scope consts and sourceURL comments, and nothing else", () => {
    const code = [
      `export const validateX = validate5;`,
      `const schema3 = {"a":"b;c","d":[1,{"e":"f"}]};`,
      `const schema4 = {"enum":["x"]};`,
      `const formats9 = /^a;b$/;`,
      `function validate5(data) {/*# sourceURL="X" */;/* kept */ if (!formats9.test(data)) { return {allowed: schema4.enum, note: "/*# sourceURL=\\"Y\\" */"}; } return true; }`,
    ].join("");
    expect(renumberAjvNames(code, { prune: true })).toBe(
      [
        `export const validateX = validate0;`,
        `const schema0 = {"enum":["x"]};`,
        `const formats0 = /^a;b$/;`,
        `function validate0(data) {/* kept */ if (!formats0.test(data)) { return {allowed: schema0.enum, note: "/*# sourceURL=\\"Y\\" */"}; } return true; }`,
      ].join(""),
    );
    // Without the option nothing is dropped.
    expect(renumberAjvNames(code)).toContain(`const schema0 = {"a":"b;c"`);
  });
});

describe("mixin exports", () => {
  it("are read from the module and what it re-exports, without a type checker", async () => {
    const dir = await mkdtemp(join(tmpdir(), "perstore-mixins-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, "lib"));
    await writeFile(
      join(dir, "lib/helpers.ts"),
      "export function shout(this: unknown) { return 1; }\nexport const quiet = () => 0;\nexport const value = 3;\n",
    );
    await writeFile(
      join(dir, "mixin.ts"),
      [
        `import { quiet as hush } from "./lib/helpers.js";`,
        `export * from "./lib/helpers.js";`,
        `export { hush };`,
        `function local() { return 2; }`,
        `export { local as renamed };`,
        `export const arrow = async () => 1;`,
        `export default function ignored() {}`,
        `export type NotAFunction = string;`,
      ].join("\n"),
    );
    const found = readMixinExports([join(dir, "mixin.ts"), join(dir, "missing.ts")]);
    expect(found.get(join(dir, "mixin.ts"))).toEqual([
      "arrow",
      "hush",
      "quiet",
      "renamed",
      "shout",
    ]);
    expect(found.get(join(dir, "missing.ts"))).toBeUndefined();
  });
});

describe("batched emission", () => {
  it("a build of many models (prettier workers, models emitted in batches) gives each model the files it gets alone", async () => {
    // 45 models: batches of 20, and each model $refs a $def of the one before, so refs cross batches.
    const sources: SchemaSource[] = Array.from({ length: 45 }, (_, i) => ({
      file: `schemas/m${i}.schema.json`,
      text: JSON.stringify({
        title: `M${i}`,
        type: "object",
        properties: {
          id: { type: "string" },
          tag: i > 0 ? { $ref: `M${i - 1}#/$defs/Tag` } : { type: "string" },
        },
        required: ["id"],
        $defs: { Tag: { type: "string", maxLength: 10 + i } },
      }),
    }));
    const all = await compile({ root, sources, config: { out: "generated-batch-test" } });
    expect(all.files.filter((f) => f.path.endsWith(".validator.ts"))).toHaveLength(45);
    // Each validator as a one-model emit from a fresh IR (own ajv instance) and a main-thread prettier pass makes it.
    const ir = buildProjectIR(sources, { readMixins: () => new Map() });
    for (const name of ["M0", "M19", "M20", "M44"]) {
      const [validator] = emitValidators(ir, { models: new Set([name]) });
      const built = all.files.find((f) => f.path === validator!.path)!;
      expect(built.contents).toBe(await formatFile(validator!, { prettier: true }));
      expect(built.contents).toContain(`export const validate${name}: ModelValidateFunction =`);
    }
  }, 60_000);
});
