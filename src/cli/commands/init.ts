/**
 * `perstore init`: leaves a project that runs. The fixed text comes from
 * templates/init (see templates/README.md); this module decides what to
 * write where, and what to tell the user (options in ../specs/init-options.ts).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CONFIG_FILE } from "../../compiler/config.js";
import type { CommandRun } from "../command.js";
import { paintFor } from "../color.js";
import type { initOptions } from "../specs/init-options.js";
import { readTemplate } from "../templates.js";
import { detectPackageManager, installCommands, runInstall } from "./init-install.js";
import {
  checkModuleType,
  missingPackages,
  readProjectManifest,
  updateManifest,
  type WantedFields,
} from "./init-package-json.js";

/** The starter files, by their path in templates/init and in the project. */
const STARTER_FILES = [
  CONFIG_FILE,
  "schemas/note.schema.json",
  "schemas/note.mixin.ts",
  "example.ts",
] as const;

/** What perstore keeps for itself in the project (format cache, the embedded database): never committed. */
const PRIVATE_DIR = ".perstore/";

/** `perstore init [--force] [--esm] [--install]`. */
export const runInit: CommandRun<typeof initOptions> = async ({ values }, io) => {
  const manifest = await readProjectManifest(io.cwd);
  checkModuleType(manifest, values.esm === true); // before anything is written
  const wanted = JSON.parse(await readTemplate("init/package.json")) as WantedFields;
  const say = (line: string) => io.stdout.write(`  ${line}\n`);

  for (const file of STARTER_FILES)
    say(
      await writeStarter(io.cwd, file, await readTemplate(`init/${file}`), values.force === true),
    );
  // An existing tsconfig.json is the user's: init never overwrites it.
  const tsconfig = await writeStarter(
    io.cwd,
    "tsconfig.json",
    await readTemplate("init/tsconfig.json"),
    false,
  );
  say(
    tsconfig.startsWith("kept")
      ? `${tsconfig}; the generated code needs "module": "NodeNext" (or "ES2022" with "moduleResolution": "bundler")`
      : tsconfig,
  );
  for (const line of await updateManifest(io.cwd, manifest, wanted)) say(line);
  const ignored = await ignorePrivateDir(io.cwd);
  if (ignored) say(ignored);

  const missing = missingPackages(manifest, wanted);
  const manager = detectPackageManager(io.cwd, io.env ?? process.env);
  const commands = installCommands(manager, missing);
  const paint = paintFor(io.stdout, io.env);
  if (commands.length > 0 && values.install) await runInstall(io, commands);
  else if (commands.length > 0) {
    io.stdout.write(
      `\nThe project needs these packages; install them (or run \`perstore init --install\`):\n`,
    );
    for (const command of commands) io.stdout.write(`  ${paint.cyan(command.join(" "))}\n`);
  }
  const run = manager === "npm" ? "npm run example" : `${manager} run example`;
  io.stdout.write(
    `\nRun the example (builds the models, then runs example.ts):\n  ${paint.cyan(run)}\n`,
  );
  return 0;
};

/** Write one starter file unless it exists (or `force`); what was done, for the user. */
async function writeStarter(
  cwd: string,
  file: string,
  text: string,
  force: boolean,
): Promise<string> {
  const path = join(cwd, file);
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, text, { flag: force ? "w" : "wx" });
    return `created ${file}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return `kept ${file} (exists)`;
  }
}

/** Add `.perstore/` to `.gitignore` (created when missing) unless a line already ignores it; what was done, or undefined. */
async function ignorePrivateDir(cwd: string): Promise<string | undefined> {
  const file = join(cwd, ".gitignore");
  let text: string | undefined;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const ignored = (text ?? "")
    .split(/\r?\n/)
    .some((line) => /^\/?\.perstore\/?(\*\*?)?\s*$/.test(line.trim()));
  if (ignored) return undefined;
  const prefix = text === undefined || text === "" || text.endsWith("\n") ? "" : "\n";
  await writeFile(file, `${text ?? ""}${prefix}${PRIVATE_DIR}\n`);
  return text === undefined ? "created .gitignore" : `added ${PRIVATE_DIR} to .gitignore`;
}
