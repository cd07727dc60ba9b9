/**
 * `perstore migrate status [--exit-code] [--json]`: which database, which
 * migrations it applied and which are pending, and drift: schemas changed
 * since the last migration (built but never `migrate create`d), applied
 * migrations whose files were edited or are missing, migrations out of line.
 * It reads only: an embedded database that does not exist yet is not created.
 */
import type { Kysely } from "kysely";
import type { PerstoreConfig } from "../../compiler/index.js";
import { SNAPSHOT_FILE } from "../../compiler/migrate/create-migration.js";
import { migrationStatus, migrationStatusOf } from "../../compiler/migrate/migration-runner.js";
import { migrationReport, type MigrationReport } from "../../compiler/migrate/status-report.js";
import type { CliIO } from "../command.js";
import { writeJson } from "../json-output.js";
import { type DatabaseTarget, describeTarget, withTarget } from "./migrate-database.js";

export type { StatusProblem } from "../../compiler/migrate/status-report.js";

/** What `migrate status --json` prints (with `ok`, true when it exits 0). */
export interface StatusReport extends MigrationReport {
  readonly database: {
    readonly url: string;
    readonly source: DatabaseTarget["source"];
    readonly kind: DatabaseTarget["kind"];
    readonly folder?: string;
    readonly local: boolean;
    readonly exists: boolean;
  };
}

export interface StatusOptions {
  /** Exit 1 when anything is pending or the schemas changed, not only on problems. */
  readonly exitCode: boolean;
  readonly json: boolean;
}

/** Runs `migrate status`; resolves to the exit code. `open` opens a URL (called only when the database exists). */
export async function migrateStatus(
  io: CliIO,
  config: PerstoreConfig,
  target: DatabaseTarget,
  open: (url: string) => Kysely<any>,
  options: StatusOptions,
): Promise<number> {
  const migrations = await migrationReport(config, (files) =>
    target.exists
      ? withTarget(target, config.root, open, (db) => migrationStatus(db, files), io)
      : Promise.resolve(migrationStatusOf(files, [])),
  );
  const report: StatusReport = { database: databaseOf(target), ...migrations };
  const code = migrations.problems.length > 0 || (options.exitCode && !report.upToDate) ? 1 : 0;
  // `ok` is what the exit code says, as in every command's --json output.
  if (options.json) writeJson(io, code === 0, { ...report });
  else printReport(io, config, target, report);
  return code;
}

/**
 * The report for a database already open (the one `perstore serve` and
 * `perstore studio` serve, at /migrations.json for privileged roles).
 */
export async function servedDatabaseStatus(
  config: PerstoreConfig,
  target: DatabaseTarget,
  db: Kysely<any>,
): Promise<StatusReport> {
  const migrations = await migrationReport(config, (files) => migrationStatus(db, files));
  // It is open, so it exists (a new embedded folder did not when the target was read).
  return { database: databaseOf({ ...target, exists: true }), ...migrations };
}

/** The database part of the report: which one, from where, password hidden. */
export function databaseOf(target: DatabaseTarget): StatusReport["database"] {
  return {
    url: target.shown,
    source: target.source,
    kind: target.kind,
    ...(target.folder === undefined ? {} : { folder: target.folder }),
    local: target.local,
    exists: target.exists,
  };
}

function printReport(
  io: CliIO,
  config: PerstoreConfig,
  target: DatabaseTarget,
  report: StatusReport,
): void {
  io.stdout.write(`database: ${describeTarget(target, config.root)}\n`);
  if (report.migrations.length === 0) io.stdout.write("no migrations\n");
  for (const entry of report.migrations) {
    io.stdout.write(
      `  ${entry.state.padEnd(8)} ${entry.id}_${entry.name}${entry.appliedAt === undefined ? "" : `  (applied ${entry.appliedAt})`}\n`,
    );
  }
  if (report.schemaChanges.length > 0) {
    io.stdout.write(
      report.migrations.length === 0
        ? "no migration holds the schemas yet; run `perstore migrate create <name>` for:\n"
        : `the schemas differ from the last migration's snapshot (${config.out}/migrations/${SNAPSHOT_FILE}); run \`perstore migrate create <name>\` for:\n`,
    );
    for (const change of report.schemaChanges) io.stdout.write(`  ${change}\n`);
  }
  for (const problem of report.problems) io.stderr.write(`problem: ${problem.message}\n`);
  const pending = report.pending.length;
  io.stdout.write(
    `${pending} pending${pending > 0 && !target.exists ? " (`perstore migrate up` creates the database)" : ""}\n`,
  );
}
