/**
 * The schema compiler (`perstore/compiler`), on one screen:
 * load config and schema files -> build the IR (every diagnostic at once)
 * -> run the emitters -> banner + prettier -> (build only) write what changed.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, posix, relative, resolve, sep } from "node:path";
import { loadConfig, type PerstoreConfig } from "./config.js";
import { EMITTERS } from "./emit/emitters.js";
import { formatFile, type FormatCache } from "./format-file.js";
import { buildProjectIR } from "./ir/build-ir.js";
import type { SchemaSource } from "./ir/model-sources.js";
import type { ProjectIR } from "./ir/types.js";
import { readMixinExports } from "./load/mixin-exports.js";
import { writeFiles, type OutputFile } from "./write-files.js";

export type * from "./ir/types.js";
export type { EmittedFile } from "./emit/emitted-file.js";
export type { SchemaSource } from "./ir/model-sources.js";
export type { PerstoreConfig } from "./config.js";
export { loadConfig, CONFIG_FILE, DEFAULT_CONFIG } from "./config.js";
export { buildProjectIR } from "./ir/build-ir.js";
export { EMITTERS, type Emitter, type EmitContext } from "./emit/emitters.js";

export interface CompileOptions {
  /** Project root (default: the current directory). */
  readonly root?: string;
  /** Overrides of `perstore.config.json`. */
  readonly config?: Partial<Omit<PerstoreConfig, "root">>;
  /** Schema files to use instead of reading the schemas folder (paths relative to the root). */
  readonly sources?: readonly SchemaSource[];
  /** Reused across rebuilds (watch mode) so unchanged files are not re-formatted. */
  readonly formatCache?: FormatCache;
}

export interface CompileResult {
  readonly config: PerstoreConfig;
  readonly ir: ProjectIR;
  /** Every output file, final text, sorted by path. */
  readonly files: readonly OutputFile[];
}

export interface BuildOptions extends CompileOptions {
  /** Write nothing; report stale files in `written`. */
  readonly check?: boolean;
}

export interface BuildResult extends CompileResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly durationMs: number;
}

/** Compile in memory: no file is written. Throws `SchemaErrors` with every diagnostic. */
export async function compile(options: CompileOptions = {}): Promise<CompileResult> {
  const loaded = await loadConfig(options.root ?? process.cwd());
  const config: PerstoreConfig = { ...loaded, ...options.config };
  const sources = options.sources ?? (await readSchemaSources(config));
  const ir = buildProjectIR(sources, {
    readMixins: (modules) => {
      const found = readMixinExports(modules.map((m) => join(config.root, m)));
      return new Map(modules.map((m) => [m, found.get(join(config.root, m))]));
    },
  });
  const context = { outDir: posix.normalize(config.out) };
  const emitted = (await Promise.all(EMITTERS.map((emit) => emit(ir, context)))).flat();
  const files = await Promise.all(
    emitted.map(async (file) => ({ path: file.path, contents: await formatFile(file, config.prettier, options.formatCache) })),
  );
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { config, ir, files };
}

/** Compile and write the output folder (only changed files, atomically); `check` writes nothing. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const result = await compile(options);
  const report = await writeFiles(resolve(result.config.root, result.config.out), result.files, { check: options.check ?? false });
  return { ...result, ...report, durationMs: performance.now() - started };
}

/** Every `*.schema.json` under the schemas folder, sorted by path. */
export async function readSchemaSources(config: PerstoreConfig): Promise<SchemaSource[]> {
  const dir = resolve(config.root, config.schemas);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith(".schema.json"))
    .map((e) => relative(config.root, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(join(config.root, file), "utf8") })));
}
export * from "./emit/ddl/index.js";
export * from "./migrate/index.js";
