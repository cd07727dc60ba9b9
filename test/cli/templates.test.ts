/**
 * templates/ is real, checked text: the published JSON Schemas agree with
 * the code (config keys, perstore's keyword meta-schemas) and accept what
 * init writes and the example application's models; the starter project's
 * TypeScript (example program, mixin) type-checks with its own tsconfig.json
 * against the code perstore generates for it; every emitter skeleton
 * (templates/emit) is read by an emitter, its fixed text is what that emitter
 * writes, and it fills in to valid TypeScript even for a project without models
 * (filled in for real models it is type-checked by the starter project below,
 * test/compiler/typecheck.test.ts and the golden tests).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020Module from "ajv/dist/2020.js";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PerstoreError } from "../../src/errors/index.js";
import { compile } from "../../src/compiler/index.js";
import { CONFIG_KEYS } from "../../src/compiler/config.js";
import { RUNTIME_PACKAGE } from "../../src/compiler/package-names.js";
import { fillTemplate } from "../../src/compiler/templates.js";
import { keywordMetaSchemas } from "../../src/compiler/load/vocabulary.js";
import { readTemplate, templatesDir } from "../../src/cli/templates.js";
import { runCli, tempFolder } from "./run-cli.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ??
  Ajv2020Module) as typeof Ajv2020Module.default;
const schemaFile = (name: string) =>
  JSON.parse(readFileSync(join(REPO, "templates/json-schemas", name), "utf8")) as Record<
    string,
    any
  >;

/** A copy without `description` keys (the published schemas add them for editors). */
function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "description")
      .map(([key, v]) => [key, withoutDescriptions(v)]),
  );
}

describe("templates/json-schemas", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const config = ajv.compile(schemaFile("perstore.config.schema.json"));
  const model = ajv.compile(schemaFile("model.schema.json"));

  it("the config schema names exactly the keys loadConfig accepts, and accepts init's config", async () => {
    expect(Object.keys(schemaFile("perstore.config.schema.json")["properties"]).sort()).toEqual(
      [...CONFIG_KEYS].sort(),
    );
    expect(config(JSON.parse(await readTemplate("init/perstore.config.json")))).toBe(true);
    expect(config(JSON.parse(readFileSync(join(REPO, "perstore.config.json"), "utf8")))).toBe(true);
    expect(config({ schema: "models" })).toBe(false);
    expect(config({ prettier: "yes" })).toBe(false);
  });

  it("the model schema carries perstore's keyword meta-schemas unchanged, and accepts the models", async () => {
    const published = schemaFile("model.schema.json");
    const found: Record<string, unknown> = {
      ...published["properties"],
      ...published["$defs"]["property"]["anyOf"][1]["properties"],
    };
    for (const [keyword, metaSchema] of Object.entries(keywordMetaSchemas))
      expect(withoutDescriptions(found[keyword]), keyword).toEqual(metaSchema);
    const models = [
      JSON.parse(await readTemplate("init/schemas/note.schema.json")),
      ...readdirSync(join(REPO, "schemas"))
        .filter((f) => f.endsWith(".schema.json"))
        .map((f) => JSON.parse(readFileSync(join(REPO, "schemas", f), "utf8"))),
    ];
    for (const schema of models) expect(model(schema), JSON.stringify(model.errors)).toBe(true);
    expect(model({ type: "object", links: [{ rel: "x" }] })).toBe(false); // href missing
    expect(model({ type: "object", properties: { a: { unique: "yes" } } })).toBe(false);
  });
});

