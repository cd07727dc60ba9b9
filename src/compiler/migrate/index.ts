/** Migrations: snapshot -> pure differ -> statements -> SQL; files; the runner. */
export {
  createEmptyMigration,
  createMigration,
  readSnapshot,
  SNAPSHOT_FILE,
  type CreateEmptyMigrationOptions,
  type CreateMigrationOptions,
  type CreatedMigration,
} from "./create-migration.js";
export { dropSchemaObjects } from "./drop-schema-objects.js";
export { projectSnapshot } from "./project-snapshot.js";
export { describeStatement, schemaChanges } from "./schema-changes.js";
export type { SeedContext } from "./seed-context.js";
export {
  diffSnapshots,
  type DiffOptions,
  type FlaggedStep,
  type MigrationPlan,
} from "./diff-snapshots.js";
export { loadMigrations } from "./load-migrations.js";
export { parallelMigrations, type ParallelMigration } from "./lineage.js";
export {
  isMigrationName,
  migrationId,
  parseMigration,
  renderMigration,
  type MigrationContent,
  type MigrationFile,
} from "./migration-file.js";
export {
  MIGRATIONS_TABLE,
  migrateDown,
  migrateUp,
  migrationStatus,
  migrationStatusOf,
  withMigrationLock,
  type AppliedMigration,
  type MigrateDownOptions,
  type MigrateOptions,
  type MigrationState,
  type MigrationStatus,
  type MigrationStatusEntry,
} from "./migration-runner.js";
export {
  emptySnapshot,
  parseSnapshot,
  serializeSnapshot,
  snapshotFromIR,
  SNAPSHOT_VERSION,
  type Snapshot,
} from "./snapshot.js";
export { runMigrationScript, runSqlScript, type ScriptLocation } from "./run-sql-script.js";
export { downRisks } from "./down-risks.js";
export { statementSql } from "./statement-sql.js";
export {
  classifyTypeChange,
  reverseStatement,
  type MigrationStatement,
  type TypeChange,
} from "./statements.js";
