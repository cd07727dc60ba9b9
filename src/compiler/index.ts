/**
 * The schema compiler (`perstore-kit/compiler`), on one screen:
 * load config and schema files -> build the IR (every diagnostic at once)
 * -> run the emitters -> banner + prettier -> (build only) write what changed.
 * The pipeline lives in `build-session.ts`; `compile` and `build` are
 * one-build sessions, watch mode keeps a session open for cheap rebuilds.
 *
 * @module perstore-kit/compiler
 */
import { createBuildSession } from "./build-session.js";
export * from "./emit/ddl/index.js";
export * from "./migrate/index.js";
export * from "./define/index.js";
import type { PerstoreConfig } from "./config.js";
import type { FormatCache } from "./format-file.js";
import type { SchemaSource } from "./ir/model-sources.js";
import type { ProjectIR } from "./ir/types.js";
import type { OutputFile } from "./write-files.js";
import type { BuildWarning } from "./read-schema-sources.js";

export type * from "./ir/types.js";
export type { EmittedFile } from "./emit/emitted-file.js";
export type { SchemaSource } from "./ir/model-sources.js";
export type { PerstoreConfig } from "./config.js";
export type { OutputFile } from "./write-files.js";
export { loadConfig, CONFIG_FILE, DEFAULT_CONFIG } from "./config.js";
export { buildProjectIR } from "./ir/build-ir.js";
export { modelFingerprints } from "./ir/model-fingerprints.js";
export { EMITTERS, type Emitter, type EmitContext } from "./emit/emitters.js";
export { readSchemaSources, readSchemaFolder, type BuildWarning } from "./read-schema-sources.js";
export {
  createBuildSession,
  type BuildSession,
  type SessionOptions,
  type SessionBuildOptions,
  type SessionBuildResult,
} from "./build-session.js";

export interface CompileOptions {
  /** Project root (default: the current directory). */
  readonly root?: string;
  /** Overrides of `perstore.config.json`. */
  readonly config?: Partial<Omit<PerstoreConfig, "root">>;
  /** Schema files to use instead of reading the schemas folder (paths relative to the root). */
  readonly sources?: readonly SchemaSource[];
  /** Reused across calls so unchanged files are not re-formatted. */
  readonly formatCache?: FormatCache;
  /**
   * Read (and, for `build`, write) the build cache `.perstore/cache/build.json`
   * (default true); see `SessionOptions.diskCache`.
   */
  readonly diskCache?: boolean;
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
  /** Generated files of models that no longer exist: removed (or, with `check`, that would be). */
  readonly removed: readonly string[];
  /** An empty schemas folder, files in it that are not schemas. */
  readonly warnings: readonly BuildWarning[];
  readonly durationMs: number;
}

/** Compile in memory: no file is written. Throws `SchemaErrors` with every diagnostic. */
export async function compile(options: CompileOptions = {}): Promise<CompileResult> {
  const session = createBuildSession(options);
  try {
    const { config, ir, files } = await session.build({ noWrite: true });
    return { config, ir, files };
  } finally {
    await session.close();
  }
}

/** Compile and write the output folder (only changed files, atomically); `check` writes nothing. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const session = createBuildSession(options);
  try {
    const { config, ir, files, written, unchanged, removed, warnings, durationMs } =
      await session.build({ check: options.check ?? false });
    return { config, ir, files, written, unchanged, removed, warnings, durationMs };
  } finally {
    await session.close();
  }
}