describe("templates/init", () => {
  it("fills every placeholder", async () => {
    for (const file of [
      "perstore.config.json",
      "schemas/note.schema.json",
      "example.ts",
      "package.json",
    ])
      expect(await readTemplate(`init/${file}`)).not.toMatch(/\{\{/);
    expect(templatesDir()).toBe(join(REPO, "templates"));
  });

  it(
    "the starter project type-checks with its tsconfig.json against its generated code",
    { timeout: 240_000 },
    async () => {
      const dir = await tempFolder("perstore-template-tsc-");
      expect((await runCli(dir, ["init"])).code).toBe(0);
      expect((await runCli(dir, ["build"])).code).toBe(0);
      // The project's own tsconfig.json, with perstore-runtime resolved to this repository's source.
      await writeFile(
        join(dir, "tsconfig.check.json"),
        JSON.stringify({
          extends: "./tsconfig.json",
          compilerOptions: {
            noEmit: true,
            typeRoots: [join(REPO, "node_modules/@types")],
            paths: { "perstore-runtime": [join(REPO, "src/index.ts")] },
          },
        }),
      );
      const tsc = spawnSync(
        process.execPath,
        [join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.check.json"],
        {
          cwd: dir,
          encoding: "utf8",
          timeout: 240_000,
        },
      );
      expect(tsc.stdout + tsc.stderr).toBe("");
      expect(tsc.status).toBe(0);
      expect(
        JSON.parse(await readFile(join(dir, "tsconfig.json"), "utf8")).compilerOptions.module,
      ).toBe("NodeNext");
    },
  );
});

describe("templates/emit", () => {
  const emitDir = join(REPO, "templates/emit");
  const skeletons = readdirSync(emitDir).sort();
  const emitterSources = readdirSync(join(REPO, "src/compiler/emit"), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(REPO, "src/compiler/emit", f), "utf8"))
    .join("\n");

  /** Whether `text` holds the skeleton's fixed text, in order, with anything where a placeholder stands. */
  const follows = (skeleton: string, text: string) => {
    let at = 0;
    for (const part of skeleton.replaceAll("{{runtime}}", RUNTIME_PACKAGE).split(/\{\{\w+\}\}/)) {
      const found = text.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
    }
    return true;
  };

  it(
    "every skeleton is read by an emitter and is what it writes for this repository's schemas",
    { timeout: 120_000 },
    async () => {
      expect(skeletons).toEqual(["db-header.ts", "db.ts", "index.ts", "openapi.ts"]);
      const { files } = await compile({ root: REPO, config: { prettier: false } });
      for (const name of skeletons) {
        expect(emitterSources, name).toContain(`emitTemplate("${name}"`);
        const skeleton = readFileSync(join(emitDir, name), "utf8");
        expect(
          files.some((file) => follows(skeleton, file.contents)),
          name,
        ).toBe(true);
      }
    },
  );

  it("the skeletons fill in to valid TypeScript for a project without models", async () => {
    const dir = await tempFolder("perstore-template-emit-");
    await mkdir(join(dir, "schemas"));
    const { files } = await compile({ root: dir, sources: [], config: { prettier: false } });
    for (const path of ["index.ts", "db.ts", "openapi.ts"]) {
      const file = files.find((f) => f.path === path);
      expect(file, path).toBeDefined();
      const { diagnostics } = ts.transpileModule(file!.contents, {
        reportDiagnostics: true,
        fileName: path,
      });
      expect(diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual(
        [],
      );
      expect(file!.contents, path).not.toMatch(/\{\{/);
    }
  });

  it("fillTemplate: strings go in place, lists replace their line, nothing is filled twice", () => {
    const template = "a {{x}} b\n  {{items}}\n{{none}}\nend {{x}}\n";
    expect(fillTemplate(template, { x: "{{items}}", items: ["1", "2"], none: [] })).toBe(
      "a {{items}} b\n  1\n  2\nend {{items}}\n",
    );
    expect(fillTemplate("{{x}}\n", { x: "" })).toBe("\n");
    const failure = (values: Record<string, string | string[]>) => {
      try {
        fillTemplate("a {{x}}\n", values);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(failure({})).toBeInstanceOf(PerstoreError);
    expect((failure({}) as PerstoreError).code).toBe("TEMPLATE_PLACEHOLDER");
    expect((failure({ x: ["1"] }) as PerstoreError).code).toBe("TEMPLATE_PLACEHOLDER");
  });
});
