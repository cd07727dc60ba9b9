/**
 * The persisted build cache (`.perstore/cache/build.json`): a build in a new
 * session (as a new `perstore build` process would be) re-emits only the
 * models whose inputs changed, and its output always equals a cold build's,
 * byte for byte, whatever changed: a base model, a linked model, a renamed
 * or deleted schema, the configuration; a corrupt, stale or tampered cache is
 * ignored and replaced; a check writes no cache; concurrent builds never
 * leave a half-written one.
 */
import { createRequire } from "node:module";
import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compile, createBuildSession, type SessionBuildResult } from "perstore/compiler";
import {
  BUILD_CACHE_FILE,
  buildCacheTag,
  libraryVersions,
  loadBuildCache,
} from "../../src/compiler/build-cache-file.js";
import { loadConfig } from "../../src/compiler/config.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "perstore-build-cache-"));
  await cp(join(repo, "schemas"), join(root, "schemas"), { recursive: true });
  await writeFile(join(root, "perstore.config.json"), "{}\n");
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** One build in a session of its own, as a new `perstore build` process runs it. */
async function buildInNewSession(
  options: { check?: boolean } = {},
  at = root,
): Promise<SessionBuildResult> {
  const session = createBuildSession({ root: at });
  try {
    return await session.build({ check: options.check ?? false });
  } finally {
    await session.close();
  }
}

/** The generated folder's top-level files, by name. */
async function generated(at = root, out = "generated"): Promise<Map<string, string>> {
  const dir = join(at, out);
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile());
  return new Map(
    await Promise.all(
      entries.map(async (e): Promise<[string, string]> => [
        e.name,
        await readFile(join(dir, e.name), "utf8"),
      ]),
    ),
  );
}

