/**
 * The build cache on disk (`.perstore/cache/build.json`): what a watch
 * session keeps in memory between builds (each model's fingerprint and the
 * files it produced, and the formatted text of every output file by the hash
 * of its input), kept for the next `perstore build` process, so it re-emits
 * only models whose inputs changed and re-formats only changed files.
 *
 * The cache only ever saves time: it is tagged with everything output
 * depends on besides the schemas (perstore's version and compiled code,
 * prettier's version and options, the versions of the libraries whose output
 * it keeps, the emit templates, the configuration);
 * a cache with another tag, a corrupt or half-readable one is ignored (and
 * replaced by the next build). It is written atomically (a temporary file
 * renamed over it), so concurrent builds never leave a half-written cache:
 * the last one wins, and every cache any build writes is right for the
 * fingerprints it names. Safe to delete at any time.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import writeFileAtomic from "write-file-atomic";
import type { PerstoreConfig } from "./config.js";
import { PRETTIER_OPTIONS } from "./format-file.js";
import { templatesDir } from "./templates.js";

/** Where the cache lives, relative to the project root. */
export const BUILD_CACHE_FILE = ".perstore/cache/build.json";

/** The format cache of earlier versions, replaced by this file (removed when this one is written). */
const OLD_FORMAT_CACHE_FILE = ".perstore/format-cache.json";

const FORMAT_VERSION = "perstore-build-cache/1";

/** One model's files in the cache: output paths and the format keys whose text they are. */
export interface CachedModelFile {
  readonly path: string;
  readonly key: string;
}

/** What a build leaves for the next one. */
export interface BuildCacheState {
  readonly outDir: string;
  /** Model name -> its fingerprint and files. */
  readonly models: ReadonlyMap<
    string,
    { readonly fingerprint: string; readonly files: readonly CachedModelFile[] }
  >;
  /** Format key -> final text (every key the models and the project-level files use). */
  readonly formatted: ReadonlyMap<string, string>;
  /** `sourceFingerprint`s of schema files the build checked and found no problem in. */
  readonly checkedSources: readonly string[];
  /**
   * Output files as the build left them (path -> format key, size, mtime):
   * a later build takes a file whose size and modification time are still
   * these to hold that key's text, without reading it.
   */
  readonly outputs?: ReadonlyMap<string, OutputStamp>;
}

/** An output file as a build wrote or found it. */
export interface OutputStamp {
  readonly key: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** What identifies a schema file's checks: its path and a hash of its text. */
export function sourceFingerprint(file: string, text: string): string {
  return `${file}\0${createHash("sha1").update(text).digest("base64")}`;
}

/** A generated file's name: top of the output folder, no path separators, no dot files. */
const SAFE_PATH = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * The libraries whose output the cache keeps: ajv writes the validators (its
 * standalone code) with ajv-formats' formats, json-schema-to-typescript the
 * data interfaces, ts-morph reads mixin modules, acorn parses the code
 * print-js.ts formats. A new version of any of them may emit other code, so
 * it must not reuse what an older one emitted.
 */
const EMITTING_LIBRARIES = [
  "acorn",
  "ajv",
  "ajv-formats",
  "json-schema-to-typescript",
  "ts-morph",
] as const;

/** The installed version of each emitting library (from its package.json, without loading it). */
export function libraryVersions(): Readonly<Record<string, string>> {
  if (libraries !== undefined) return libraries;
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = {};
  for (const name of EMITTING_LIBRARIES) {
    let version = "missing";
    try {
      const data = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as {
        version?: unknown;
      };
      if (typeof data.version === "string") version = data.version;
    } catch {
      // not installed where perstore resolves it: the build fails anyway, and the tag says so
    }
    versions[name] = version;
  }
  return (libraries = versions);
}

/**
 * The tag of a cache that fits this perstore, prettier, emitting libraries
 * (`versions`, the installed ones unless given), templates and configuration.
 * The root and the database (which `DATABASE_URL` may override) do not change output.
 */
export function buildCacheTag(
  config: PerstoreConfig,
  versions: Readonly<Record<string, string>> = libraryVersions(),
): string {
  const { root: _root, database: _database, ...rest } = config;
  const settings = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)));
  const libraryStamp = EMITTING_LIBRARIES.map((name) => `${name}@${versions[name] ?? ""}`).join(
    " ",
  );
  return createHash("sha1")
    .update(`${FORMAT_VERSION}\0${codeStamp()}\0${prettierStamp()}\0${templatesStamp()}\0`)
    .update(`${libraryStamp}\0`)
    .update(JSON.stringify(settings))
    .digest("base64");
}

/** The cache of the project at `root` if it has this tag and reads whole; otherwise undefined. */
export async function loadBuildCache(
  root: string,
  tag: string,
): Promise<BuildCacheState | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(join(root, BUILD_CACHE_FILE), "utf8"));
  } catch {
    return undefined; // absent or corrupt: an empty cache
  }
  return parseState(data, tag);
}

