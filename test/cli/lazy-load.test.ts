/**
 * `perstore --help` and `--version` load only the CLI's own small modules:
 * no compiler, formatter or database driver (ts-morph, prettier, PGlite, pg,
 * kysely, ajv ...). Checked by what the process imports, through a module
 * resolution hook that records every resolved URL, not by timing. A command
 * that runs loads its code (the same hook sees the compiler for `build`).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { tempFolder } from "./run-cli.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const TSX = pathToFileURL(join(REPO, "node_modules/tsx/dist/loader.mjs")).href;
const RECORDER = pathToFileURL(join(REPO, "test/cli/fixtures/record-imports.mjs")).href;

/** Runs the CLI from source in its own process; what it printed and every module URL it imported. */
async function imports(argv: readonly string[]) {
  const record = join(await tempFolder("perstore-imports-"), "imports.txt");
  const run = spawnSync(
    process.execPath,
    ["--import", TSX, "--import", RECORDER, join(REPO, "src/cli/index.ts"), ...argv],
    {
      cwd: REPO,
      env: { ...process.env, RECORD_IMPORTS: record, NO_COLOR: "1" },
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  let urls: string[] = [];
  try {
    urls = readFileSync(record, "utf8").split("\n").filter(Boolean);
  } catch {
    // Nothing imported at all.
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, urls };
}

const packagesIn = (urls: readonly string[]) =>
  [
    ...new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? [])),
  ].sort();

describe("what the CLI loads", () => {
  for (const argv of [
    ["--help"],
    ["--version"],
    ["build", "--help"],
    ["migrate", "status", "-h"],
  ]) {
    it(
      `perstore ${argv.join(" ")} imports no package and no compiler, store or server module`,
      { timeout: 120_000 },
      async () => {
        const run = await imports(argv);
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
        // The recorder saw the CLI itself, so an empty list cannot pass by accident.
        expect(run.urls.some((u) => u.endsWith("/src/cli/index.ts"))).toBe(true);
        expect(packagesIn(run.urls)).toEqual([]);
        const ours = run.urls
          .filter((u) => u.includes("/src/"))
          .map((u) => u.slice(u.indexOf("/src/") + 1));
        expect(ours.filter((f) => !/^src\/(cli|errors)\//.test(f))).toEqual([]);
        expect(ours.filter((f) => f.startsWith("src/cli/commands/"))).toEqual([]);
      },
    );
  }

  it(
    "a command that runs loads its code (the recorder sees the compiler for build)",
    { timeout: 240_000 },
    async () => {
      const project = await tempFolder("perstore-imports-project-");
      const run = spawnSync(
        process.execPath,
        ["--import", TSX, "--import", RECORDER, join(REPO, "src/cli/index.ts"), "build"],
        {
          cwd: project,
          env: { ...process.env, RECORD_IMPORTS: join(project, "imports.txt"), NO_COLOR: "1" },
          encoding: "utf8",
          timeout: 240_000,
        },
      );
      expect(run.status).toBe(1); // no schemas folder
      const urls = readFileSync(join(project, "imports.txt"), "utf8");
      expect(urls).toContain("/src/cli/commands/build.ts");
      expect(urls).toContain("/src/compiler/index.ts");
    },
  );
});
