/**
 * The README's CLI section stays true: a row for every command and action
 * the CLI declares, naming every option (and its short form), the exit codes
 * the CLI uses, and every config key.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMANDS, EXIT, type Command } from "../../src/cli/index.js";
import { CONFIG_KEYS } from "../../src/compiler/config.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const section = readme.slice(
  readme.indexOf("\n## CLI\n"),
  readme.indexOf("\n## ", readme.indexOf("\n## CLI\n") + 1),
);

/** Every runnable command with the words that name it (`migrate create`). */
function runnable(
  commands: readonly Command<any>[],
  path: string[] = [],
): [string, Command<any>][] {
  return commands.flatMap((c) =>
    c.subcommands ? runnable(c.subcommands, [...path, c.name]) : [[[...path, c.name].join(" "), c]],
  );
}

describe("README CLI section", () => {
  it("has a row per command naming each of its options", () => {
    const rows = section.split("\n").filter((line) => line.startsWith("| `perstore "));
    const commands = runnable(COMMANDS);
    expect(rows).toHaveLength(commands.length);
    for (const [path, command] of commands) {
      const row = rows.find((r) => new RegExp(`^\\| \`perstore ${path}( [<[][^\`]*)?\``).test(r));
      expect(row, `row for perstore ${path}`).toBeDefined();
      for (const [name, option] of Object.entries(
        command.options as Record<string, { short?: string }>,
      )) {
        expect(row, `--${name} of perstore ${path}`).toContain(`--${name}`);
        if (option.short) expect(row).toContain(`-${option.short}, --${name}`);
      }
    }
  });

  it("lists the exit codes and the config keys", () => {
    for (const code of Object.values(EXIT)) expect(section).toContain(`| \`${code}\`       |`);
    for (const key of CONFIG_KEYS) expect(section).toContain(`"${key}"`);
    expect(section).toContain("--version");
    expect(section).toContain("NO_COLOR");
  });
});