/** Replace the project's cache by `state` (atomically). */
export async function saveBuildCache(
  root: string,
  tag: string,
  state: BuildCacheState,
): Promise<void> {
  const file = join(root, BUILD_CACHE_FILE);
  await mkdir(dirname(file), { recursive: true });
  const models: Record<string, { fingerprint: string; files: CachedModelFile[] }> = {};
  for (const [name, m] of state.models)
    Object.defineProperty(models, name, {
      value: { fingerprint: m.fingerprint, files: [...m.files] },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  const formatted: Record<string, string> = {};
  for (const [key, text] of state.formatted)
    Object.defineProperty(formatted, key, {
      value: text,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  const outputs: Record<string, [string, number, number]> = {};
  for (const [path, { key, size, mtimeMs }] of state.outputs ?? [])
    Object.defineProperty(outputs, path, {
      value: [key, size, mtimeMs],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  const data = {
    tag,
    outDir: state.outDir,
    checkedSources: state.checkedSources,
    models,
    formatted,
    outputs,
  };
  await writeFileAtomic(file, JSON.stringify(data), { encoding: "utf8" });
  await rm(join(root, OLD_FORMAT_CACHE_FILE), { force: true });
}

/** Check every part of a parsed cache file; anything unexpected makes the whole cache unusable. */
function parseState(data: unknown, tag: string): BuildCacheState | undefined {
  if (!isObject(data) || data["tag"] !== tag || typeof data["outDir"] !== "string")
    return undefined;
  const rawModels = data["models"];
  const rawFormatted = data["formatted"];
  const checkedSources = data["checkedSources"];
  if (!isObject(rawModels) || !isObject(rawFormatted) || !Array.isArray(checkedSources))
    return undefined;
  if (!checkedSources.every((s) => typeof s === "string")) return undefined;
  const formatted = new Map<string, string>();
  for (const [key, text] of Object.entries(rawFormatted)) {
    if (typeof text !== "string") return undefined;
    formatted.set(key, text);
  }
  const models = new Map<string, { fingerprint: string; files: CachedModelFile[] }>();
  for (const [name, entry] of Object.entries(rawModels)) {
    if (!isObject(entry) || typeof entry["fingerprint"] !== "string") return undefined;
    const files = entry["files"];
    if (!Array.isArray(files)) return undefined;
    const checked: CachedModelFile[] = [];
    for (const f of files as unknown[]) {
      if (!isObject(f) || typeof f["path"] !== "string" || typeof f["key"] !== "string")
        return undefined;
      if (!SAFE_PATH.test(f["path"]) || !formatted.has(f["key"])) return undefined;
      checked.push({ path: f["path"], key: f["key"] });
    }
    models.set(name, { fingerprint: entry["fingerprint"], files: checked });
  }
  // Absent in a cache of an earlier version: every file is then read once.
  const outputs = new Map<string, OutputStamp>();
  const rawOutputs = data["outputs"] ?? {};
  if (!isObject(rawOutputs)) return undefined;
  for (const [path, stamp] of Object.entries(rawOutputs)) {
    if (
      !SAFE_PATH.test(path) ||
      !Array.isArray(stamp) ||
      typeof stamp[0] !== "string" ||
      typeof stamp[1] !== "number" ||
      typeof stamp[2] !== "number"
    )
      return undefined;
    outputs.set(path, { key: stamp[0], size: stamp[1], mtimeMs: stamp[2] });
  }
  return {
    outDir: data["outDir"],
    models,
    formatted,
    checkedSources: checkedSources as string[],
    outputs,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// The stamps below are computed once per process: they describe the installation, not the project.
let code: string | undefined;
let prettier: string | undefined;
let libraries: Readonly<Record<string, string>> | undefined;
let templates: string | undefined;

/**
 * perstore's version and its compiled code (every module's size and time,
 * so a rebuilt or upgraded perstore never reads another build's output).
 * Studio assets and the server do not emit code and are left out.
 */
function codeStamp(): string {
  if (code !== undefined) return code;
  const here = dirname(fileURLToPath(import.meta.url));
  const codeRoot = dirname(here);
  const hash = createHash("sha1");
  const walk = (dir: string, rel: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (rel === "" && (entry.name === "studio" || entry.name === "server")) continue;
        walk(path, `${rel}${entry.name}/`);
      } else if (/\.(js|ts|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        const stat = statSync(path);
        hash.update(`${rel}${entry.name}\0${stat.size}\0${stat.mtimeMs}\0`);
      }
    }
  };
  walk(codeRoot, "");
  return (code = `${packageVersion(codeRoot)}:${hash.digest("base64")}`);
}

function packageVersion(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        version?: unknown;
      };
      if (typeof version === "string") return version;
    } catch {
      // no package.json here: look further up
    }
    if (dirname(dir) === dir) return "unknown";
  }
}

/** prettier's version (read from its package.json, without loading prettier) and our options. */
function prettierStamp(): string {
  if (prettier !== undefined) return prettier;
  const require = createRequire(import.meta.url);
  const { version } = JSON.parse(
    readFileSync(require.resolve("prettier/package.json"), "utf8"),
  ) as {
    version: string;
  };
  return (prettier = `${version} ${JSON.stringify(PRETTIER_OPTIONS)}`);
}

/** The text of every emit template. */
function templatesStamp(): string {
  if (templates !== undefined) return templates;
  const dir = join(templatesDir(), "emit");
  const hash = createHash("sha1");
  for (const name of readdirSync(dir).sort())
    hash
      .update(`${name}\0`)
      .update(readFileSync(join(dir, name)))
      .update("\0");
  return (templates = hash.digest("base64"));
}
