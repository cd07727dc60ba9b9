/**
 * `perstore serve` says which database it starts or connects to while it
 * waits (a progress line), and a database it cannot reach is named with
 * where its URL came from (DATABASE_URL or the config), password hidden.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startSpinner } from "../../src/cli/spinner.js";
import { runCli, tempFolder } from "./run-cli.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const saved = process.env["DATABASE_URL"];

afterEach(() => {
  if (saved === undefined) delete process.env["DATABASE_URL"];
  else process.env["DATABASE_URL"] = saved;
});

describe("perstore serve: the database", () => {
  it(
    "an unreachable DATABASE_URL is named with its source, password hidden, exit 1",
    { timeout: 120_000 },
    async () => {
      process.env["DATABASE_URL"] = "postgres://app:s3cret@127.0.0.1:1/app";
      const run = await runCli(REPO, ["serve", "--port", "0"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        "connecting to the database: postgres://app:***@127.0.0.1:1/app (from DATABASE_URL) ...\n",
      );
      expect(run.stderr).toContain(
        "perstore serve: cannot use the database postgres://app:***@127.0.0.1:1/app (from DATABASE_URL):",
      );
      expect(run.stderr).toContain("[CLI_DATABASE_UNREACHABLE]");
      expect(run.stderr + run.stdout).not.toContain("s3cret");
    },
  );

  it("one the config names says so", { timeout: 240_000 }, async () => {
    delete process.env["DATABASE_URL"];
    const dir = await tempFolder("perstore-serve-db-");
    expect((await runCli(dir, ["init"])).code).toBe(0);
    expect((await runCli(dir, ["build"])).code).toBe(0);
    await writeFile(
      join(dir, "perstore.config.json"),
      JSON.stringify({ database: "postgres://app:pa55@127.0.0.1:1/app?sslmode=disable" }),
    );
    const run = await runCli(dir, ["serve"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'cannot use the database postgres://app:***@127.0.0.1:1/app?sslmode=disable (from perstore.config.json "database")',
    );
    expect(run.stderr).not.toContain("pa55");
  });
});

describe("progress line", () => {
  it("animates on a TTY and clears itself; elsewhere one plain line, or nothing when asked", async () => {
    let tty = "";
    const terminal = Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          tty += String(chunk);
          done();
        },
      }),
      { isTTY: true },
    );
    const stop = startSpinner(terminal, "starting the database");
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop();
    expect(tty.startsWith("\r⠋ starting the database")).toBe(true);
    expect(tty.endsWith("\r\x1b[K")).toBe(true);

    let log = "";
    const file = new Writable({
      write(chunk, _enc, done) {
        log += String(chunk);
        done();
      },
    });
    startSpinner(file, "starting the database")();
    startSpinner(file, "compiling", { quietWithoutTty: true })();
    expect(log).toBe("starting the database ...\n");
  });
});
