/** What every CLI command provides. */
export interface CliIO {
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
}

export interface Command {
  readonly name: string;
  /** One line for `perstore --help`. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  run(args: readonly string[], io: CliIO): Promise<number>;
}

/** Split `--flag` options from positional arguments; unknown flags are errors. */
export function parseFlags(
  args: readonly string[],
  known: readonly string[],
): { flags: Set<string>; positional: string[]; unknown: string[] } {
  const flags = new Set<string>();
  const positional: string[] = [];
  const unknown: string[] = [];
  for (const arg of args) {
    if (arg.startsWith("-"))
      (known.includes(arg) ? flags : { add: (a: string) => unknown.push(a) }).add(arg);
    else positional.push(arg);
  }
  return { flags, positional, unknown };
}
