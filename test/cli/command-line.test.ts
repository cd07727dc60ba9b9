/**
 * The command line: parseArgs-based parsing (short flags, --flag=value,
 * grouped shorts), "did you mean" for commands, actions and options, usage
 * errors as one line plus the usage line with exit 2, --version, and help
 * generated from the declarations.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { COMMANDS, defineCommand, type Command } from "../../src/cli/index.js";
import { parseCommandArgs } from "../../src/cli/parse-command-line.js";
import { closestMatch, didYouMean, editDistance } from "../../src/errors/did-you-mean.js";
import { runCli } from "./run-cli.js";

const version = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

/** A command that prints what it was given, for the parser's tests. */
const echo = defineCommand({
  name: "echo",
  summary: "prints its arguments",
  description: "",
  positionals: [{ name: "first" }, { name: "second", optional: true }],
  options: {
    port: { type: "string", short: "p", value: "N", description: "a port" },
    watch: { type: "boolean", short: "w", description: "watch" },
    check: { type: "boolean", short: "c", description: "check" },
  },
  load: async () => async (args, io) => {
    io.stdout.write(JSON.stringify(args));
    return 0;
  },
});
const withActions: Command = defineCommand({
  name: "db",
  summary: "has actions",
  description: "",
  options: {},
  subcommands: [echo, { ...echo, name: "other" }],
});
const table = [echo, withActions];

describe("did you mean", () => {
  it("counts a swap of neighbours as one edit and suggests only near names", () => {
    expect(editDistance("scheams", "schemas")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closestMatch("biuld", ["init", "build", "migrate"])).toBe("build");
    expect(closestMatch("allow", ["allow-destructive", "empty"])).toBe("allow-destructive");
    expect(closestMatch("zzz", ["init", "build"])).toBeUndefined();
    expect(didYouMean("schema", ["schemas", "out"])).toBe('; did you mean "schemas"?');
    expect(didYouMean("xyzzy", ["schemas", "out"])).toBe("");
  });
});

describe("parsing a command's arguments", () => {
  it("takes --flag=value, -p value, -p3000, grouped short flags and --", () => {
    expect(parseCommandArgs(echo, ["a", "--port=3000", "-wc"])).toEqual({
      values: { port: "3000", watch: true, check: true },
      positionals: ["a"],
      help: false,
    });
    expect(parseCommandArgs(echo, ["-p", "80", "a", "b"]).values).toEqual({ port: "80" });
    expect(parseCommandArgs(echo, ["-p3000", "a"]).values).toEqual({ port: "3000" });
    expect(parseCommandArgs(echo, ["--", "-x"]).positionals).toEqual(["-x"]);
  });

  it("refuses what it cannot mean, in one line each", () => {
    const refusal = (argv: string[]) => {
      try {
        parseCommandArgs(echo, argv);
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };
    expect(refusal(["a", "--wach"])).toBe("unknown option --wach; did you mean --watch?");
    expect(refusal(["a", "-x"])).toBe(
      "unknown option -x (short options: -p (--port), -w (--watch), -c (--check), -h (--help))",
    );
    expect(refusal(["a", "--port"])).toBe("--port needs a value: --port N");
    expect(refusal(["a", "--port", "--watch"])).toBe("--port needs a value: --port N");
    expect(refusal(["a", "--watch=yes"])).toBe('--watch takes no value (got "yes")');
    expect(refusal(["a", "-p", "1", "-p", "2"])).toBe("--port was given more than once");
    expect(refusal([])).toBe("missing <first>");
    expect(refusal(["a", "b", "c"])).toBe('too many arguments (got "c" after <first> <second>)');
    // --help wins over everything else on the line.
    expect(parseCommandArgs(echo, ["--bogus", "-h"]).help).toBe(true);
  });
});

describe("perstore (main)", () => {
  it("runs a command with its parsed arguments", async () => {
    const run = await runCli(tmpdir(), ["echo", "a", "-wp", "9"], table);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      values: { watch: true, port: "9" },
      positionals: ["a"],
    });
    const action = await runCli(tmpdir(), ["db", "other", "x"], table);
    expect(JSON.parse(action.stdout)).toEqual({ values: {}, positionals: ["x"] });
  });

  it("usage errors print one line and the usage line, on stderr, and exit 2", async () => {
    expect(await runCli(tmpdir(), ["ehco"], table)).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'perstore: unknown command "ehco"; did you mean `perstore echo`?\nUsage: perstore <command> [options]   (--help for more)\n',
    });
    expect(await runCli(tmpdir(), ["echo", "a", "--wacth"], table)).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "perstore echo: unknown option --wacth; did you mean --watch?\nUsage: perstore echo <first> [second] [options]   (--help for more)\n",
    });
    const noAction = await runCli(tmpdir(), ["db"], table);
    expect(noAction.code).toBe(2);
    expect(noAction.stderr).toContain("perstore db: needs an action: echo, other\n");
    const sibling = await runCli(tmpdir(), ["migrate", "status", "--force"]);
    expect(sibling.code).toBe(2);
    expect(sibling.stderr.split("\n")[0]).toBe(
      "perstore migrate status: unknown option --force: it is an option of `perstore migrate reset`",
    );
    const badAction = await runCli(tmpdir(), ["db", "ohter"], table);
    expect(badAction.stderr).toContain('unknown action "ohter"; did you mean `perstore db other`?');
    expect((await runCli(tmpdir(), ["--verison"], table)).stderr).toContain(
      "unknown option --verison; did you mean --version?",
    );
    expect((await runCli(tmpdir(), [], table)).code).toBe(2);
  });

  it("--version and -v print the package version", async () => {
    for (const flag of ["--version", "-v"])
      expect(await runCli(tmpdir(), [flag])).toEqual({
        code: 0,
        stdout: `${version}\n`,
        stderr: "",
      });
  });

  it("help lists every command, option and the exit codes, from the declarations", async () => {
    const overview = await runCli(tmpdir(), ["--help"]);
    expect(overview.code).toBe(0);
    for (const command of COMMANDS) expect(overview.stdout).toContain(`  ${command.name}`);
    expect(overview.stdout).toContain("Exit codes: 0 done; 1 failed");
    const build = await runCli(tmpdir(), ["build", "--help"]);
    expect(build.stdout).toContain("Usage: perstore build [options]");
    expect(build.stdout).toContain("-w, --watch");
    expect(build.stdout).toContain("    --json");
    expect((await runCli(tmpdir(), ["help", "build"])).stdout).toBe(build.stdout);
    const migrate = await runCli(tmpdir(), ["migrate", "--help"]);
    expect(migrate.stdout).toContain("Actions:\n  create <name>");
    const create = await runCli(tmpdir(), ["migrate", "create", "-h"]);
    expect(create.stdout).toContain("Usage: perstore migrate create <name> [options]");
    expect(create.stdout).toContain("--allow-destructive");
  });
});
