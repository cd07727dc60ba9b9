/**
 * What a new user does, in a temp folder with nothing but Node and npm: a new
 * `npm init -y` project installs the two packed packages (perstore-runtime,
 * perstore-kit), then `perstore init`, `perstore build`, runs the example
 * program with the command init printed, compiles the project with `tsc` to
 * its outDir and runs the output, and walks the migrations workflow
 * (`migrate create`, `up`, `status`, `reset`).
 *
 * The packages are staged and packed from dist/ by scripts/pack-packages.mjs
 * (CI builds dist/ before the tests; locally run `npm run build` first). One
 * `npm install` brings the tarballs and the project's dev tools
 * (TypeScript, tsx, @types/node at the repository's versions) from the npm
 * cache (`--prefer-offline`). The steps share the one project, in order.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const repoManifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
/** Generous: npm, tsc and PGlite's first start are slow on a loaded 2-core machine. */
const STEP_TIMEOUT = 300_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a user's shell: none of the npm_* variables `npm test`
 * sets for its own package, and no DATABASE_URL (the project's own embedded
 * database is the point), no colour codes in what the tests read.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === "INIT_CWD" || key === "DATABASE_URL") continue;
    env[key] = value;
  }
  env.NO_COLOR = "1";
  return env;
}

/** Runs `command args` in `cwd` (through a shell when `shell`), capturing its output. */
function run(
  cwd: string,
  command: string,
  args: readonly string[] = [],
  options: { shell?: boolean } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: userEnv(),
      shell: options.shell ?? false,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `what` failed: its exit code and output, for the assertion message. */
const shown = (what: string, r: Run) =>
  `${what} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe("a new user's project from the packed packages", () => {
  let packs = "";
  let project = "";
  let tarballs: { runtime: string; kit: string };
  let initOutput = "";
  const perstore = (...args: string[]) =>
    run(project, join(project, "node_modules/.bin/perstore"), args);
  const manifest = () => JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
  /** The last command init printed to run the example (`npm start`, or on a line of its own). */
  const exampleCommand = () => {
    const pattern = /`((?:npm|npx|node|pnpm|yarn) [^`]+)`|^\s*((?:npm|npx|node|pnpm|yarn) \S.*)$/gm;
    const commands = [...initOutput.matchAll(pattern)].map((m) => (m[1] ?? m[2]!).trim());
    expect(commands, `no command to run in:\n${initOutput}`).not.toEqual([]);
    return commands.at(-1)!;
  };
  /** `command`, followed by the package.json script it runs when it is `npm start` / `npm run <name>`. */
  const withScript = (command: string) => {
    const name = /^npm (?:start\b|(?:run|run-script) (\S+))/.exec(command);
    if (!name) return command;
    return `${command} ${manifest().scripts?.[name[1] ?? "start"] ?? ""}`;
  };

  beforeAll(async () => {
    packs = await mkdtemp(join(tmpdir(), "perstore-e2e-packs-"));
    project = await mkdtemp(join(tmpdir(), "perstore-e2e-project-"));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["scripts/pack-packages.mjs", "--out", packs, "--pack"],
      { cwd: REPO, env: userEnv() },
    );
    tarballs = JSON.parse(stdout.trim().split("\n").at(-1)!);
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await Promise.all(
      [packs, project].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })),
    );
  });

  it(
    "npm init -y, then one npm install of the tarballs and the dev tools",
    async () => {
      const init = await run(project, "npm", ["init", "-y"]);
      expect(init.code, shown("npm init -y", init)).toBe(0);
      const dev = ["typescript", "tsx", "@types/node"].map(
        (name) => `${name}@${repoManifest.devDependencies[name]}`,
      );
      const install = await run(project, "npm", [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        tarballs.runtime,
        tarballs.kit,
        ...dev,
      ]);
      expect(install.code, shown("npm install", install)).toBe(0);
      expect(Object.keys(manifest().dependencies)).toEqual(
        expect.arrayContaining(["perstore-runtime", "perstore-kit"]),
      );
      expect(existsSync(join(project, "node_modules/.bin/perstore"))).toBe(true);
      // The runtime brought no compiler: the kit's compiler dependencies are the kit's.
      const runtime = JSON.parse(
        readFileSync(join(project, "node_modules/perstore-runtime/package.json"), "utf8"),
      );
      expect(Object.keys(runtime.dependencies)).not.toContain("ts-morph");
    },
    STEP_TIMEOUT,
  );

  it(
    "perstore init writes the config and an example schema",
    async () => {
      let init = await perstore("init");
      if (init.code !== 0) {
        // `npm init -y` wrote "type": "commonjs": init may refuse it with a clear message naming
        // the flag that switches the package to ESM (issue 10), writing nothing. Do as it says.
        const flag = /`perstore init (--[\w-]+)`/.exec(init.stderr)?.[1];
        expect(flag, shown("perstore init", init)).toBeDefined();
        expect(existsSync(join(project, "perstore.config.json"))).toBe(false);
        init = await perstore("init", flag!);
      }
      expect(init.code, shown("perstore init", init)).toBe(0);
      initOutput = init.stdout;
      const config = JSON.parse(readFileSync(join(project, "perstore.config.json"), "utf8"));
      const schemas = readdirSync(join(project, config.schemas ?? "schemas"));
      expect(schemas.some((f) => f.endsWith(".schema.json"))).toBe(true);
    },
    STEP_TIMEOUT,
  );

  it("init left an ESM project with a tsconfig, and a config naming its JSON Schema", () => {
    expect(manifest().type).toBe("module");
    expect(existsSync(join(project, "tsconfig.json"))).toBe(true);
    const config = JSON.parse(readFileSync(join(project, "perstore.config.json"), "utf8"));
    expect(config.$schema).toEqual(expect.any(String));
    // A local $schema points into the installed perstore-kit (its templates/ are shipped).
    if (!/^https?:/.test(config.$schema))
      expect(existsSync(join(project, config.$schema)), config.$schema).toBe(true);
  });

  it(
    "perstore build writes generated/, which imports only perstore-runtime",
    async () => {
      const build = await perstore("build");
      expect(build.code, shown("perstore build", build)).toBe(0);
      const index = readFileSync(join(project, "generated/index.ts"), "utf8");
      expect(index).toContain('from "perstore-runtime"');
      const check = await perstore("build", "--check");
      expect(check.code, shown("perstore build --check", check)).toBe(0);
    },
    STEP_TIMEOUT,
  );

  it(
    "the example program runs with the one command init printed",
    async () => {
      const command = exampleCommand();
      const example = await run(project, command, [], { shell: true });
      expect(example.code, shown(command, example)).toBe(0);
      expect(example.stdout.trim()).not.toBe("");
    },
    STEP_TIMEOUT,
  );

  it(
    "tsc compiles the project to its outDir and the compiled program runs",
    async () => {
      const tsc = await run(project, join(project, "node_modules/.bin/tsc"), [
        "--listEmittedFiles",
      ]);
      expect(tsc.code, shown("tsc", tsc)).toBe(0);
      const emitted = [...tsc.stdout.matchAll(/^TSFILE: (.+)$/gm)].map((m) => m[1]!.trim());
      const outDir = JSON.parse(
        (await run(project, join(project, "node_modules/.bin/tsc"), ["--showConfig"])).stdout,
      ).compilerOptions.outDir as string;
      expect(outDir, "tsconfig.json sets outDir").toEqual(expect.any(String));
      // The compiled generated/ has its validators next to it: they are TypeScript
      // modules, so tsc carries each to outDir (it never copies a .js beside a .d.ts).
      const compiledIndex = emitted.find((f) => /generated[\\/]index\.js$/.test(f));
      expect(compiledIndex, `emitted:\n${emitted.join("\n")}`).toBeDefined();
      const compiledDir = join(compiledIndex!, "..");
      const validators = readdirSync(join(project, "generated")).filter((f) =>
        f.endsWith(".validator.ts"),
      );
      expect(validators.length, "generated/ holds a validator per model").toBeGreaterThan(0);
      for (const file of validators) {
        const compiledFile = file.replace(/\.ts$/, ".js");
        expect(existsSync(join(compiledDir, compiledFile)), compiledFile).toBe(true);
      }
      // The example program, compiled: the emitted .js named like the one init's command runs.
      const source = /([\w./-]+)\.[mc]?ts\b/.exec(withScript(exampleCommand()))?.[1];
      const programName = source === undefined ? undefined : `${basename(source)}.js`;
      const program = emitted.find(
        (f) =>
          f.endsWith(".js") && !/generated[\\/]/.test(f) && basename(f) === (programName ?? ""),
      );
      expect(program, `the compiled example among:\n${emitted.join("\n")}`).toBeDefined();
      const compiled = await run(project, process.execPath, [program!]);
      expect(compiled.code, shown(`node ${program}`, compiled)).toBe(0);
    },
    STEP_TIMEOUT,
  );

  it(
    "the packages' declarations type-check (skipLibCheck off) and resolve under nodenext and bundler",
    async () => {
      const file = join(project, "api-check.mts");
      writeFileSync(
        file,
        [
          'import { compile, defineModel } from "perstore-kit/compiler";',
          'import { MemoryStore, type Store } from "perstore-runtime";',
          'import { createHandler } from "perstore-runtime/server";',
          "const store: Store<{ id: string }> = new MemoryStore<{ id: string }>();",
          "export const used = [compile, defineModel, createHandler, store];",
          "",
        ].join("\n"),
      );
      try {
        // Every shipped declaration checked once (skipLibCheck off, the slow part); bundler
        // resolution checked for finding them.
        for (const [module, resolution, skipLibCheck] of [
          ["nodenext", "nodenext", "false"],
          ["esnext", "bundler", "true"],
        ] as const) {
          const tsc = await run(project, join(project, "node_modules/.bin/tsc"), [
            ...["--noEmit", "--strict", "--skipLibCheck", skipLibCheck, "--types", "node"],
            ...["--target", "es2022", "--module", module, "--moduleResolution", resolution],
            "api-check.mts",
          ]);
          expect(tsc.code, shown(`tsc --moduleResolution ${resolution}`, tsc)).toBe(0);
        }
      } finally {
        rmSync(file);
      }
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate create and up apply the first migration to the embedded database",
    async () => {
      const create = await perstore("migrate", "create", "init");
      expect(create.code, shown("migrate create init", create)).toBe(0);
      expect(create.stdout).toMatch(/wrote generated\/migrations\/\d{14}_[0-9a-f]{8}_init\.sql/);
      const up = await perstore("migrate", "up");
      expect(up.code, shown("migrate up", up)).toBe(0);
      expect(up.stdout).toMatch(/applied 1 migration\b/);
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate status: up to date, exit code 0 with --exit-code",
    async () => {
      const status = await perstore("migrate", "status", "--exit-code", "--json");
      expect(status.code, shown("migrate status", status)).toBe(0);
      const report = JSON.parse(status.stdout);
      expect(report).toMatchObject({ upToDate: true, pending: [], problems: [] });
      expect(report.database).toMatchObject({
        kind: expect.any(String),
        local: true,
        exists: true,
      });
      expect(report.migrations).toHaveLength(1);
    },
    STEP_TIMEOUT,
  );

  it(
    "migrate reset drops everything and applies every migration again",
    async () => {
      const reset = await perstore("migrate", "reset");
      expect(reset.code, shown("migrate reset", reset)).toBe(0);
      expect(reset.stdout).toMatch(/dropped \d+ objects?/);
      const status = await perstore("migrate", "status", "--exit-code", "--json");
      expect(status.code, shown("migrate status after reset", status)).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ upToDate: true, pending: [] });
    },
    STEP_TIMEOUT,
  );
});
