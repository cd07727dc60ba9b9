/**
 * A build session: the compiler pipeline (sources -> IR -> emitters ->
 * banner + prettier -> write) with what a rebuild can reuse kept between
 * builds. `compile()` and `build()` are one-build sessions; `perstore build
 * --watch` keeps one open, so a change re-parses only changed schema files,
 * re-emits only the models whose inputs changed (see `modelFingerprints`)
 * plus the project-level files, re-formats only changed output and writes
 * only what differs from what it last wrote. What it keeps is also saved in
 * `.perstore/cache/build.json` (see `build-cache-file.ts`), so a new process
 * starts where the last build left off.
 */
import { join, posix, resolve } from "node:path";
import { loadConfig, type PerstoreConfig } from "./config.js";
import { MODEL_EMITTERS, PROJECT_EMITTERS } from "./emit/emitters.js";
import type { EmittedFile } from "./emit/emitted-file.js";
import { lstat } from "node:fs/promises";
import {
  buildCacheTag,
  loadBuildCache,
  saveBuildCache,
  sourceFingerprint,
  type CachedModelFile,
  type OutputStamp,
} from "./build-cache-file.js";
import { formatFile, formatKey, piecesKeyOf, type FormatCache } from "./format-file.js";
import { createFormatPool, poolSizeFor, type FormatPool } from "./format-pool.js";
import { buildProjectIR } from "./ir/build-ir.js";
import { modelFingerprints } from "./ir/model-fingerprints.js";
import { previouslyCheckedFile, type SchemaSource, type SourceCache } from "./ir/model-sources.js";
import type { ProjectIR } from "./ir/types.js";
import { readMixinExports, type MixinCache } from "./load/mixin-exports.js";
import { readSchemaFolder, type BuildWarning } from "./read-schema-sources.js";
import { removeStaleFiles, writeFiles, type OutputFile } from "./write-files.js";

export interface SessionOptions {
  /** Project root (default: the current directory). */
  readonly root?: string;
  /** Overrides of `perstore.config.json`. */
  readonly config?: Partial<Omit<PerstoreConfig, "root">>;
  /** Schema files to use instead of reading the schemas folder (paths relative to the root). */
  readonly sources?: readonly SchemaSource[];
  /** Formatted output by input hash, shared with other sessions (default: the session's own). */
  readonly formatCache?: FormatCache;
  /**
   * Keep what a build can reuse (each model's fingerprint and files, the
   * formatted text of every output file) in `.perstore/cache/build.json`
   * between processes (default true). Read by any build (`check` and
   * `noWrite` too), written only by builds that write the output folder.
   */
  readonly diskCache?: boolean;
}

export interface SessionBuildOptions {
  /** Write nothing; report stale files in `written`. */
  readonly check?: boolean;
  /** Compile in memory only (no comparison with the output folder). */
  readonly noWrite?: boolean;
  /** Schema files for this build (default: the session's `sources`, else the schemas folder). */
  readonly sources?: readonly SchemaSource[];
}

export interface SessionBuildResult {
  readonly config: PerstoreConfig;
  readonly ir: ProjectIR;
  /** Every output file, final text, sorted by path. */
  readonly files: readonly OutputFile[];
  /** Models whose per-model files were emitted by this build (all of them on the first build). */
  readonly emittedModels: readonly string[];
  /** Files written (or, with `check`, that would be); empty with `noWrite`. */
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Generated files no model produces any more (a deleted schema): removed (or, with `check`, that would be). */
  readonly removed: readonly string[];
  /** What the build noticed but did not stop for: an empty schemas folder, files in it that are not schemas. */
  readonly warnings: readonly BuildWarning[];
  readonly durationMs: number;
}

export interface BuildSession {
  build(options?: SessionBuildOptions): Promise<SessionBuildResult>;
  /** End the session's prettier workers. */
  close(): Promise<void>;
}

/** A formatted file and the format-cache key it came from. */
interface Formatted extends OutputFile {
  readonly key: string;
}

