/**
 * From argv to the command to run and its parsed arguments, with
 * `node:util` `parseArgs` doing the tokenizing: `--flag=value`, `-p 3000`,
 * `-p3000`, grouped short flags (`-wc`) and `--` all work as they do in
 * other CLIs. Everything that is wrong is a `UsageError` whose message is
 * one line, with a "did you mean" where a near name exists.
 */
import { parseArgs } from "node:util";
import { closestMatch } from "../errors/did-you-mean.js";
import type { Command, OptionSpec, OptionSpecs, ParsedArgs } from "./command.js";
import { UsageError } from "./usage-error.js";

/** The option every command has. */
export const HELP_OPTION: OptionSpec = {
  type: "boolean",
  short: "h",
  description: "show this help",
};

/** A command found in argv: the chain of names to it (`["migrate", "create"]`) and what follows. */
export interface FoundCommand {
  readonly command: Command<any>;
  readonly path: readonly string[];
  readonly rest: readonly string[];
  /** The other actions of the same command (for "--force is an option of `migrate reset`"). */
  readonly siblings?: readonly Command<any>[];
}

/**
 * Find the command `argv` names, descending into subcommands
 * (`migrate create`). A command with subcommands and no action (or only
 * options, such as `--help`) is returned itself, for its help.
 */
export function findCommand(
  commands: readonly Command<any>[],
  argv: readonly string[],
): FoundCommand {
  const [name, ...rest] = argv;
  const command = commands.find((c) => c.name === name);
  if (command === undefined) throw unknownName("command", name ?? "", commands, "perstore");
  let found: FoundCommand = { command, path: [command.name], rest };
  while (found.command.subcommands !== undefined) {
    const [action, ...after] = found.rest;
    if (action === undefined || action.startsWith("-")) return found;
    const sub = found.command.subcommands.find((c) => c.name === action);
    if (sub === undefined)
      throw unknownName(
        "action",
        action,
        found.command.subcommands,
        `perstore ${found.path.join(" ")}`,
      );
    found = {
      command: sub,
      path: [...found.path, sub.name],
      rest: after,
      siblings: found.command.subcommands.filter((c) => c !== sub),
    };
  }
  return found;
}

function unknownName(
  kind: "command" | "action",
  name: string,
  among: readonly Command<any>[],
  where: string,
): UsageError {
  const names = among.map((c) => c.name);
  const match = closestMatch(name, names);
  const hint =
    match !== undefined
      ? `; did you mean \`${where} ${match}\`?`
      : ` (${kind}s: ${names.join(", ")})`;
  return new UsageError(`unknown ${kind} "${name}"${hint}`);
}

/** The options of `command` as `parseArgs` takes them, `--help` included. */
export function optionsOf(command: Command<any>): OptionSpecs {
  return { ...(command.options as OptionSpecs), help: HELP_OPTION };
}

/**
 * Parse a command's arguments against its declared options and positionals.
 * `help` is true when `--help`/`-h` was given (then nothing else is checked,
 * so `perstore build --bogus --help` still shows help).
 */
export function parseCommandArgs(
  command: Command<any>,
  args: readonly string[],
  siblings: { readonly path: readonly string[]; readonly commands: readonly Command<any>[] } = {
    path: [],
    commands: [],
  },
): ParsedArgs & { readonly help: boolean } {
  const options = optionsOf(command);
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    options: Object.fromEntries(
      Object.entries(options).map(([name, o]) => [
        name,
        {
          type: o.type,
          ...(o.short !== undefined ? { short: o.short } : {}),
          ...(o.multiple ? { multiple: true } : {}),
        },
      ]),
    ),
    // Unknown options come back as tokens, checked below for a better message than parseArgs' own.
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (values["help"] === true && options["help"] !== undefined)
    return { values: {}, positionals: [], help: true };
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = options[token.name];
    if (option === undefined) {
      const owner = siblings.commands.find((c) => token.name in c.options);
      if (owner !== undefined && token.rawName.startsWith("--"))
        throw new UsageError(
          `unknown option ${token.rawName}: it is an option of \`perstore ${[...siblings.path, owner.name].join(" ")}\``,
        );
      throw unknownOption(token.rawName, options);
    }
    if (seen.has(token.name) && !option.multiple)
      throw new UsageError(`--${token.name} was given more than once`);
    seen.add(token.name);
    const shown = optionLabel(token.name, option);
    if (option.type === "boolean" && token.value !== undefined)
      throw new UsageError(`${token.rawName} takes no value (got "${token.value}")`);
    if (option.type === "string") {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))
        throw new UsageError(`${token.rawName} needs a value: ${shown}`);
    }
  }
  checkPositionals(command, positionals);
  const known = Object.fromEntries(Object.entries(values).filter(([name]) => name !== "help"));
  return { values: known, positionals, help: false };
}

function unknownOption(raw: string, options: OptionSpecs): UsageError {
  if (raw.startsWith("--")) {
    const match = closestMatch(
      raw.slice(2),
      Object.keys(options).filter((n) => n !== "help"),
    );
    return new UsageError(
      `unknown option ${raw}${match !== undefined ? `; did you mean --${match}?` : ""}`,
    );
  }
  const shorts = Object.entries(options)
    .filter(([, o]) => o.short !== undefined)
    .map(([name, o]) => `-${o.short} (--${name})`);
  return new UsageError(
    `unknown option ${raw}${shorts.length > 0 ? ` (short options: ${shorts.join(", ")})` : ""}`,
  );
}

function checkPositionals(command: Command<any>, given: readonly string[]): void {
  const declared = command.positionals ?? [];
  const required = declared.filter((p) => !p.optional);
  if (given.length < required.length) {
    const missing = required.slice(given.length).map((p) => `<${p.name}>`);
    throw new UsageError(`missing ${missing.join(" ")}`);
  }
  if (given.length > declared.length) {
    const extra = given.slice(declared.length).map((a) => `"${a}"`);
    throw new UsageError(
      declared.length === 0
        ? `takes no arguments (got ${extra.join(" ")})`
        : `too many arguments (got ${extra.join(" ")} after ${declared.map((p) => `<${p.name}>`).join(" ")})`,
    );
  }
}

/** How help and messages show an option: `-p, --port N`. */
export function optionLabel(name: string, option: OptionSpec): string {
  const value = option.type === "string" ? ` ${option.value ?? "VALUE"}` : "";
  return `--${name}${value}`;
}
