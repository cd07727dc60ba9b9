/**
 * Golden fixtures: each folder in `fixtures/golden/<case>/` holds `schemas/`
 * (the input: `*.schema.json` plus any mixin `.ts`) and `expected/` (every
 * file the compiler must emit for it, byte for byte). The case is compiled in
 * memory with `out: "expected"`, so mixins import `../expected/<model>.js`
 * and the expected files type-check in place (see tsconfig.generated.json).
 *
 * To (re)generate the expected files after a deliberate change to the output:
 *   UPDATE_GOLDEN=1 npx vitest run test/compiler/golden.test.ts
 * then read the diff — the expected files are the spec.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { compile, loadConfig, readSchemaSources, type CompileOptions } from "perstore/compiler";

const goldenRoot = fileURLToPath(new URL("./fixtures/golden", import.meta.url));
const update = process.env["UPDATE_GOLDEN"] === "1";
const caseConfig = { schemas: "schemas", out: "expected" } as const;

const cases = (await readdir(goldenRoot, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Every file under `dir`, as sorted posix paths relative to it ([] when it does not exist). */
async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

describe("golden fixtures", () => {
  it("has the cases it is meant to cover", () => {
    expect(cases).toEqual(["facets", "inheritance", "links-and-queries", "minimal", "refs"]);
  });

  it("are all in the one-program type check (tsconfig.generated.json), mixins included", () => {
    const config = fileURLToPath(new URL("./tsconfig.generated.json", import.meta.url));
    const read = ts.readConfigFile(config, (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(config));
    for (const name of cases) {
      const expected = join(goldenRoot, name, caseConfig.out, "index.ts").split(sep).join("/");
      expect(parsed.fileNames, name).toContain(expected);
    }
    const mixin = join(goldenRoot, "inheritance", "schemas", "animal.mixin.ts")
      .split(sep)
      .join("/");
    expect(parsed.fileNames).toContain(mixin);
  });

  describe.each(cases)("%s", (name) => {
    const root = join(goldenRoot, name);
    const expectedDir = join(root, caseConfig.out);
    const options: CompileOptions = { root, config: caseConfig };

    it(
      update ? "rewrites expected/" : "emits exactly the files in expected/, byte for byte",
      async () => {
        const { files } = await compile(options);
        if (update) {
          // Start from an empty folder so files the compiler no longer emits disappear.
          await rm(expectedDir, { recursive: true, force: true });
          for (const file of files) {
            const target = join(expectedDir, file.path);
            await mkdir(dirname(target), { recursive: true });
            await writeFile(target, file.contents);
          }
        }
        expect(files.map((f) => f.path)).toEqual(await listFiles(expectedDir));
        for (const file of files) {
          expect(file.contents, file.path).toBe(
            await readFile(join(expectedDir, file.path), "utf8"),
          );
        }
      },
    );

    it("emits the same bytes when compiled twice, the second time reading the schemas in reverse", async () => {
      const sources = await readSchemaSources(await loadConfig(root));
      // loadConfig sees no perstore.config.json here; the schemas folder is the default one.
      expect(sources.length).toBeGreaterThan(0);
      const forward = await compile({ ...options, sources });
      const reversed = await compile({ ...options, sources: [...sources].reverse() });
      expect(reversed.files).toEqual(forward.files);
    });
  });
});
