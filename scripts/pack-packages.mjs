#!/usr/bin/env node
/**
 * Stages the two published packages from the one build in dist/ (run
 * `npm run build` first), and with --pack makes their tarballs:
 *
 *   node scripts/pack-packages.mjs [--out DIR] [--pack]
 *
 * - DIR/runtime: packages/runtime/package.json + dist/ without the compiler
 *   and the CLI (perstore-runtime);
 * - DIR/kit: packages/kit/package.json + dist/compiler and dist/cli, bin/ and
 *   templates/ (perstore-kit). The kit's imports of runtime modules
 *   (`../../query/ast.js`) become imports of the runtime package
 *   (`perstore-runtime/internal/query/ast.js`), so both share one copy of
 *   every runtime module (one PerstoreError class, one model registry).
 *
 * Each gets LICENSE and its README. Source maps are left out (the sources are
 * not shipped). The script checks what it staged: every relative import
 * resolves inside its package, every runtime module the kit imports exists,
 * and every package a module imports is declared in its manifest.
 * With --pack it prints `{ "runtime": "<tgz>", "kit": "<tgz>" }` (JSON) last.
 * DIR defaults to .packages/ (ignored by git); publish with `npm publish DIR/runtime`.
 */
import { execFileSync } from "node:child_process";
import { builtinModules } from "node:module";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
/** The top-level folders of dist/ that make up the kit; everything else is the runtime. */
const KIT_FOLDERS = new Set(["compiler", "cli", "studio"]);

function fail(message) {
  console.error(`pack-packages: ${message}`);
  process.exit(1);
}

const { values } = parseArgs({
  options: { out: { type: "string", default: ".packages" }, pack: { type: "boolean" } },
});
const out = resolve(root, values.out);

if (!existsSync(join(dist, "index.js")) || !existsSync(join(dist, "cli/index.js")))
  fail("dist/ is missing or incomplete: run `npm run build` first");

const manifest = (name) =>
  JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8"));
const runtimeManifest = manifest("runtime");
const kitManifest = manifest("kit");
const RUNTIME = runtimeManifest.name;

/** Every file under `dir`, as posix paths relative to it. */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"));
}

/**
 * The module specifiers of compiled JS or declarations (imports, exports,
 * `import("x")` types), found by TypeScript's scanner: strings and comments
 * that only look like imports (an emitter's templates) are not among them.
 */
function specifiers(text) {
  return ts.preProcessFile(text, true, true).importedFiles;
}

