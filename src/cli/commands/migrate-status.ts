/**
 * `perstore migrate status [--exit-code] [--json]`: which database, which
 * migrations it applied and which are pending, and drift: schemas changed
 * since the last migration (built but never `migrate create`d), applied
 * migrations whose files were edited or are missing, migrations out of line.
 * It reads only: an embedded database that does not exist yet is not created.
 */
import { join } from "node:path";
import type { Kysely } from "kysely";
import { SchemaErrors } from "../../errors/index.js";
import type { PerstoreConfig } from "../../compiler/index.js";
import { readSnapshot, SNAPSHOT_FILE } from "../../compiler/migrate/create-migration.js";
import { loadMigrations } from "../../compiler/migrate/load-migrations.js";
import {
  describeParallel,
  migrationStatus,
  migrationStatusOf,
  type MigrationStatusEntry,
} from "../../compiler/migrate/migration-runner.js";
import { projectSnapshot } from "../../compiler/migrate/project-snapshot.js";
import { schemaChanges } from "../../compiler/migrate/schema-changes.js";
import type { CliIO } from "../command.js";
import { describeThrown } from "../describe-thrown.js";
import { writeJson } from "../json-output.js";
import { type DatabaseTarget, describeTarget, withTarget } from "./migrate-database.js";

/** A reason the migrations are not in a state to deploy. */
export interface StatusProblem {
  readonly kind: "edited" | "missing" | "out-of-order" | "parallel" | "schemas";
  readonly message: string;
}

/** What `migrate status --json` prints (with `ok`, true when it exits 0). */
export interface StatusReport {
  readonly database: {
    readonly url: string;
    readonly source: DatabaseTarget["source"];
    readonly kind: DatabaseTarget["kind"];
    readonly folder?: string;
    readonly local: boolean;
    readonly exists: boolean;
  };
  readonly migrations: readonly MigrationStatusEntry[];
  readonly pending: readonly string[];
  /** Steps from the last migration's snapshot to the schemas now (what `migrate create` would write). */
  readonly schemaChanges: readonly string[];
  readonly problems: readonly StatusProblem[];
  /** Nothing pending, no schema changes, no problems. */
  readonly upToDate: boolean;
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
  const dir = join(config.root, config.out, "migrations");
  const files = await loadMigrations(dir);
  const status = target.exists
    ? await withTarget(target, config.root, open, (db) => migrationStatus(db, files), io)
    : migrationStatusOf(files, []);
  const schemas = await schemaDrift(config, dir);
  const problems: StatusProblem[] = [
    ...status.edited.map((id) => ({
      kind: "edited" as const,
      message: `${id} was edited after it was applied (checksum mismatch)`,
    })),
    ...status.missing.map((id) => ({
      kind: "missing" as const,
      message: `${id} is applied but has no file in ${config.out}/migrations (unknown to this project)`,
    })),
    ...status.outOfOrder.map((id) => ({
      kind: "out-of-order" as const,
      message: `${id} is pending but older than the newest applied migration`,
    })),
    ...status.parallel.map((p) => ({
      kind: "parallel" as const,
      message: `created on a parallel branch:\n${describeParallel(p)}`,
    })),
    ...(schemas.problem === undefined
      ? []
      : [{ kind: "schemas" as const, message: schemas.problem }]),
  ];
  const report: StatusReport = {
    database: {
      url: target.shown,
      source: target.source,
      kind: target.kind,
      ...(target.folder === undefined ? {} : { folder: target.folder }),
      local: target.local,
      exists: target.exists,
    },
    migrations: status.entries,
    pending: status.pending,
    schemaChanges: schemas.changes,
    problems,
    upToDate: status.pending.length === 0 && schemas.changes.length === 0 && problems.length === 0,
  };
  const code = problems.length > 0 || (options.exitCode && !report.upToDate) ? 1 : 0;
  // `ok` is what the exit code says, as in every command's --json output.
  if (options.json) writeJson(io, code === 0, { ...report });
  else printReport(io, config, target, report);
  return code;
}

/** The schema changes not yet in a migration, or why they cannot be known. */
async function schemaDrift(
  config: PerstoreConfig,
  dir: string,
): Promise<{ changes: string[]; problem?: string }> {
  let last;
  try {
    last = await readSnapshot(dir);
  } catch (error) {
    return {
      changes: [],
      problem: `cannot read ${config.out}/migrations/${SNAPSHOT_FILE}: ${describeThrown(error)}`,
    };
  }
  try {
    return { changes: schemaChanges(last, await projectSnapshot(config)) };
  } catch (error) {
    const why =
      error instanceof SchemaErrors
        ? `the schemas do not compile (${error.errors.length} error${error.errors.length === 1 ? "" : "s"}; run \`perstore build\`)`
        : `the schemas cannot be read (${describeThrown(error)})`;
    return { changes: [], problem: `${why}, so changes since the last migration are unknown` };
  }
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
