/**
 * `perstore init --install`: installs the packages init names with the
 * project's package manager (the one running perstore, else the one whose
 * lockfile is in the folder, else npm).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PerstoreError } from "../../errors/index.js";
import type { CliIO } from "../command.js";

export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

const LOCKFILES: readonly [string, PackageManager][] = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lockb", "bun"],
  ["bun.lock", "bun"],
  ["package-lock.json", "npm"],
];

export function detectPackageManager(cwd: string, env: NodeJS.ProcessEnv): PackageManager {
  // npm_config_user_agent: "pnpm/9.1.0 npm/? node/v20..." when run through a package manager.
  const agent = /^(npm|pnpm|yarn|bun)\//.exec(env["npm_config_user_agent"] ?? "")?.[1];
  if (agent !== undefined) return agent as PackageManager;
  return LOCKFILES.find(([file]) => existsSync(join(cwd, file)))?.[1] ?? "npm";
}

/** The commands (program and arguments) that install `packages`, runtime then dev. */
export function installCommands(
  manager: PackageManager,
  packages: { dependencies: readonly string[]; devDependencies: readonly string[] },
): string[][] {
  const add = manager === "npm" ? ["install"] : ["add"];
  const dev = manager === "bun" ? "-d" : "-D";
  const commands: string[][] = [];
  if (packages.dependencies.length > 0) commands.push([manager, ...add, ...packages.dependencies]);
  if (packages.devDependencies.length > 0)
    commands.push([manager, ...add, dev, ...packages.devDependencies]);
  return commands;
}

/** Runs each command in `cwd`, its output passed to `io`; CLI_INIT_INSTALL when one fails. */
export async function runInstall(io: CliIO, commands: readonly string[][]): Promise<void> {
  for (const [program, ...args] of commands) {
    io.stdout.write(`  running ${[program, ...args].join(" ")}\n`);
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(program!, args, {
        cwd: io.cwd,
        env: io.env ?? process.env,
        stdio: ["ignore", "pipe", "pipe"],
        // npm, pnpm and yarn are .cmd scripts on Windows.
        shell: process.platform === "win32",
      });
      child.stdout.on("data", (chunk) => io.stdout.write(chunk));
      child.stderr.on("data", (chunk) => io.stderr.write(chunk));
      child.once("error", (error) =>
        reject(
          new PerstoreError("CLI_INIT_INSTALL", `cannot run ${program}: ${error.message}`, {
            cause: error,
          }),
        ),
      );
      child.once("close", resolve);
    });
    if (code !== 0)
      throw new PerstoreError(
        "CLI_INIT_INSTALL",
        `\`${[program, ...args].join(" ")}\` failed (exit ${code}); the project files are written: install the packages yourself`,
      );
  }
}
