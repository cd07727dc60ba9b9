/** `perstore migrate create | up | down | status | reset` (options in ../specs/migrate-options.ts, help in ../specs/migrate.ts). */
import { join } from "node:path";
import { PerstoreError } from "../../errors/index.js";
import { createBuildSession, loadConfig, type PerstoreConfig } from "../../compiler/index.js";
import { createEmptyMigration, createMigration } from "../../compiler/migrate/create-migration.js";
import { loadMigrations } from "../../compiler/migrate/load-migrations.js";
import { migrateDown, migrateUp } from "../../compiler/migrate/migration-runner.js";
import { openDatabase } from "../../store/sql/open-database.js";
import type { CliIO, CommandRun } from "../command.js";
import type {
  createOptions,
  downOptions,
  resetOptions,
  statusOptions,
  upOptions,
} from "../specs/migrate-options.js";
import { UsageError } from "../usage-error.js";
import { databaseTarget, describeTarget, withTarget } from "./migrate-database.js";
import { migrateReset } from "./migrate-reset.js";
import { migrateStatus } from "./migrate-status.js";

/** `perstore migrate create <name> [--allow-destructive | --empty]`. */
export const runCreate: CommandRun<typeof createOptions> = ({ values, positionals }, io) => {
  if (values.empty && values["allow-destructive"])
    throw new UsageError("--empty and --allow-destructive do not go together");
  return values.empty
    ? createEmpty(io, positionals[0]!)
    : create(io, positionals[0]!, values["allow-destructive"] === true);
};

/** `perstore migrate up`. */
export const runUp: CommandRun<typeof upOptions> = (_args, io) => up(io);

/** `perstore migrate status [--exit-code] [--json]`. */
export const runStatus: CommandRun<typeof statusOptions> = async ({ values }, io) => {
  const config = await loadConfig(io.cwd);
  return migrateStatus(io, config, databaseTarget(config), openDatabase, {
    exitCode: values["exit-code"] === true,
    json: values.json === true,
  });
};

/** `perstore migrate reset [--force] [--skip-seed]`. */
export const runReset: CommandRun<typeof resetOptions> = async ({ values }, io) => {
  const config = await loadConfig(io.cwd);
  return migrateReset(io, config, databaseTarget(config), {
    force: values.force === true,
    skipSeed: values["skip-seed"] === true,
  });
};

/** `perstore migrate down [count] [--allow-destructive]`. */
export const runDown: CommandRun<typeof downOptions> = ({ values, positionals }, io) => {
  const written = positionals[0];
  const count = written === undefined ? 1 : Number(written);
  if (!Number.isInteger(count) || count < 1)
    throw new UsageError(`[count] must be a whole number >= 1, got "${written}"`);
  return down(io, count, values["allow-destructive"] === true);
};

function migrationsDir(config: PerstoreConfig): string {
  return join(config.root, config.out, "migrations");
}

async function create(io: CliIO, name: string, allowDestructive: boolean): Promise<number> {
  const session = createBuildSession({ root: io.cwd });
  try {
    const { config, ir } = await session.build({ noWrite: true });
    const created = await createMigration({
      dir: migrationsDir(config),
      displayDir: `${config.out}/migrations`,
      name,
      ir,
      allowDestructive,
    });
    if (created !== undefined) {
      for (const step of created.plan.destructive)
        io.stdout.write(`  destructive (allowed): ${step.reason}\n`);
      for (const step of created.plan.irreversible)
        io.stdout.write(`  irreversible: ${step.reason}\n`);
      for (const step of created.destructiveDown)
        io.stdout.write(
          `  destructive down (needs --allow-destructive to revert): ${step.reason}\n`,
        );
      io.stdout.write(
        `  wrote ${config.out}/migrations/${created.fileName} (${created.plan.statements.length} step${created.plan.statements.length === 1 ? "" : "s"})\n`,
      );
      io.stdout.write(`  wrote ${config.out}/migrations/snapshot.json\n`);
    }
    // Rebuild generated/ from the same schemas, so the code matches the migration (and `build --check` passes).
    const built = await session.build();
    const changed = built.written.length + built.removed.length;
    if (created === undefined)
      io.stdout.write(
        `no schema changes since the last migration; ${changed === 0 ? "nothing written" : "no migration written"}\n`,
      );
    if (changed > 0)
      io.stdout.write(
        `rebuilt ${config.out}/: ${built.written.length} file${built.written.length === 1 ? "" : "s"} written${built.removed.length > 0 ? `, ${built.removed.length} removed` : ""}\n`,
      );
    return 0;
  } finally {
    await session.close();
  }
}

async function createEmpty(io: CliIO, name: string): Promise<number> {
  const config = await loadConfig(io.cwd);
  const created = await createEmptyMigration({
    dir: migrationsDir(config),
    displayDir: `${config.out}/migrations`,
    name,
  });
  io.stdout.write(
    `  wrote ${config.out}/migrations/${created.fileName}: write its up and down SQL, then \`perstore migrate up\`\n`,
  );
  io.stdout.write(`  wrote ${config.out}/migrations/snapshot.json\n`);
  return 0;
}

async function up(io: CliIO): Promise<number> {
  const config = await loadConfig(io.cwd);
  const migrations = await loadMigrations(migrationsDir(config));
  const target = databaseTarget(config);
  io.stdout.write(`database: ${describeTarget(target, config.root)}\n`);
  const applied = await withTarget(
    target,
    config.root,
    openDatabase,
    (db) => migrateUp(db, migrations, { log: (line) => io.stdout.write(`  ${line}\n`) }),
    io,
  );
  io.stdout.write(
    applied.length === 0
      ? "the database is up to date\n"
      : `applied ${applied.length} migration${applied.length === 1 ? "" : "s"}\n`,
  );
  return 0;
}

async function down(io: CliIO, count: number, allowDestructive: boolean): Promise<number> {
  const config = await loadConfig(io.cwd);
  const migrations = await loadMigrations(migrationsDir(config));
  const target = databaseTarget(config);
  if (!target.exists)
    // Opening it would create an empty database only to refuse.
    throw new PerstoreError(
      "MIGRATION_DOWN_TOO_MANY",
      `cannot revert ${count} migration${count === 1 ? "" : "s"}: the database (${describeTarget(target, config.root)}) does not exist, so none is applied; nothing was reverted`,
      { details: { requested: count, applied: 0 } },
    );
  io.stdout.write(`database: ${describeTarget(target, config.root)}\n`);
  const reverted = await withTarget(
    target,
    config.root,
    openDatabase,
    (db) =>
      migrateDown(db, migrations, {
        count,
        allowDestructive,
        log: (line) => io.stdout.write(`  ${line}\n`),
      }),
    io,
  );
  // Never 0: asking for more than are applied is MIGRATION_DOWN_TOO_MANY.
  io.stdout.write(`reverted ${reverted.length} migration${reverted.length === 1 ? "" : "s"}\n`);
  return 0;
}