interface Previous {
  readonly fingerprints: ReadonlyMap<string, string>;
  readonly modelFiles: ReadonlyMap<string, readonly Formatted[]>;
  readonly outDir: string;
  /** `buildCacheTag` of the configuration it was built with: another one reuses nothing. */
  readonly tag: string;
}

/** The in-memory state a saved cache stands for (models whose files are all there). */
function previousFromCache(
  cached: NonNullable<Awaited<ReturnType<typeof loadBuildCache>>>,
  tag: string,
): Previous {
  const fingerprints = new Map<string, string>();
  const modelFiles = new Map<string, Formatted[]>();
  for (const [name, { fingerprint, files }] of cached.models) {
    fingerprints.set(name, fingerprint);
    modelFiles.set(
      name,
      files.map((f) => ({ path: f.path, key: f.key, contents: cached.formatted.get(f.key)! })),
    );
  }
  return { fingerprints, modelFiles, outDir: cached.outDir, tag };
}

/** The stamp of a file as it is on disk now, or undefined when it is not a file there. */
async function stampOf(path: string, key: string): Promise<OutputStamp | undefined> {
  try {
    const found = await lstat(path);
    return found.isFile() ? { key, size: found.size, mtimeMs: found.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** Paths of the `files` that are on disk as an earlier build left them with the same text (by their stamps). */
async function filesAsLeft(
  target: string,
  files: readonly Formatted[],
  stamps: ReadonlyMap<string, OutputStamp>,
): Promise<Set<string>> {
  const same = new Set<string>();
  await Promise.all(
    files.map(async (f) => {
      const left = stamps.get(f.path);
      if (left === undefined || left.key !== f.key) return;
      const now = await stampOf(join(target, f.path), f.key);
      if (now !== undefined && now.size === left.size && now.mtimeMs === left.mtimeMs)
        same.add(f.path);
    }),
  );
  return same;
}

/** The stamps of `files` after a build wrote or compared them (those it knew unchanged keep theirs). */
async function stampsOf(
  target: string,
  files: readonly Formatted[],
  before: ReadonlyMap<string, OutputStamp>,
  unchanged: ReadonlySet<string>,
): Promise<Map<string, OutputStamp>> {
  const after = new Map<string, OutputStamp>();
  await Promise.all(
    files.map(async (f) => {
      const stamp =
        unchanged.has(f.path) && before.get(f.path)?.key === f.key
          ? before.get(f.path)
          : await stampOf(join(target, f.path), f.key);
      if (stamp !== undefined) after.set(f.path, stamp);
    }),
  );
  return after;
}

/** Models emitted per batch when prettier runs on workers: small enough that they start early, large enough that per-emit setup stays small. */
const EMIT_BATCH = 20;

function batchesOf<T>(items: readonly T[], size: number): T[][] {
  if (items.length <= size) return items.length === 0 ? [] : [[...items]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createBuildSession(options: SessionOptions = {}): BuildSession {
  const sourceCache: SourceCache = new Map();
  const mixinCache: MixinCache = new Map();
  const ownCache = options.formatCache === undefined;
  const formatCache: FormatCache = options.formatCache ?? new Map();
  let diskCacheLoaded = false;
  /** `sourceFingerprint`s of schema files the disk cache says passed their checks. */
  let checkedOnDisk: ReadonlySet<string> = new Set();
  /** Whether the disk cache may not hold what this session knows (absent, stale or corrupt when loaded). */
  let diskStale = true;
  /** What this session last wrote (or found unchanged) in the output folder, by absolute path. */
  const onDisk = new Map<string, string>();
  /** Output files as the last build left them, by path in the output folder (kept in the disk cache). */
  let stamps = new Map<string, OutputStamp>();
  let previous: Previous | undefined;
  let pool: FormatPool | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function run(buildOptions: SessionBuildOptions): Promise<SessionBuildResult> {
    const started = performance.now();
    const loaded = await loadConfig(options.root ?? process.cwd());
    const config: PerstoreConfig = { ...loaded, ...options.config };
    const outDir = posix.normalize(config.out);
    const useDisk = options.diskCache ?? true;
    const tag = buildCacheTag(config);
    if (useDisk && !diskCacheLoaded) {
      diskCacheLoaded = true;
      const cached = await loadBuildCache(config.root, tag);
      if (cached !== undefined) {
        for (const [key, text] of cached.formatted)
          if (!formatCache.has(key)) formatCache.set(key, text);
        previous ??= previousFromCache(cached, tag);
        checkedOnDisk = new Set(cached.checkedSources);
        if (cached.outDir === outDir) stamps = new Map(cached.outputs);
        diskStale = false;
      }
    }
    const given = buildOptions.sources ?? options.sources;
    const { sources, warnings } =
      given !== undefined ? { sources: given, warnings: [] } : await readSchemaFolder(config);
    // Files an earlier process checked are only parsed (their key is the source cache's).
    if (checkedOnDisk.size > 0) {
      for (const { file, text } of sources)
        if (
          !sourceCache.has(`${file}\0${text}`) &&
          checkedOnDisk.has(sourceFingerprint(file, text))
        )
          sourceCache.set(`${file}\0${text}`, previouslyCheckedFile(text));
      checkedOnDisk = new Set();
    }
    // Start prettier workers now, so they load while the IR is built and emitted.
    const jobs = previous === undefined ? sources.length * 4 : 0;
    if (pool === undefined && config.prettier && poolSizeFor(jobs) > 0)
      pool = createFormatPool(poolSizeFor(jobs));
    const ir = buildProjectIR(sources, {
      sourceCache,
      readMixins: (modules) => {
        const found = readMixinExports(
          modules.map((m) => join(config.root, m)),
          mixinCache,
        );
        return new Map(modules.map((m) => [m, found.get(join(config.root, m))]));
      },
    });

    const fingerprints = modelFingerprints(ir);
    const reuse =
      previous !== undefined && previous.outDir === outDir && previous.tag === tag
        ? previous
        : undefined;
    const affected = new Set(
      ir.models
        .filter((m) => reuse?.fingerprints.get(m.name) !== fingerprints.get(m.name))
        .map((m) => m.name),
    );
    const formatted: Promise<Formatted & { model?: string }>[] = [];
    const cachedBefore = formatCache.size;
    /** Keys of the pieces large files were formatted from: live as long as those files are. */
    const pieceKeys = new Set<string>();
    const dispatch = (emitted: readonly EmittedFile[]): void => {
      for (const file of emitted) {
        const key = formatKey(file, config.prettier);
        const text = formatFile(file, {
          prettier: config.prettier,
          cache: formatCache,
          key,
          usedKeys: pieceKeys,
          ...(pool ? { pool } : {}),
        });
        formatted.push(
          text.then((contents) => ({ path: file.path, contents, key, model: file.model })),
        );
      }
    };
    // Per-model files a batch of models at a time, each batch's files off to prettier's workers as soon as
    // they exist (the workers format while the next batch is emitted); then the project-level files.
    const batches = batchesOf(
      ir.models.filter((m) => affected.has(m.name)).map((m) => m.name),
      pool === undefined ? Infinity : EMIT_BATCH,
    );
    for (const batch of batches)
      for (const emit of MODEL_EMITTERS)
        dispatch(await emit(ir, { outDir, models: new Set(batch) }));
    for (const emit of PROJECT_EMITTERS) dispatch(await emit(ir, { outDir, models: affected }));
    // Everything is emitted: this thread formats beside the workers rather than wait for them.
    pool?.help();
    const fresh = await Promise.all(formatted);
    const formattedNew = formatCache.size > cachedBefore;

    const modelFiles = new Map<string, Formatted[]>();
    const all: Formatted[] = [];
    for (const { path, contents, key, model } of fresh) {
      all.push({ path, contents, key });
      if (model !== undefined)
        modelFiles.set(model, [...(modelFiles.get(model) ?? []), { path, contents, key }]);
    }
    for (const model of ir.models) {
      if (affected.has(model.name)) continue;
      const kept = reuse!.modelFiles.get(model.name) ?? [];
      modelFiles.set(model.name, [...kept]);
      all.push(...kept);
    }
    all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const files: OutputFile[] = all.map(({ path, contents }) => ({ path, contents }));

    let report: {
      written: readonly string[];
      unchanged: readonly string[];
      removed: readonly string[];
    } = { written: [], unchanged: [], removed: [] };
    if (!buildOptions.noWrite) {
      const target = resolve(config.root, config.out);
      const check = buildOptions.check ?? false;
      // Files this session already wrote with the same text need no read of the disk, nor those an
      // earlier build left with this text and that still have the size and time it left them with
      // (a check reads every file).
      const asLeft = check ? new Set<string>() : await filesAsLeft(target, all, stamps);
      const isKnown = (f: OutputFile): boolean =>
        onDisk.get(join(target, f.path)) === f.contents || asLeft.has(f.path);
      const known = files.filter(isKnown);
      const rest = files.filter((f) => !isKnown(f));
      const wrote = await writeFiles(target, rest, { check });
      // An empty schemas folder is more likely a wrong "schemas" than the wish to delete every model.
      const removed =
        sources.length === 0
          ? []
          : await removeStaleFiles(target, new Set(files.map((f) => f.path)), {
              check,
              schemas: posix.normalize(config.schemas),
            });
      report = {
        written: wrote.written,
        unchanged: [...known.map((f) => f.path), ...wrote.unchanged].sort(),
        removed,
      };
      if (!check) {
        for (const f of rest) onDisk.set(join(target, f.path), f.contents);
        for (const path of removed) onDisk.delete(join(target, path));
        stamps = await stampsOf(target, all, stamps, new Set(known.map((f) => f.path)));
      }
    }
    previous = { fingerprints, modelFiles, outDir, tag };
    // The cache keeps what the current output was formatted from, so it never outgrows the project.
    if (ownCache) {
      const live = new Set([...all.map((f) => f.key), ...pieceKeys]);
      for (const key of formatCache.keys()) if (!live.has(key)) formatCache.delete(key);
    }
    // A check writes nothing, the cache included.
    if (
      useDisk &&
      (diskStale || formattedNew || affected.size > 0) &&
      !buildOptions.noWrite &&
      !buildOptions.check
    ) {
      diskStale = false;
      const modelKeys = new Set(
        [...modelFiles.values()].flatMap((files) => files.map((f) => f.key)),
      );
      await saveBuildCache(config.root, tag, {
        outDir,
        // The build succeeded, so every schema file passed its checks.
        checkedSources: sources.map((s) => sourceFingerprint(s.file, s.text)),
        outputs: stamps,
        models: new Map(
          ir.models.map((m) => [
            m.name,
            {
              fingerprint: fingerprints.get(m.name)!,
              files: (modelFiles.get(m.name) ?? []).map((f): CachedModelFile => ({
                path: f.path,
                key: f.key,
              })),
            },
          ]),
        ),
        // A file formatted in pieces is kept as its pieces (put together again in milliseconds):
        // after an edit the whole text would be of no use, and it is the largest.
        formatted: new Map([
          ...all
            .filter((f) => modelKeys.has(f.key) || !pieceKeys.has(piecesKeyOf(f.key)))
            .map((f): [string, string] => [f.key, f.contents]),
          ...[...pieceKeys].map((k): [string, string] => [k, formatCache.get(k)!]),
        ]),
      });
    }
    const emittedModels = ir.models.filter((m) => affected.has(m.name)).map((m) => m.name);
    return {
      config,
      ir,
      files,
      emittedModels,
      ...report,
      warnings,
      durationMs: performance.now() - started,
    };
  }

  return {
    build(buildOptions = {}) {
      // One build at a time: a rebuild must see the state the previous one left.
      const next = queue.then(() => run(buildOptions));
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      await queue;
      const p = pool;
      pool = undefined;
      await p?.close();
    },
  };
}
