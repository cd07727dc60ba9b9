/** `perstore build`: one build, or a watch that rebuilds on every change (options in ../specs/build-options.ts). */
import { readFileSync, watch } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { PerstoreError } from "../../errors/index.js";
import {
  createBuildSession,
  loadConfig,
  type BuildSession,
  type BuildWarning,
  type SessionBuildResult,
} from "../../compiler/index.js";
import type { CliIO, CommandRun } from "../command.js";
import type { buildOptions } from "../specs/build-options.js";
import { UsageError } from "../usage-error.js";
import { count, paintFor } from "../color.js";
import { reportError } from "../report-error.js";
import { jsonErrors, writeJson } from "../json-output.js";
import { startSpinner } from "../spinner.js";

type BuildOptions = typeof buildOptions;

interface OnceOptions {
  readonly check: boolean;
  /** A rebuild in watch mode (says which models it re-emitted). */
  readonly rebuild: boolean;
  /** Print one JSON document instead of text. */
  readonly json: boolean;
}

/** One build on `session`, reported on `io`; resolves to the exit code. Errors are reported, not thrown (watch mode goes on). */
async function once(
  io: CliIO,
  session: BuildSession,
  options: OnceOptions,
): Promise<{ code: number; result?: SessionBuildResult }> {
  const stop = options.json
    ? () => {}
    : startSpinner(io.stdout, "compiling schemas", { quietWithoutTty: true });
  let result: SessionBuildResult;
  try {
    result = await session.build({ check: options.check });
  } catch (error) {
    stop();
    if (!(error instanceof PerstoreError)) throw error;
    if (options.json) writeJson(io, false, { errors: jsonErrors(error) });
    else reportError(io, "perstore build", error);
    return { code: 1 };
  }
  stop();
  const code = options.check && (result.written.length > 0 || result.removed.length > 0) ? 1 : 0;
  const warnings = [...result.warnings, ...esmWarnings(result.config.root)];
  if (options.json) writeJson(io, code === 0, { ...buildJson(result, options.check), warnings });
  else {
    reportWarnings(io, warnings);
    if (options.check) reportCheck(io, result);
    else reportBuild(io, result, options.rebuild);
  }
  return { code, result };
}

/** What `build --json` and `build --check --json` print beside `"ok"`. */
function buildJson(result: SessionBuildResult, check: boolean): Record<string, unknown> {
  return {
    check,
    out: result.config.out,
    schemas: result.config.schemas,
    models: result.ir.models.map((m) => m.name),
    // Under --check: the files that are stale (would be written) or no longer generated (would be removed).
    written: result.written,
    unchanged: result.unchanged,
    removed: result.removed,
    warnings: result.warnings,
    durationMs: Math.round(result.durationMs),
  };
}

/**
 * The generated code is ES modules (import/export, top-level await in the
 * user's code): a package.json at the root that does not say
 * `"type": "module"` makes it fail at run time, far from the cause.
 */
function esmWarnings(root: string): BuildWarning[] {
  let manifest: { type?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { type?: unknown };
  } catch {
    return []; // no package.json (or not ours to judge)
  }
  if (manifest.type === "module") return [];
  return [
    {
      code: "PROJECT_NOT_ESM",
      message: `package.json ${manifest.type === undefined ? 'has no "type"' : `has "type": ${JSON.stringify(manifest.type)}`}, but the generated code is ES modules: set "type": "module" (\`perstore init --esm\` does)`,
      file: "package.json",
    },
  ];
}

function reportWarnings(io: CliIO, warnings: readonly BuildWarning[]): void {
  const paint = paintFor(io.stderr, io.env);
  for (const w of warnings)
    io.stderr.write(`${paint.yellow("warning:")} ${w.message} ${paint.dim(`[${w.code}]`)}\n`);
}

