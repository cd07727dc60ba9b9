/**
 * Where a database stands against a project's migrations, as `perstore
 * migrate status` and the server's /migrations.json (for perstore studio)
 * report it: every migration applied or pending, and drift: schemas changed
 * since the last migration (built but never `migrate create`d), applied
 * migrations whose files were edited or are missing, migrations out of line.
 * It reads only.
 */
import { join } from "node:path";
import { describeThrown } from "../../errors/describe-thrown.js";
import { SchemaErrors } from "../../errors/index.js";
import type { PerstoreConfig } from "../config.js";
import { readSnapshot, SNAPSHOT_FILE } from "./create-migration.js";
import { loadMigrations } from "./load-migrations.js";
import type { MigrationFile } from "./migration-file.js";
import {
  describeParallel,
  type MigrationStatus,
  type MigrationStatusEntry,
} from "./migration-runner.js";
import { projectSnapshot } from "./project-snapshot.js";
import { schemaChanges } from "./schema-changes.js";

/** A reason the migrations are not in a state to deploy. */
export interface StatusProblem {
  readonly kind: "edited" | "missing" | "out-of-order" | "parallel" | "schemas";
  readonly message: string;
}

/** The migrations' side of the status (the CLI adds which database it is). */
export interface MigrationReport {
  readonly migrations: readonly MigrationStatusEntry[];
  readonly pending: readonly string[];
  /** Steps from the last migration's snapshot to the schemas now (what `migrate create` would write). */
  readonly schemaChanges: readonly string[];
  readonly problems: readonly StatusProblem[];
  /** Nothing pending, no schema changes, no problems. */
  readonly upToDate: boolean;
}

/**
 * The report for `config`'s project; `status` reads the database's side for
 * the project's migration files (`migrationStatus(db, files)`, or
 * `migrationStatusOf(files, [])` for a database not created yet).
 */
export async function migrationReport(
  config: PerstoreConfig,
  status: (files: readonly MigrationFile[]) => Promise<MigrationStatus>,
): Promise<MigrationReport> {
  const dir = join(config.root, config.out, "migrations");
  const current = await status(await loadMigrations(dir));
  const schemas = await schemaDrift(config, dir);
  const problems: StatusProblem[] = [
    ...current.edited.map((id) => ({
      kind: "edited" as const,
      message: `${id} was edited after it was applied (checksum mismatch)`,
    })),
    ...current.missing.map((id) => ({
      kind: "missing" as const,
      message: `${id} is applied but has no file in ${config.out}/migrations (unknown to this project)`,
    })),
    ...current.outOfOrder.map((id) => ({
      kind: "out-of-order" as const,
      message: `${id} is pending but older than the newest applied migration`,
    })),
    ...current.parallel.map((p) => ({
      kind: "parallel" as const,
      message: `created on a parallel branch:\n${describeParallel(p)}`,
    })),
    ...(schemas.problem === undefined
      ? []
      : [{ kind: "schemas" as const, message: schemas.problem }]),
  ];
  return {
    migrations: current.entries,
    pending: current.pending,
    schemaChanges: schemas.changes,
    problems,
    upToDate: current.pending.length === 0 && schemas.changes.length === 0 && problems.length === 0,
  };
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
