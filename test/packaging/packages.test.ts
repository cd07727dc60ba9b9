/**
 * The two published packages (packages/runtime, packages/kit) as staged by
 * scripts/pack-packages.mjs from dist/ (CI builds dist/ before the tests):
 * the manifests agree with the repository's package.json and with the names
 * the compiler emits, the runtime ships no compiler, and nothing points at
 * files that are not shipped.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPILER_PACKAGE, RUNTIME_PACKAGE } from "../../src/compiler/package-names.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const rootManifest = readJson(join(root, "package.json"));
const runtime = readJson(join(root, "packages/runtime/package.json"));
const kit = readJson(join(root, "packages/kit/package.json"));

/** The compiler toolchain: none of it may be a runtime dependency. */
const COMPILER_ONLY = ["ts-morph", "prettier", "json-schema-to-typescript", "typescript"];

let out = "";
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "perstore-packages-"));
  await promisify(execFile)(process.execPath, ["scripts/pack-packages.mjs", "--out", out], {
    cwd: root,
  });
}, 120_000);
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

describe("the published manifests", () => {
  it("carry the names the compiler emits and the repository's version", () => {
    expect(runtime.name).toBe(RUNTIME_PACKAGE);
    expect(kit.name).toBe(COMPILER_PACKAGE);
    expect(rootManifest.name).toBe(RUNTIME_PACKAGE); // generated/ resolves it by self-reference
    expect(rootManifest.private).toBe(true);
    expect(runtime.version).toBe(rootManifest.version);
    expect(kit.version).toBe(rootManifest.version);
    expect(kit.dependencies[RUNTIME_PACKAGE]).toBe(runtime.version);
    expect(kit.bin).toEqual({ perstore: "./bin/perstore.js" });
  });

  it("declare license, repository, homepage and bugs, and run nothing on install", () => {
    for (const pkg of [runtime, kit]) {
      expect(pkg.license).toBe("MIT");
      expect(pkg.repository.url).toMatch(/^git\+https:\/\//);
      expect(pkg.homepage).toMatch(/^https:\/\//);
      expect(pkg.bugs.url).toMatch(/^https:\/\//);
      expect(pkg.engines.node).toBe(rootManifest.engines.node);
      expect(pkg.scripts).toBeUndefined();
    }
    expect(readFileSync(join(root, "LICENSE"), "utf8")).toMatch(/^MIT License/);
  });

  it("use the repository's version ranges, and the runtime pulls no compiler", () => {
    const rootDeps = rootManifest.dependencies as Record<string, string>;
    for (const pkg of [runtime, kit]) {
      const deps = { ...pkg.dependencies, ...pkg.peerDependencies } as Record<string, string>;
      for (const [name, range] of Object.entries(deps)) {
        if (name === RUNTIME_PACKAGE) continue;
        expect(range, `${pkg.name}: ${name}`).toBe(rootDeps[name]);
      }
    }
    for (const name of COMPILER_ONLY) {
      expect(runtime.dependencies).not.toHaveProperty(name);
      expect(runtime.peerDependencies).not.toHaveProperty(name);
    }
  });

  it("make the database drivers optional peers of the runtime", () => {
    for (const driver of ["pg", "@electric-sql/pglite"]) {
      expect(runtime.dependencies).not.toHaveProperty(driver);
      expect(runtime.peerDependencies).toHaveProperty(driver);
      expect(runtime.peerDependenciesMeta[driver]).toEqual({ optional: true });
    }
  });
});

describe("the staged packages", () => {
  it("the runtime has no compiler or CLI; the kit has them, the bin and the templates", () => {
    expect(existsSync(join(out, "runtime/dist/index.js"))).toBe(true);
    expect(existsSync(join(out, "runtime/dist/server/index.js"))).toBe(true);
    expect(existsSync(join(out, "runtime/dist/compiler"))).toBe(false);
    expect(existsSync(join(out, "runtime/dist/cli"))).toBe(false);
    expect(existsSync(join(out, "kit/dist/compiler/index.js"))).toBe(true);
    expect(existsSync(join(out, "kit/dist/cli/index.js"))).toBe(true);
    expect(existsSync(join(out, "kit/dist/query"))).toBe(false); // shared through the runtime
    expect(existsSync(join(out, "kit/bin/perstore.js"))).toBe(true);
    expect(existsSync(join(out, "kit/templates/init/package.json"))).toBe(true);
    expect(existsSync(join(out, "kit/templates/json-schemas/perstore.config.schema.json"))).toBe(
      true,
    );
    // The studio's bundled front end is served by the kit's `perstore studio`.
    if (existsSync(join(root, "dist/studio/assets")))
      expect(existsSync(join(out, "kit/dist/studio/assets/index.html"))).toBe(true);
    for (const name of ["runtime", "kit"]) {
      expect(existsSync(join(out, name, "LICENSE"))).toBe(true);
      expect(existsSync(join(out, name, "README.md"))).toBe(true);
    }
  });

  it("ship no source maps and no references to them (the sources are not shipped)", () => {
    const files = [...filesUnder(join(out, "runtime")), ...filesUnder(join(out, "kit"))];
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    const referencing = files.filter(
      (f) => /\.(js|ts)$/.test(f) && readFileSync(f, "utf8").includes("sourceMappingURL"),
    );
    expect(referencing).toEqual([]);
  });

  it("the kit imports runtime modules through the runtime package, never by a path outside it", () => {
    const text = readFileSync(join(out, "kit/dist/cli/commands/build.js"), "utf8");
    expect(text).toContain(`from "${RUNTIME_PACKAGE}/internal/errors/index.js"`);
    expect(text).not.toMatch(/from "\.\.\/\.\.\/errors\//);
  });
});

describe("the API reference", () => {
  it("is generated into docs/api for each published entry, and the README links it", () => {
    const index = readFileSync(join(root, "docs/api/README.md"), "utf8");
    for (const entry of [
      RUNTIME_PACKAGE,
      `${RUNTIME_PACKAGE}/server`,
      `${COMPILER_PACKAGE}/compiler`,
    ])
      expect(index).toContain(`[${entry}](${entry}/README.md)`);
    expect(rootManifest.scripts.docs).toBe("typedoc");
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain("](docs/api/README.md)");
  });
});
