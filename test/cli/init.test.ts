/**
 * `perstore init` leaves a project that runs: ES modules, a tsconfig.json
 * when there is none, the packages it needs named (or installed with
 * --install), and an example program that runs after `perstore build`.
 */
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli, tempFolder } from "./run-cli.js";

afterEach(() => {
  vi.restoreAllMocks();
});

const readJson = async (path: string) =>
  JSON.parse(await readFile(path, "utf8")) as Record<string, any>;

describe("perstore init", () => {
  it(
    "in an empty folder: ESM package.json, tsconfig, starter files; build; the example program runs",
    { timeout: 120_000 },
    async () => {
      const dir = await tempFolder("perstore-init-");
      const init = await runCli(dir, ["init"]);
      expect(init.code).toBe(0);
      for (const file of [
        "perstore.config.json",
        "schemas/note.schema.json",
        "schemas/note.mixin.ts",
        "example.ts",
        "tsconfig.json",
      ])
        expect(init.stdout).toContain(`created ${file}`);
      expect(init.stdout).toContain('created package.json ("type": "module")');
      expect(init.stdout).toContain("npm install perstore-runtime@^");
      expect(init.stdout).toContain("npm install -D perstore-kit@^");
      expect(init.stdout).toMatch(/Run the example .*\n {2}npm run example\n$/);
      const manifest = await readJson(join(dir, "package.json"));
      expect(manifest).toMatchObject({
        type: "module",
        scripts: { example: "perstore build && tsx example.ts" },
      });
      expect(manifest["name"]).toMatch(/^perstore-init-/);
      const config = await readJson(join(dir, "perstore.config.json"));
      expect(config["$schema"]).toBe(
        "./node_modules/perstore-kit/templates/json-schemas/perstore.config.schema.json",
      );

      // What `npm run example` does: perstore build, then run example.ts.
      const build = await runCli(dir, ["build"]);
      expect(build.stderr).toBe("");
      expect(build.stdout).toContain("compiled 1 model:");
      const printed: string[] = [];
      vi.spyOn(console, "log").mockImplementation((line: string) => void printed.push(line));
      await import(pathToFileURL(join(dir, "example.ts")).href);
      expect(printed).toEqual(["Hello (2 tags)", "2 notes: Hello, Shopping"]);
    },
  );

  it('refuses "type": "commonjs" without --esm, writing nothing; --esm changes it and keeps the other fields', async () => {
    const dir = await tempFolder("perstore-init-cjs-");
    const original =
      '{\n    "name": "app",\n    "version": "1.0.0",\n    "type": "commonjs",\n    "scripts": { "example": "node mine.js" }\n}\n';
    await writeFile(join(dir, "package.json"), original);
    const refused = await runCli(dir, ["init"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('package.json has "type": "commonjs"');
    expect(refused.stderr).toContain("Run `perstore init --esm`");
    expect(refused.stderr).toContain("Nothing was written. [CLI_INIT_COMMONJS]");
    expect(await readFile(join(dir, "package.json"), "utf8")).toBe(original);
    await expect(readFile(join(dir, "perstore.config.json"))).rejects.toThrow();

    const esm = await runCli(dir, ["init", "--esm"]);
    expect(esm.code).toBe(0);
    expect(esm.stdout).toContain('set "type": "module" in package.json (was "commonjs")');
    expect(esm.stdout).toContain("added script build:models to package.json");
    const text = await readFile(join(dir, "package.json"), "utf8");
    expect(text).toContain('\n    "type": "module"'); // its own indentation
    expect(JSON.parse(text)).toEqual({
      name: "app",
      version: "1.0.0",
      type: "module",
      scripts: { example: "node mine.js", "build:models": "perstore build" },
    });
  });

  it("keeps existing files (and always an existing tsconfig.json); --force rewrites the starter files", async () => {
    const dir = await tempFolder("perstore-init-keep-");
    await writeFile(
      join(dir, "package.json"),
      '{ "name": "app", "type": "module", "devDependencies": { "tsx": "^4" } }',
    );
    await writeFile(join(dir, "tsconfig.json"), '{ "compilerOptions": { "strict": true } }\n');
    await mkdir(join(dir, "schemas"));
    await writeFile(join(dir, "example.ts"), "mine\n");
    const first = await runCli(dir, ["init"]);
    expect(first.stdout).toContain("kept example.ts (exists)");
    expect(first.stdout).toContain(
      'kept tsconfig.json (exists); the generated code needs "module": "NodeNext"',
    );
    expect(first.stdout).not.toContain("tsx@"); // already a dev dependency
    expect(await readFile(join(dir, "example.ts"), "utf8")).toBe("mine\n");
    const forced = await runCli(dir, ["init", "-f"]);
    expect(forced.stdout).toContain("created example.ts");
    expect(await readFile(join(dir, "example.ts"), "utf8")).toContain("createModels");
    expect(await readFile(join(dir, "tsconfig.json"), "utf8")).toBe(
      '{ "compilerOptions": { "strict": true } }\n',
    );
  });

  it("--install runs the project's package manager (found by its lockfile) with the packages it names", async () => {
    const dir = await tempFolder("perstore-init-install-");
    await writeFile(join(dir, "package.json"), '{ "name": "app", "type": "module" }');
    await writeFile(join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
    // A stand-in pnpm on PATH that records its arguments (the registry is not reachable from tests).
    const bin = join(dir, "bin");
    await mkdir(bin);
    await writeFile(
      join(bin, "pnpm"),
      `#!/bin/sh\necho "$@" >> "${join(dir, "pnpm-calls.txt")}"\necho "installed $#"\n`,
    );
    await chmod(join(bin, "pnpm"), 0o755);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env["PATH"]}` };
    delete env["npm_config_user_agent"];
    const run = await runCli(dir, ["init", "--install"], undefined, env);
    expect(run.code).toBe(0);
    const calls = (await readFile(join(dir, "pnpm-calls.txt"), "utf8")).trim().split("\n");
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(/^add perstore-runtime@\^\S+$/);
    expect(calls[1]).toMatch(
      /^add -D perstore-kit@\^\S+ @types\/node@\^20\.0\.0 tsx@\^4\.0\.0 typescript@\^5\.0\.0$/,
    );
    expect(run.stdout).toContain("running pnpm add perstore-runtime@");
    expect(run.stdout).toContain("pnpm run example");

    await writeFile(join(bin, "pnpm"), "#!/bin/sh\nexit 3\n");
    const failed = await runCli(dir, ["init", "--install"], undefined, env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /`pnpm add perstore-runtime@\S+` failed \(exit 3\).*\[CLI_INIT_INSTALL\]/,
    );
  });
});