function reportCheck(io: CliIO, result: SessionBuildResult): void {
  const out = result.config.out;
  const ms = Math.round(result.durationMs);
  if (result.written.length > 0 || result.removed.length > 0) {
    const paint = paintFor(io.stderr, io.env);
    const stale = [
      ...result.written.map((f) => `  ${f}\n`),
      ...result.removed.map((f) => `  ${f} (no longer generated)\n`),
    ];
    io.stderr.write(
      `${paint.red(`${out}/ is stale; run \`perstore build\`.`)} Stale files:\n${stale.join("")}`,
    );
    return;
  }
  const paint = paintFor(io.stdout, io.env);
  io.stdout.write(
    `${paint.green(`${out}/ is up to date`)} (${count(result.ir.models.length, "model")}, ${count(result.files.length, "file")}, ${ms} ms)\n`,
  );
}

function reportBuild(io: CliIO, result: SessionBuildResult, rebuild: boolean): void {
  const paint = paintFor(io.stdout, io.env);
  const out = result.config.out;
  for (const file of result.written) io.stdout.write(paint.dim(`  wrote ${out}/${file}\n`));
  for (const file of result.removed) io.stdout.write(paint.dim(`  removed ${out}/${file}\n`));
  const models = result.ir.models.length;
  const emitted = result.emittedModels;
  const what = rebuild
    ? `rebuilt ${emitted.length} of ${count(models, "model")}${emitted.length > 0 ? ` (${emitted.join(", ")})` : ""}`
    : `compiled ${count(models, "model")}`;
  const removed = result.removed.length > 0 ? `, ${result.removed.length} removed` : "";
  io.stdout.write(
    `${paint.green(what)}: ${count(result.written.length, "file")} written, ${result.unchanged.length} unchanged${removed} (${Math.round(result.durationMs)} ms)\n`,
  );
}

export interface WatchOptions {
  /** Stops the watch; the returned promise then resolves. */
  readonly signal: AbortSignal;
  /** Called after every rebuild a change triggered (not after the first build). */
  readonly onRebuild?: (result: SessionBuildResult | undefined, code: number) => void;
  /** Quiet period after a change before rebuilding, for editors that write in several steps (default 50 ms). */
  readonly debounceMs?: number;
}

/**
 * Build, then rebuild whenever a file under the schemas folder changes, until
 * `signal` aborts. Rebuilds share one build session: only models whose
 * inputs changed are re-emitted, only changed files re-formatted and written.
 * Resolves to the first build's exit code.
 */
export async function watchBuild(io: CliIO, options: WatchOptions): Promise<number> {
  const session = createBuildSession({ root: io.cwd });
  const first = await once(io, session, { check: false, rebuild: false, json: false });
  const config = await loadConfig(io.cwd);
  const schemas = resolve(config.root, config.schemas);
  const out = resolve(config.root, config.out);
  io.stdout.write(`watching ${config.schemas}/ (Ctrl-C to stop)\n`);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const watcher = watch(schemas, { recursive: true }, (_event, name) => {
    // Our own output (when it sits inside the schemas folder) is not a change.
    if (name !== null && isInside(out, resolve(schemas, name.toString()))) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        const { code, result } = await once(io, session, {
          check: false,
          rebuild: true,
          json: false,
        });
        options.onRebuild?.(result, code);
      });
    }, options.debounceMs ?? 50);
  });
  await new Promise<void>((done) => {
    if (options.signal.aborted) done();
    else options.signal.addEventListener("abort", () => done(), { once: true });
  });
  watcher.close();
  clearTimeout(timer);
  await running;
  await session.close();
  return first.code;
}

function isInside(dir: string, file: string): boolean {
  const path = relative(dir, file);
  return path === "" || (!path.startsWith("..") && !isAbsolute(path));
}

/** `perstore build [--watch | --check] [--json]`. */
export const runBuild: CommandRun<BuildOptions> = async ({ values }, io) => {
  if (values.watch) {
    if (values.check) throw new UsageError("--watch and --check do not go together");
    if (values.json) throw new UsageError("--watch and --json do not go together");
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once("SIGINT", onSignal);
    try {
      await watchBuild(io, { signal: stop.signal });
    } finally {
      process.off("SIGINT", onSignal);
    }
    return 0;
  }
  const session = createBuildSession({ root: io.cwd });
  try {
    return (
      await once(io, session, {
        check: values.check === true,
        rebuild: false,
        json: values.json === true,
      })
    ).code;
  } finally {
    await session.close();
  }
};
