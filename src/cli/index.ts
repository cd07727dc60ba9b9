/**
 * The `perstore` command. Commands live in a table: adding one is one line.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { buildCommand } from "./commands/build.js";
import { initCommand } from "./commands/init.js";
import { migrateCommand } from "./commands/migrate.js";
import { seedCommand } from "./commands/seed.js";
import { serveCommand } from "./commands/serve.js";
import type { CliIO, Command } from "./command.js";
import { describeThrown } from "./describe-thrown.js";

export type { CliIO, Command } from "./command.js";
export { describeThrown } from "./describe-thrown.js";

/** Every command, by name. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  buildCommand,
  migrateCommand,
  seedCommand,
  serveCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: perstore <command> [options]\n\nCommands:\n${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}\n\nRun \`perstore <command> --help\` for a command's options.\n`;
}

/**
 * Run the CLI; resolves to the exit code. A command that throws prints the
 * message (never `[object Object]`) and exits 1. `commands` is for tests.
 */
export async function main(
  argv: readonly string[],
  io: CliIO = { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr },
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage());
    return name === undefined ? 1 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`unknown command ${name}\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.stderr.write(`perstore ${name}: ${describeThrown(error)}\n`);
    return 1;
  }
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
