/** `perstore build`: one build, or a watch that rebuilds on every change (options in ../specs/build.ts). */
import { watch } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { SchemaErrors, PerstoreError } from "../../errors/index.js";
import {
  createBuildSession,
  loadConfig,
  type BuildSession,
  type SessionBuildResult,
} from "../../compiler/index.js";
import type { CliIO, CommandRun } from "../command.js";
import type { buildOptions } from "../specs/build.js";
import { UsageError } from "../usage-error.js";
import { startSpinner } from "../spinner.js";

type BuildOptions = typeof buildOptions;

/** One build on `session`, reported on `io`; resolves to the exit code. */
async function once(
  io: CliIO,
  session: BuildSession,
  check: boolean,
  rebuild: boolean,
): Promise<{ code: number; result?: SessionBuildResult }> {
  const stop = startSpinner(io.stdout, "compiling schemas");
  try {
    const result = await session.build({ check });
    stop();
    const ms = Math.round(result.durationMs);
    const models = result.ir.models.length;
    if (check) {
      if (result.written.length > 0 || result.removed.length > 0) {
        const stale = [
          ...result.written.map((f) => `  ${f}\n`),
          ...result.removed.map((f) => `  ${f} (no longer generated)\n`),
        ];
        io.stderr.write(
          `${result.config.out}/ is stale; run \`perstore build\`. Stale files:\n${stale.join("")}`,
        );
        return { code: 1, result };
      }
      io.stdout.write(
        `${result.config.out}/ is up to date (${models} models, ${result.files.length} files, ${ms} ms)\n`,
      );
      return { code: 0, result };
    }
    for (const file of result.written) io.stdout.write(`  wrote ${result.config.out}/${file}\n`);
    for (const file of result.removed) io.stdout.write(`  removed ${result.config.out}/${file}\n`);
    const what = rebuild
      ? `rebuilt ${result.emittedModels.length} of ${models} models${result.emittedModels.length > 0 ? ` (${result.emittedModels.join(", ")})` : ""}`
      : `compiled ${models} models`;
    io.stdout.write(
      `${what}: ${result.written.length} files written, ${result.unchanged.length} unchanged${result.removed.length > 0 ? `, ${result.removed.length} removed` : ""} (${ms} ms)\n`,
    );
    return { code: 0, result };
  } catch (error) {
    stop();
    if (error instanceof SchemaErrors) {
      io.stderr.write(
        `${error.errors.length} schema error${error.errors.length === 1 ? "" : "s"}:\n`,
      );
      for (const e of error.errors) io.stderr.write(`  ${e.message} [${e.code}]\n`);
      return { code: 1 };
    }
    if (error instanceof PerstoreError) {
      io.stderr.write(`${error.message} [${error.code}]\n`);
      return { code: 1 };
    }
    throw error;
  }
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
  const first = await once(io, session, false, false);
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
        const { code, result } = await once(io, session, false, true);
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
    return (await once(io, session, values.check === true, false)).code;
  } finally {
    await session.close();
  }
};