/** A build from scratch (no cache, empty output folder) of the same project, in another folder. */
async function coldOutput(): Promise<Map<string, string>> {
  const fresh = await mkdtemp(join(tmpdir(), "perstore-build-cache-cold-"));
  try {
    await cp(join(root, "schemas"), join(fresh, "schemas"), { recursive: true });
    await cp(join(root, "perstore.config.json"), join(fresh, "perstore.config.json"));
    const config = await loadConfig(fresh);
    const session = createBuildSession({ root: fresh, diskCache: false });
    try {
      await session.build();
    } finally {
      await session.close();
    }
    return await generated(fresh, config.out);
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

async function editSchema(file: string, edit: (schema: Record<string, any>) => void) {
  const path = join(root, "schemas", file);
  const schema = JSON.parse(await readFile(path, "utf8")) as Record<string, any>;
  edit(schema);
  await writeFile(path, `${JSON.stringify(schema, null, 2)}\n`);
}

async function expectSameAsCold(out = "generated"): Promise<void> {
  const cold = await coldOutput();
  const built = await generated(root, out);
  expect([...built.keys()].sort()).toEqual([...cold.keys()].sort());
  for (const [name, text] of cold) expect(built.get(name), name).toBe(text);
}

const ALL = ["Author", "Book", "Company", "Employee", "Person", "Review"];

describe("the persisted build cache", () => {
  it("lets a new session re-emit only what changed, with a cold build's output after each change", async () => {
    expect((await buildInNewSession()).emittedModels).toEqual(ALL);
    expect(await loadBuildCache(root, buildCacheTag(await loadConfig(root)))).toBeDefined();

    const again = await buildInNewSession();
    expect(again.emittedModels).toEqual([]);
    expect(again.written).toEqual([]);
    await expectSameAsCold();

    // A base model: its sub-model's output changes with it.
    const employeeBefore = (await generated()).get("employee.ts");
    await editSchema("person.schema.json", (s) => {
      s.properties.nickname.description = "What friends say";
      s.properties.nickname.maxLength = 77;
    });
    const base = await buildInNewSession();
    expect(base.emittedModels).toEqual(["Employee", "Person"]);
    expect((await generated()).get("employee.ts")).not.toBe(employeeBefore);
    await expectSameAsCold();

    // A linked model: Book links to Author by Author's key; Review links to Book.
    await editSchema("author.schema.json", (s) => {
      s.properties.id.description = "The author's key";
      s.properties.name.maxLength = 150;
    });
    const linked = await buildInNewSession();
    expect(linked.emittedModels).toContain("Author");
    await expectSameAsCold();
    await editSchema("book.schema.json", (s) => (s.properties.isbn.pattern = "^[0-9]{10}$"));
    expect((await buildInNewSession()).emittedModels).toContain("Book");
    await expectSameAsCold();

    // A renamed schema file (the banner names it), then a deleted one.
    await rename(
      join(root, "schemas/review.schema.json"),
      join(root, "schemas/critique.schema.json"),
    );
    const renamed = await buildInNewSession();
    expect(renamed.emittedModels).toEqual(["Review"]);
    await expectSameAsCold();
    await rm(join(root, "schemas/critique.schema.json"));
    await editSchema("book.schema.json", (s) => {
      s.links = s.links.filter((l: { rel: string }) => l.rel !== "reviews");
    });
    const deleted = await buildInNewSession();
    expect(deleted.removed).toContain("review.ts");
    await expectSameAsCold();

    // A model comes back as it was: output equals a cold build's again.
    for (const file of ["review.schema.json", "book.schema.json"])
      await cp(join(repo, "schemas", file), join(root, "schemas", file));
    await buildInNewSession();
    await expectSameAsCold();
  }, 300_000);

  it("rewrites a generated file changed by hand (its size or time differ from what the cache says)", async () => {
    await buildInNewSession();
    const before = await generated();
    const cached = await loadBuildCache(root, buildCacheTag(await loadConfig(root)));
    expect(cached?.outputs?.size).toBe(before.size);
    const [name, text] = [...before].find(([n]) => n.endsWith(".validator.ts"))!;
    const [other, otherText] = [...before].find(([n]) => n.endsWith(".types.ts"))!;
    // Same length, other text; and a longer one.
    await writeFile(join(root, "generated", name), text.replace(/[a-z]/, "#"));
    await writeFile(join(root, "generated", other), `${otherText}// edited\n`);
    const again = await buildInNewSession();
    expect([...again.written].sort()).toEqual([name, other].sort());
    expect(await generated()).toEqual(before);
    // A check reads every file, whatever the cache says.
    await writeFile(join(root, "generated", name), text.replace(/[a-z]/, "#"));
    expect((await buildInNewSession({ check: true })).written).toEqual([name]);
  }, 300_000);

  it("starts afresh when the configuration changes", async () => {
    await buildInNewSession();
    await writeFile(join(root, "perstore.config.json"), `${JSON.stringify({ prettier: false })}\n`);
    const unformatted = await buildInNewSession();
    expect(unformatted.emittedModels).toEqual(ALL);
    await expectSameAsCold();
    await writeFile(
      join(root, "perstore.config.json"),
      `${JSON.stringify({ prettier: true, out: "out2" })}\n`,
    );
    expect((await buildInNewSession()).emittedModels).toEqual(ALL);
    await expectSameAsCold("out2");
  }, 300_000);

  it("ignores a corrupt, truncated, stale or unsafe cache and replaces it", async () => {
    await buildInNewSession();
    const file = join(root, BUILD_CACHE_FILE);
    const good = await readFile(file, "utf8");
    const tag = buildCacheTag(await loadConfig(root));
    const parsed = JSON.parse(good) as { tag: string; models: Record<string, any> };
    const unsafe = structuredClone(parsed);
    unsafe.models["Book"].files[0].path = "../escaped.ts";
    const otherTag = { ...parsed, tag: "perstore-build-cache/0" };
    for (const bad of [
      "not json",
      good.slice(0, good.length / 2),
      JSON.stringify(otherTag),
      JSON.stringify(unsafe),
      JSON.stringify({ ...parsed, models: [] }),
    ]) {
      await writeFile(file, bad);
      expect(await loadBuildCache(root, tag)).toBeUndefined();
      const result = await buildInNewSession();
      expect(result.emittedModels).toEqual(ALL);
      expect(await loadBuildCache(root, tag)).toBeDefined();
      await expectSameAsCold();
    }
    await expect(readFile(join(root, "escaped.ts"))).rejects.toThrow();
  }, 300_000);

  it("is not reused by another version of a library whose output it keeps (ajv, ...)", async () => {
    await buildInNewSession();
    const config = await loadConfig(root);
    const installed = libraryVersions();
    const require = createRequire(import.meta.url);
    for (const name of ["acorn", "ajv", "ajv-formats", "json-schema-to-typescript", "ts-morph"]) {
      const { version } = require(`${name}/package.json`) as { version: string };
      expect(installed[name], name).toBe(version);
    }
    expect(buildCacheTag(config, installed)).toBe(buildCacheTag(config));
    expect(await loadBuildCache(root, buildCacheTag(config))).toBeDefined();
    // As after `npm update ajv`: the cache of the version before is ignored.
    for (const name of Object.keys(installed)) {
      const updated = buildCacheTag(config, { ...installed, [name]: `${installed[name]}-next` });
      expect(updated, name).not.toBe(buildCacheTag(config));
      expect(await loadBuildCache(root, updated), name).toBeUndefined();
    }
  }, 300_000);

  it("is read but never written by a check", async () => {
    await buildInNewSession();
    await rm(join(root, ".perstore"), { recursive: true, force: true });
    const check = await buildInNewSession({ check: true });
    expect(check.written).toEqual([]);
    await expect(readFile(join(root, BUILD_CACHE_FILE))).rejects.toThrow();
    await buildInNewSession();
    await editSchema("review.schema.json", (s) => (s.properties.body.maxLength = 1234));
    const stale = await buildInNewSession({ check: true });
    expect(stale.emittedModels).toEqual(["Review"]);
    expect(stale.written).toContain("review.validator.ts");
  }, 300_000);

  it("is whole after two builds run at once", async () => {
    await editSchema("review.schema.json", (s) => (s.properties.body.maxLength = 999));
    const results = await Promise.all([buildInNewSession(), buildInNewSession()]);
    for (const r of results) expect(r.emittedModels).toEqual(ALL);
    expect(await loadBuildCache(root, buildCacheTag(await loadConfig(root)))).toBeDefined();
    expect((await buildInNewSession()).emittedModels).toEqual([]);
    await expectSameAsCold();
    expect((await readdir(join(root, ".perstore/cache"))).sort()).toEqual(["build.json"]);
  }, 300_000);

  it("compile() reads it and writes nothing", async () => {
    await buildInNewSession();
    const before = await readFile(join(root, BUILD_CACHE_FILE), "utf8");
    const { files } = await compile({ root });
    expect(new Map(files.map((f) => [f.path, f.contents]))).toEqual(await generated());
    expect(await readFile(join(root, BUILD_CACHE_FILE), "utf8")).toBe(before);
  }, 300_000);
});
