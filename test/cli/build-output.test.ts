/**
 * `perstore build` output and the config it reads: plural forms, colour only
 * where wanted, `--json` for build and build --check, warnings about the
 * schemas folder, unknown config keys as errors with "did you mean", and a
 * build that never removes files it did not write.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/compiler/index.js";
import { SchemaErrors } from "../../src/errors/index.js";
import { runCli, tempFolder } from "./run-cli.js";

const note = JSON.stringify({
  title: "Note",
  type: "object",
  properties: { id: { type: "string" }, title: { type: "string", maxLength: 20 } },
  required: ["id"],
});

/** A project with one schema, built once. */
async function project(): Promise<string> {
  const dir = await tempFolder("perstore-build-");
  await mkdir(join(dir, "schemas"));
  await writeFile(join(dir, "schemas/note.schema.json"), note);
  await writeFile(join(dir, "perstore.config.json"), '{ "prettier": false }\n');
  return dir;
}

describe("perstore build output", () => {
  it("says 1 model and 1 file in the singular; colours only with FORCE_COLOR, never with NO_COLOR", async () => {
    const dir = await project();
    const first = await runCli(dir, ["build"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/compiled 1 model: \d+ files written, 0 unchanged \(\d+ ms\)\n$/);
    expect(first.stdout).not.toContain("\x1b[");
    await rm(join(dir, "generated/note.types.ts"));
    const one = await runCli(dir, ["build"], undefined, { FORCE_COLOR: "1" });
    expect(one.stdout).toContain("\x1b[32mcompiled 1 model\x1b[39m: 1 file written");
    const plain = await runCli(dir, ["build", "-c"], undefined, {
      FORCE_COLOR: "1",
      NO_COLOR: "1",
    });
    expect(plain.stdout).toMatch(/^generated\/ is up to date \(1 model, \d+ files, \d+ ms\)\n$/);
  });

  it("--json prints one document for build and build --check, with the same exit codes", async () => {
    const dir = await project();
    const built = await runCli(dir, ["build", "--json"]);
    expect(built.code).toBe(0);
    const report = JSON.parse(built.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ ok: true, check: false, out: "generated", models: ["Note"] });
    expect(report["written"]).toContain("note.ts");
    expect(report["removed"]).toEqual([]);

    const fresh = JSON.parse((await runCli(dir, ["build", "--check", "--json"])).stdout);
    expect(fresh).toMatchObject({ ok: true, check: true, written: [], removed: [] });

    await writeFile(
      join(dir, "schemas/note.schema.json"),
      note.replace('"maxLength":20', '"maxLength":30'),
    );
    const stale = await runCli(dir, ["build", "--check", "--json"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toBe("");
    const staleReport = JSON.parse(stale.stdout) as { ok: boolean; written: string[] };
    expect(staleReport.ok).toBe(false);
    expect(staleReport.written.some((f) => f.startsWith("note.validator."))).toBe(true);

    await writeFile(
      join(dir, "schemas/note.schema.json"),
      '{ "title": "Note", "type": "object", "properties": { "id": { "type": "strin" } } }',
    );
    const broken = await runCli(dir, ["build", "--json"]);
    expect(broken.code).toBe(1);
    const errors = JSON.parse(broken.stdout) as {
      ok: boolean;
      errors: { code: string; file?: string; line?: number }[];
    };
    expect(errors.ok).toBe(false);
    expect(errors.errors[0]).toMatchObject({ file: "schemas/note.schema.json" });
    expect(errors.errors[0]!.line).toBeGreaterThan(0);
  });

  it("warns about files in the schemas folder that are not schemas, and about an empty folder", async () => {
    const dir = await project();
    await writeFile(join(dir, "schemas/tag.json"), "{}");
    await writeFile(join(dir, "schemas/notes.md"), "mine");
    await writeFile(join(dir, "schemas/.gitkeep"), "");
    await writeFile(join(dir, "schemas/note.mixin.ts"), "export class NoteMixin {}\n");
    const run = await runCli(dir, ["build"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "warning: schemas/notes.md is not a *.schema.json file, so the build ignores it [SCHEMAS_STRAY_FILE]\n" +
        "warning: schemas/tag.json is not a *.schema.json file, so the build ignores it (rename it to schemas/tag.schema.json to make it a model) [SCHEMAS_STRAY_FILE]\n",
    );
    const json = JSON.parse((await runCli(dir, ["build", "--json"])).stdout);
    expect(json.warnings.map((w: { file: string }) => w.file)).toEqual([
      "schemas/notes.md",
      "schemas/tag.json",
    ]);
  });
});

describe("perstore build: an ES module project", () => {
  it('warns when package.json does not say "type": "module" (generated code is ESM)', async () => {
    const dir = await project();
    await writeFile(join(dir, "package.json"), '{ "name": "app", "type": "commonjs" }');
    const run = await runCli(dir, ["build"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'warning: package.json has "type": "commonjs", but the generated code is ES modules: set "type": "module" (`perstore init --esm` does) [PROJECT_NOT_ESM]\n',
    );
    await writeFile(join(dir, "package.json"), '{ "name": "app" }');
    const json = JSON.parse((await runCli(dir, ["build", "--json"])).stdout);
    expect(json.warnings.map((w: { code: string }) => w.code)).toEqual(["PROJECT_NOT_ESM"]);
    await writeFile(join(dir, "package.json"), '{ "name": "app", "type": "module" }');
    expect((await runCli(dir, ["build"])).stderr).toBe("");
  });
});

describe("perstore.config.json", () => {
  it("an unknown key is an error, located, with did you mean; all of them at once", async () => {
    const dir = await project();
    await writeFile(
      join(dir, "perstore.config.json"),
      '{\n  "schema": "models",\n  "output": "gen",\n  "colour": 1\n}\n',
    );
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaErrors);
    expect((error as SchemaErrors).errors.map((e) => [e.code, e.message])).toEqual([
      [
        "CONFIG_UNKNOWN_KEY",
        'perstore.config.json:2:3 /schema: unknown key "schema"; did you mean "schemas"?',
      ],
      [
        "CONFIG_UNKNOWN_KEY",
        'perstore.config.json:3:3 /output: unknown key "output"; did you mean "out"?',
      ],
      [
        "CONFIG_UNKNOWN_KEY",
        'perstore.config.json:4:3 /colour: unknown key "colour" (the keys are "schemas", "out", "database", "prettier", "server", "seed")',
      ],
    ]);
    const run = await runCli(dir, ["build"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'unknown key "schema"; did you mean "schemas"? [CONFIG_UNKNOWN_KEY]',
    );
    // "$schema" (the editor's pointer to the config's JSON Schema) is allowed.
    await writeFile(
      join(dir, "perstore.config.json"),
      '{ "$schema": "x.json", "prettier": false }',
    );
    expect((await loadConfig(dir)).prettier).toBe(false);
  });

  it('{ "schema": "models", "output": "gen" } deletes nothing, and neither does an empty schemas folder', async () => {
    const dir = await project();
    expect((await runCli(dir, ["build"])).code).toBe(0);
    const generated = (await readdir(join(dir, "generated"))).sort();
    // The user moves the schemas and misspells the keys.
    await mkdir(join(dir, "models"));
    await rename(join(dir, "schemas/note.schema.json"), join(dir, "models/note.schema.json"));
    await writeFile(join(dir, "perstore.config.json"), '{ "schema": "models", "output": "gen" }');
    const wrong = await runCli(dir, ["build"]);
    expect(wrong.code).toBe(1);
    expect((await readdir(join(dir, "generated"))).sort()).toEqual(generated);
    // Keys right but the old folder still named: it is empty, so nothing is removed.
    await writeFile(join(dir, "perstore.config.json"), '{ "prettier": false }');
    const empty = await runCli(dir, ["build"]);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain(
      "the schemas folder schemas/ holds no *.schema.json file: nothing was compiled, and generated/ was left as it is [SCHEMAS_EMPTY]",
    );
    expect((await readdir(join(dir, "generated"))).sort()).toEqual(generated);
  });

  it("a build removes only what a build of this schemas folder wrote", async () => {
    const dir = await project();
    await runCli(dir, ["build"]);
    // Output of another schemas folder (banner names models/...), and a file of the user's with no banner.
    await writeFile(
      join(dir, "generated/other.ts"),
      "// Generated by perstore from models/other.schema.json. Do not edit.\nexport {};\n",
    );
    await writeFile(join(dir, "generated/mine.ts"), "export const mine = 1;\n");
    await writeFile(
      join(dir, "generated/gone.ts"),
      "// Generated by perstore from schemas/gone.schema.json. Do not edit.\nexport {};\n",
    );
    const run = await runCli(dir, ["build"]);
    expect(run.stdout).toContain("removed generated/gone.ts");
    const left = await readdir(join(dir, "generated"));
    expect(left).toContain("other.ts");
    expect(left).toContain("mine.ts");
    expect(left).not.toContain("gone.ts");
    expect(await readFile(join(dir, "generated/mine.ts"), "utf8")).toBe("export const mine = 1;\n");
  });
});