/** `text` with each specifier replaced by `rewrite(specifier)`. */
function rewriteSpecifiers(text, rewrite) {
  let result = text;
  for (const { fileName, pos } of specifiers(text).sort((a, b) => b.pos - a.pos)) {
    // `pos` is where the quoted literal starts (TypeScript's scanner).
    const start = pos + 1;
    const end = start + fileName.length;
    if (!/["']/.test(text[pos]) || text.slice(start, end) !== fileName)
      fail(`cannot locate the specifier ${fileName} at offset ${pos}`);
    result = result.slice(0, start) + rewrite(fileName) + result.slice(end);
  }
  return result;
}

/** Drop `//# sourceMappingURL=` lines: the maps and the sources they name are not shipped. */
function withoutSourceMap(text) {
  return text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
}

/** Copies dist/<file> to `target`/dist/<file>, transformed; skips source maps. */
function stage(files, target, transform = (text) => text) {
  for (const file of files) {
    if (file.endsWith(".map")) continue;
    const to = join(target, "dist", file);
    mkdirSync(dirname(to), { recursive: true });
    if (/\.(js|d\.ts)$/.test(file))
      writeFileSync(to, transform(withoutSourceMap(readFileSync(join(dist, file), "utf8")), file));
    else cpSync(join(dist, file), to);
  }
}

function copyCommon(name, target) {
  mkdirSync(target, { recursive: true });
  cpSync(join(root, "packages", name, "package.json"), join(target, "package.json"));
  cpSync(join(root, "packages", name, "README.md"), join(target, "README.md"));
  cpSync(join(root, "LICENSE"), join(target, "LICENSE"));
}

rmSync(out, { recursive: true, force: true });
const allFiles = listFiles(dist);
const isKitFile = (file) => KIT_FOLDERS.has(file.split("/")[0]);

// perstore-runtime
const runtimeDir = join(out, "runtime");
copyCommon("runtime", runtimeDir);
stage(
  allFiles.filter((f) => !isKitFile(f)),
  runtimeDir,
);

// perstore-kit: runtime modules it imports become imports of perstore-runtime.
const kitDir = join(out, "kit");
copyCommon("kit", kitDir);
const internalImports = new Set();
stage(allFiles.filter(isKitFile), kitDir, (text, file) =>
  rewriteSpecifiers(text, (specifier) => {
    if (!specifier.startsWith(".")) return specifier;
    const target = posix.normalize(posix.join(posix.dirname(file), specifier));
    if (target.startsWith("..")) fail(`${file} imports ${specifier}, outside dist/`);
    if (isKitFile(target)) return specifier;
    internalImports.add(target);
    return `${RUNTIME}/internal/${target}`;
  }),
);
cpSync(join(root, "bin"), join(kitDir, "bin"), { recursive: true });
if (existsSync(join(root, "templates")))
  cpSync(join(root, "templates"), join(kitDir, "templates"), { recursive: true });

// Checks.
const runtimeStaged = new Set(listFiles(join(runtimeDir, "dist")));
for (const target of internalImports) {
  if (!target.endsWith(".js")) fail(`the kit imports ${target}, which does not end in .js`);
  if (!runtimeStaged.has(target)) fail(`the kit imports ${target}, which ${RUNTIME} does not ship`);
}
const builtins = new Set(builtinModules);
for (const [dir, pkg] of [
  [runtimeDir, runtimeManifest],
  [kitDir, kitManifest],
]) {
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    // Type-only: @types/json-schema comes with json-schema-to-typescript.
    "json-schema",
  ]);
  for (const file of listFiles(dir)) {
    if (!/\.(m?js|d\.ts)$/.test(file) || file.startsWith("templates/")) continue;
    const text = readFileSync(join(dir, file), "utf8");
    for (const { fileName: specifier } of specifiers(text)) {
      if (specifier.startsWith(".")) {
        const target = posix.normalize(posix.join(posix.dirname(file), specifier));
        const exists = [target, target.replace(/\.js$/, ".d.ts")].some((t) =>
          existsSync(join(dir, t)),
        );
        if (!exists) fail(`${pkg.name}: ${file} imports ${specifier}, which is not in the package`);
        continue;
      }
      if (specifier.startsWith("node:") || builtins.has(specifier)) continue;
      const name = specifier.startsWith("@")
        ? specifier.split("/").slice(0, 2).join("/")
        : specifier.split("/")[0];
      if (!declared.has(name))
        fail(`${pkg.name}: ${file} imports ${name}, not in its package.json`);
    }
  }
}
for (const pkg of [runtimeManifest, kitManifest]) {
  if (pkg.scripts?.prepare || pkg.scripts?.install || pkg.scripts?.postinstall)
    fail(`${pkg.name}: a published manifest must not build or run scripts on install`);
}
console.log(
  `staged ${RUNTIME} in ${relative(root, runtimeDir)}, ${kitManifest.name} in ${relative(root, kitDir)}`,
);

if (values.pack) {
  const tarballs = {};
  for (const [key, dir] of [
    ["runtime", runtimeDir],
    ["kit", kitDir],
  ]) {
    const report = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--pack-destination", out], {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      }),
    );
    tarballs[key] = join(out, report[0].filename);
  }
  console.log(JSON.stringify(tarballs));
}
