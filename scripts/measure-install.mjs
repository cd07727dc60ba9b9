#!/usr/bin/env node
/**
 * What installing the packed packages costs a user: for the runtime alone, the
 * runtime with PGlite, and both packages, `npm install <tarballs>` into a new
 * `npm init -y` folder, then count the installed packages and their size on
 * disk. Packs first (scripts/pack-packages.mjs; run `npm run build` before).
 *
 *   node scripts/measure-install.mjs
 *
 * Prints one line per case and checks the runtime alone brings no compiler.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = mkdtempSync(join(tmpdir(), "perstore-measure-"));
const COMPILER_ONLY = ["ts-morph", "prettier", "json-schema-to-typescript", "typescript"];

try {
  const packed = execFileSync(
    process.execPath,
    ["scripts/pack-packages.mjs", "--out", join(out, "packs"), "--pack"],
    { cwd: root, encoding: "utf8" },
  );
  const tarballs = JSON.parse(packed.trim().split("\n").at(-1));
  const pglite = "@electric-sql/pglite";
  const cases = [
    ["perstore-runtime alone", [tarballs.runtime]],
    ["perstore-runtime + @electric-sql/pglite", [tarballs.runtime, pglite]],
    ["perstore-runtime + perstore-kit", [tarballs.runtime, tarballs.kit]],
  ];
  for (const [name, specs] of cases) {
    const project = mkdtempSync(join(out, "project-"));
    execFileSync("npm", ["init", "-y"], { cwd: project, stdio: "ignore" });
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...specs], {
      cwd: project,
      stdio: "ignore",
    });
    const modules = join(project, "node_modules");
    const packages = installedPackages(modules);
    const bytes = diskUsage(modules);
    console.log(`${name}: ${packages.length} packages, ${(bytes / 1e6).toFixed(1)} MB on disk`);
    if (specs.length === 1) {
      const compiler = packages.filter((p) => COMPILER_ONLY.includes(p));
      if (compiler.length > 0) {
        console.error(`the runtime alone installed compiler packages: ${compiler.join(", ")}`);
        process.exitCode = 1;
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

/** Names of the packages under node_modules (nested ones included). */
function installedPackages(modules) {
  const names = [];
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith(".")) continue;
    const scoped = entry.startsWith("@");
    for (const name of scoped
      ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`)
      : [entry]) {
      names.push(name);
      const nested = join(modules, name, "node_modules");
      if (existsSync(nested)) names.push(...installedPackages(nested));
    }
  }
  return names;
}

/** Bytes allocated on disk under `dir` (blocks, as `du` counts). */
function diskUsage(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    const stat = statSync(join(entry.parentPath, entry.name));
    total += stat.blocks * 512;
  }
  return total;
}
