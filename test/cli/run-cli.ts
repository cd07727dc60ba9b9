/**
 * Helpers for CLI tests: run `main` in-process with captured output, and temp
 * project folders that are removed after the test file.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll } from "vitest";
import { main, type Command } from "../../src/cli/index.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `perstore <argv>` in-process in `cwd` (with `env` for colour); resolves to the exit code and what it printed. */
export async function runCli(
  cwd: string,
  argv: readonly string[],
  commands?: readonly Command<any>[],
  env?: NodeJS.ProcessEnv,
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(
    argv,
    {
      cwd,
      stdout: sink((s) => (stdout += s)),
      stderr: sink((s) => (stderr += s)),
      ...(env ? { env } : {}),
    },
    commands,
  );
  return { code, stdout, stderr };
}

const created: string[] = [];
// Registered when a test file imports this module (hooks cannot be added from inside a test).
afterAll(async () => {
  await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A new empty folder under the system temp folder, removed after the importing test file. */
export async function tempFolder(prefix = "perstore-cli-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
