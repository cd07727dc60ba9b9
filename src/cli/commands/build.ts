/** `perstore build [--watch] [--check]`. */
import { watch } from "node:fs";
import { resolve } from "node:path";
import { SchemaErrors, PerstoreError } from "../../errors/index.js";
import { build, loadConfig } from "../../compiler/index.js";
import { parseFlags, type CliIO, type Command } from "../command.js";
import { startSpinner } from "../spinner.js";

async function once(io: CliIO, check: boolean, formatCache: Map<string, string>): Promise<number> {
  const stop = startSpinner(io.stdout, "compiling schemas");
  try {
    const result = await build({ root: io.cwd, check, formatCache });
    stop();
    const ms = Math.round(result.durationMs);
    if (check) {
      if (result.written.length > 0) {
        io.stderr.write(`${result.config.out}/ is stale; run \`perstore build\`. Stale files:\n${result.written.map((f) => `  ${f}\n`).join("")}`);
        return 1;
      }
      io.stdout.write(`${result.config.out}/ is up to date (${result.ir.models.length} models, ${result.files.length} files, ${ms} ms)\n`);
      return 0;
    }
    for (const file of result.written) io.stdout.write(`  wrote ${result.config.out}/${file}\n`);
    io.stdout.write(
      `compiled ${result.ir.models.length} models: ${result.written.length} files written, ${result.unchanged.length} unchanged (${ms} ms)\n`,
    );
    return 0;
  } catch (error) {
    stop();
    if (error instanceof SchemaErrors) {
      io.stderr.write(`${error.errors.length} schema error${error.errors.length === 1 ? "" : "s"}:\n`);
      for (const e of error.errors) io.stderr.write(`  ${e.message} [${e.code}]\n`);
      return 1;
    }
    if (error instanceof PerstoreError) {
      io.stderr.write(`${error.message} [${error.code}]\n`);
      return 1;
    }
    throw error;
  }
}

export const buildCommand: Command = {
  name: "build",
  summary: "compile schemas/ into typed models in generated/",
  help: `Usage: perstore build [--watch] [--check]

Compile every *.schema.json in the schemas folder (perstore.config.json) into
typed model classes, validators, query predicates, db.ts, DDL and index.ts.
Files are written atomically and only when their content changes.

  --check   write nothing; exit 1 listing stale files when the output is out of date
  --watch   rebuild when a schema or mixin changes (only changed files are re-formatted and written)
  --help    show this help
`,
  async run(args, io) {
    const { flags, unknown } = parseFlags(args, ["--watch", "--check", "--help", "-h"]);
    if (flags.has("--help") || flags.has("-h")) {
      io.stdout.write(this.help);
      return 0;
    }
    if (unknown.length > 0) {
      io.stderr.write(`unknown option ${unknown.join(", ")}\n${this.help}`);
      return 2;
    }
    const cache = new Map<string, string>();
    const code = await once(io, flags.has("--check"), cache);
    if (!flags.has("--watch")) return code;
    const config = await loadConfig(io.cwd);
    io.stdout.write(`watching ${config.schemas}/ (Ctrl-C to stop)\n`);
    let timer: NodeJS.Timeout | undefined;
    let running = Promise.resolve();
    return new Promise<number>((done) => {
      const watcher = watch(resolve(config.root, config.schemas), { recursive: true }, () => {
        clearTimeout(timer);
        // Debounce editors that write a file in several steps.
        timer = setTimeout(() => {
          running = running.then(() => once(io, false, cache).then(() => undefined));
        }, 50);
      });
      process.once("SIGINT", () => {
        watcher.close();
        done(0);
      });
    });
  },
};
