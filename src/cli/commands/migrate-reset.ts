/**
 * `perstore migrate reset [--force] [--skip-seed]`: empty the database's
 * schema, apply every migration, then run the seed module when the config
 * names one. Meant for development databases: one that is not local (neither
 * embedded nor a server on a loopback address or Unix socket) is refused
 * without --force, and everything that could refuse (a tangled history, a
 * broken seed module) is checked before anything is dropped.
 */
import { join } from "node:path";
import { PerstoreError } from "../../errors/index.js";
import type { PerstoreConfig } from "../../compiler/index.js";
import { dropSchemaObjects } from "../../compiler/migrate/drop-schema-objects.js";
import { parallelMigrations } from "../../compiler/migrate/lineage.js";
import { loadMigrations } from "../../compiler/migrate/load-migrations.js";
import {
  describeParallel,
  migrateUp,
  withMigrationLock,
} from "../../compiler/migrate/migration-runner.js";
import { openDatabase } from "../../store/sql/open-database.js";
import type { CliIO } from "../command.js";
import { describeTarget, withTarget, type DatabaseTarget } from "./migrate-database.js";
import { loadSeed, runSeed } from "./seed.js";

export interface ResetOptions {
  /** Reset a database that is not local. */
  readonly force: boolean;
  /** Do not run the seed module. */
  readonly skipSeed: boolean;
}

/** Runs `migrate reset`; resolves to the exit code (refusals throw PerstoreErrors). */
export async function migrateReset(
  io: CliIO,
  config: PerstoreConfig,
  target: DatabaseTarget,
  options: ResetOptions,
): Promise<number> {
  const where = describeTarget(target, config.root);
  if (!target.local && !options.force)
    throw new PerstoreError(
      "MIGRATION_RESET_REFUSED",
      `refusing to reset ${where}: it is not a local database (embedded, or a server on localhost, 127.0.0.1, ::1 or a Unix socket), ` +
        "and reset drops every table in it; pass --force to reset it anyway",
    );
  const migrations = await loadMigrations(join(config.root, config.out, "migrations"));
  const parallel = parallelMigrations(migrations);
  if (parallel.length > 0)
    throw new PerstoreError(
      "MIGRATION_PARALLEL",
      `migrations created on parallel branches; resolve them (see \`perstore migrate create\`) before resetting, nothing was dropped:\n${parallel.map(describeParallel).join("\n")}`,
      { details: { parallel } },
    );
  const seed = config.seed !== undefined && !options.skipSeed ? await loadSeed(config) : undefined;
  io.stdout.write(`database: ${where}\n`);
  await withTarget(
    target,
    config.root,
    openDatabase,
    async (db) => {
      const dropped = await withMigrationLock(db, (conn) => dropSchemaObjects(conn));
      io.stdout.write(
        `  dropped ${dropped} object${dropped === 1 ? "" : "s"} (tables, views, sequences, types, routines)\n`,
      );
      const applied = await migrateUp(db, migrations, {
        log: (line) => io.stdout.write(`  ${line}\n`),
      });
      io.stdout.write(`applied ${applied.length} migration${applied.length === 1 ? "" : "s"}\n`);
      if (seed !== undefined) await runSeed(io, seed, db);
    },
    io,
  );
  return 0;
}
