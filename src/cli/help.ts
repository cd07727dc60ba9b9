/** Help text, generated from the command declarations so it cannot drift from what the parser accepts. */
import type { Command } from "./command.js";
import { optionLabel, optionsOf } from "./parse-command-line.js";

/** The exit codes, as `--help` and the README state them. */
export const EXIT_CODES_TEXT =
  "Exit codes: 0 done; 1 failed (an error, stale output under --check, migration problems); 2 bad usage.";

/** `perstore migrate create <name> [options]`: the one line a usage error shows. */
export function usageLine(command: Command<any>, path: readonly string[]): string {
  const parts = ["perstore", ...path];
  if (command.subcommands !== undefined) parts.push("<action>");
  for (const p of command.positionals ?? []) parts.push(p.optional ? `[${p.name}]` : `<${p.name}>`);
  parts.push("[options]");
  return `Usage: ${parts.join(" ")}`;
}

/** Two columns, the left padded to its widest entry; continuation lines of the right indented under it. */
function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows
    .map(([left, right]) => {
      const [first = "", ...more] = right.split("\n");
      const indent = " ".repeat(width + 4);
      return [`  ${left.padEnd(width)}  ${first}`, ...more.map((line) => indent + line)].join("\n");
    })
    .join("\n");
}

/** Full `--help` of one command (or of an action: `perstore migrate create --help`). */
export function commandHelp(command: Command<any>, path: readonly string[]): string {
  const sections = [usageLine(command, path)];
  if (command.description !== "") sections.push(command.description.trimEnd());
  if (command.subcommands !== undefined) {
    const rows = command.subcommands.map((sub): [string, string] => [
      [
        sub.name,
        ...(sub.positionals ?? []).map((p) => (p.optional ? `[${p.name}]` : `<${p.name}>`)),
      ].join(" "),
      sub.summary,
    ]);
    sections.push(`Actions:\n${table(rows)}`);
    sections.push(`Run \`perstore ${path.join(" ")} <action> --help\` for an action's options.`);
  }
  const options = Object.entries(optionsOf(command)).map(([name, option]): [string, string] => [
    `${option.short !== undefined ? `-${option.short}, ` : "    "}${optionLabel(name, option)}`,
    option.description,
  ]);
  sections.push(`Options:\n${table(options)}`);
  return `${sections.join("\n\n")}\n`;
}

/** `perstore --help`: every command, the global options and the exit codes. */
export function overviewHelp(commands: readonly Command<any>[], version: string): string {
  const rows = commands.map((c): [string, string] => [c.name, c.summary]);
  return `perstore ${version}: typed models, validators and migrations compiled from JSON Schema

Usage: perstore <command> [options]

Commands:
${table(rows)}

Options:
${table([
  ["-h, --help", "show this help; `perstore <command> --help` shows a command's options"],
  ["-v, --version", "print perstore's version"],
])}

${EXIT_CODES_TEXT}
`;
}
