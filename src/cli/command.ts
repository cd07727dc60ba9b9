/**
 * What a CLI command is: a declaration (name, help, options, positionals)
 * that costs nothing to load, and the code that runs it, loaded only when
 * the command runs (`load`), so `perstore --help` never loads the compiler,
 * prettier or a database driver.
 */

/** Where a command reads and writes. */
export interface CliIO {
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The environment (colour, DATABASE_URL); default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** One `--name` option, as `node:util` `parseArgs` takes it, with its help. */
export interface OptionSpec {
  readonly type: "boolean" | "string";
  /** One letter: `-w` for `--watch`. */
  readonly short?: string;
  /** Repeatable (`--x a --x b`); the value is then an array. */
  readonly multiple?: boolean;
  /** How help shows a string option's value: `--port N`. */
  readonly value?: string;
  /** One line for the command's help. */
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** A positional argument (`migrate create <name>`). */
export interface PositionalSpec {
  readonly name: string;
  readonly optional?: boolean;
}

/** What parseArgs gives an option: a boolean or string, an array of them when repeatable. */
export type OptionValue = string | boolean | string[] | boolean[];

/** The parsed options of a command, typed from its declared options (loose for an unknown command). */
export type OptionValues<O extends OptionSpecs> = string extends keyof O
  ? Record<string, OptionValue | undefined>
  : {
      -readonly [K in keyof O]?: O[K]["type"] extends "boolean"
        ? O[K]["multiple"] extends true
          ? boolean[]
          : boolean
        : O[K]["multiple"] extends true
          ? string[]
          : string;
    };

export interface ParsedArgs<O extends OptionSpecs = OptionSpecs> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
}

/** The code of a command; resolves to the exit code (see `EXIT`). */
export type CommandRun<O extends OptionSpecs = OptionSpecs> = (
  args: ParsedArgs<O>,
  io: CliIO,
) => Promise<number>;

export interface Command<O extends OptionSpecs = OptionSpecs> {
  /** `build`, or the action of a command with subcommands (`create` in `migrate create`). */
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** What `--help` says below the usage line and above the options (may be empty). */
  readonly description: string;
  /** Every option but `--help`, which every command has. */
  readonly options: O;
  /** The positional arguments, in order; none when absent. */
  readonly positionals?: readonly PositionalSpec[];
  /** Actions of a command such as `migrate` (`migrate create`, `migrate up`); it then has no `load`. */
  readonly subcommands?: readonly Command<any>[];
  /** Imports the code that runs the command (a dynamic import, so the CLI loads only what runs). */
  readonly load?: () => Promise<CommandRun<O>>;
}

/** Declares a command with its options typed for `load`'s run function. */
export function defineCommand<const O extends OptionSpecs>(command: Command<O>): Command<O> {
  return command;
}

/** The exit codes of every command (documented in `perstore --help` and the README). */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The command ran and failed: an error, stale output under `--check`, migration problems. */
  failure: 1,
  /** Bad usage: an unknown command or option, a missing or extra argument, a bad value. */
  usage: 2,
} as const;
