/**
 * `perstore seed`: runs the seed module perstore.config.json names
 * (`"seed": "seed.ts"`) against the project's database; `perstore migrate
 * reset` runs it too. The module's default export is called with the open
 * database and the project's models on it: the CLI holds the database (an
 * embedded PGlite folder admits one process), so the seed uses it rather than
 * opening its own.
 *
 * ```ts
 * // seed.ts
 * import type { SeedContext } from "perstore-kit/compiler";
 * import { createModels } from "./generated/index.js";
 *
 * export default async function seed({ db }: SeedContext) {
 *   const { Author } = createModels({ db });
 *   await Author.create({ name: "Frank Herbert" });
 * }
 * ```
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Kysely } from "kysely";
import { PerstoreError } from "../../errors/index.js";
import { CONFIG_FILE, loadConfig, type PerstoreConfig } from "../../compiler/index.js";
import type { SeedContext } from "../../compiler/migrate/seed-context.js";
import { openDatabase } from "../../store/sql/open-database.js";
import type { CliIO, CommandRun } from "../command.js";
import { describeThrown } from "../describe-thrown.js";
import {
  loadProjectModels,
  registerTypeScript,
  type ProjectModels,
} from "../load-project-models.js";
import { databaseTarget, describeTarget, withTarget } from "./migrate-database.js";

/** `perstore seed` (help in ../specs/seed.ts). */
export const runSeedCommand: CommandRun = async (_args, io) => {
  const config = await loadConfig(io.cwd);
  const seed = await loadSeed(config); // before opening the database: a missing seed changes nothing
  const target = databaseTarget(config);
  io.stdout.write(`database: ${describeTarget(target, config.root)}\n`);
  await withTarget(target, config.root, openDatabase, (db) => runSeed(io, seed, db), io);
  return 0;
};

/** A loaded seed module's function, and the file it came from (relative to the root). */
export interface LoadedSeed {
  readonly file: string;
  readonly run: (context: SeedContext) => unknown;
  /** The project's models, loaded first: a seed importing `./generated/index.js` needs them loadable (tsx registered). */
  readonly project: ProjectModels;
}

/** Imports the seed module the config names; CLI_NO_SEED when none is named, CLI_SEED_INVALID when it is missing or has no default function. */
export async function loadSeed(config: PerstoreConfig): Promise<LoadedSeed> {
  if (config.seed === undefined)
    throw new PerstoreError(
      "CLI_NO_SEED",
      `no seed module: add "seed": "seed.ts" to ${CONFIG_FILE} (a module whose default export seeds the database)`,
    );
  const path = resolve(config.root, config.seed);
  if (!existsSync(path))
    throw new PerstoreError(
      "CLI_SEED_INVALID",
      `the seed module ${config.seed} (${CONFIG_FILE} "seed") does not exist`,
    );
  const project = await loadProjectModels(config);
  if (/\.[cm]?tsx?$/.test(path)) await registerTypeScript(config.root);
  const loaded = (await import(pathToFileURL(path).href)) as { default?: unknown };
  if (typeof loaded.default !== "function")
    throw new PerstoreError(
      "CLI_SEED_INVALID",
      `${config.seed} must export a default function, e.g. \`export default async function seed({ db, models }) { ... }\``,
    );
  return { file: config.seed, run: loaded.default as LoadedSeed["run"], project };
}

/** Calls a loaded seed with `db` and the project's models on it. */
export async function runSeed(io: CliIO, seed: LoadedSeed, db: Kysely<any>): Promise<void> {
  io.stdout.write(`  seeding with ${seed.file}\n`);
  try {
    await seed.run({ db, models: seed.project.createModels({ db }) });
  } catch (error) {
    throw new PerstoreError("CLI_SEED_FAILED", `${seed.file} failed: ${describeThrown(error)}`, {
      cause: error,
    });
  }
  io.stdout.write(`seeded the database with ${seed.file}\n`);
}
