/**
 * The `perstore` command. Commands are declared in specs/ (name, help,
 * options) and their code is imported only when they run, so `--help` and
 * `--version` load no compiler, formatter or database driver.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { closestMatch } from "../errors/did-you-mean.js";
import { EXIT, type CliIO, type Command } from "./command.js";
import { paintFor } from "./color.js";
import { describeThrown } from "./describe-thrown.js";
import { commandHelp, overviewHelp, usageLine } from "./help.js";
import { jsonErrors, writeJson } from "./json-output.js";
import { reportError } from "./report-error.js";
import { findCommand, parseCommandArgs, type FoundCommand } from "./parse-command-line.js";
import { buildCommand } from "./specs/build.js";
import { initCommand } from "./specs/init.js";
import { migrateCommand } from "./specs/migrate.js";
import { seedCommand } from "./specs/seed.js";
import { serveCommand } from "./specs/serve.js";
import { studioCommand } from "./specs/studio.js";
import { UsageError } from "./usage-error.js";
import { perstoreVersion } from "./version.js";

export type {
  CliIO,
  Command,
  CommandRun,
  OptionSpec,
  OptionSpecs,
  ParsedArgs,
  PositionalSpec,
} from "./command.js";
export { defineCommand, EXIT } from "./command.js";
export { describeThrown } from "./describe-thrown.js";
export { UsageError } from "./usage-error.js";

/** Every command, in the order `perstore --help` lists them. Adding one is one line. */
export const COMMANDS: readonly Command<any>[] = [
  initCommand,
  buildCommand,
  migrateCommand,
  seedCommand,
  serveCommand,
  studioCommand,
];

const GLOBAL_OPTIONS = ["--help", "-h", "--version", "-v"];

/**
 * Run the CLI; resolves to the exit code (`EXIT`: 0 done, 1 failed, 2 bad
 * usage). What a command throws is printed as one message (never
 * `[object Object]`); with `--json`, as JSON on stdout. `commands` is for tests.
 */
export async function main(
  argv: readonly string[],
  io: CliIO = { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr },
  commands: readonly Command<any>[] = COMMANDS,
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(overviewHelp(commands, perstoreVersion()));
    return EXIT.usage;
  }
  if (first === "--help" || first === "-h") {
    io.stdout.write(overviewHelp(commands, perstoreVersion()));
    return EXIT.ok;
  }
  if (first === "--version" || first === "-v") {
    io.stdout.write(`${perstoreVersion()}\n`);
    return EXIT.ok;
  }
  if (first === "help") return help(rest, io, commands);
  if (first.startsWith("-")) {
    const match = closestMatch(first, GLOBAL_OPTIONS);
    return usageError(
      io,
      `perstore: unknown option ${first}${match ? `; did you mean ${match}?` : ""}`,
      "Usage: perstore <command> [options]   (perstore --help lists the commands)",
    );
  }
  let found: FoundCommand;
  try {
    found = findCommand(commands, argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageError(io, `perstore: ${error.message}`, "Usage: perstore <command> [options]");
  }
  return runFound(found, io);
}

async function runFound(found: FoundCommand, io: CliIO): Promise<number> {
  const { command, path } = found;
  const where = `perstore ${path.join(" ")}`;
  let json = false;
  try {
    const args = parseCommandArgs(command, found.rest, {
      path: path.slice(0, -1),
      commands: found.siblings ?? [],
    });
    if (args.help) {
      io.stdout.write(commandHelp(command, path));
      return EXIT.ok;
    }
    if (command.load === undefined) {
      // A command with actions (migrate), given none.
      const actions = (command.subcommands ?? []).map((c) => c.name).join(", ");
      throw new UsageError(`needs an action: ${actions}`);
    }
    json = args.values["json"] === true;
    const run = await command.load();
    return await run({ values: args.values, positionals: args.positionals }, io);
  } catch (error) {
    if (error instanceof UsageError)
      return usageError(io, `${where}: ${error.message}`, usageLine(command, path));
    if (json) {
      writeJson(io, false, { errors: jsonErrors(error) });
      return EXIT.failure;
    }
    reportError(io, where, error);
    return EXIT.failure;
  }
}

function help(names: readonly string[], io: CliIO, commands: readonly Command<any>[]): number {
  if (names.length === 0) {
    io.stdout.write(overviewHelp(commands, perstoreVersion()));
    return EXIT.ok;
  }
  try {
    const found = findCommand(commands, names);
    if (found.rest.length > 0) throw new UsageError(`unknown action "${found.rest[0]}"`);
    io.stdout.write(commandHelp(found.command, found.path));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageError(
      io,
      `perstore help: ${error.message}`,
      "Usage: perstore help <command> [action]",
    );
  }
}

/** A usage error: its one line and the usage line of the command it concerns, on stderr; exit 2. */
function usageError(io: CliIO, message: string, usage: string): number {
  const paint = paintFor(io.stderr, io.env);
  io.stderr.write(`${paint.red(message)}\n${paint.dim(`${usage}   (--help for more)`)}\n`);
  return EXIT.usage;
}

/** Whether this module is the program being run (`tsx src/cli/index.ts build`), not imported (bin/perstore.js, tests). */
function isEntry(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntry()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(describeThrown(error));
      process.exit(1);
    },
  );
}
