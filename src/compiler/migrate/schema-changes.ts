/**
 * What changed in the schemas since the last migration: the steps a
 * `migrate create` would write now, one line each. `migrate status` reports
 * them, so a schema changed and built without a migration is not "0 pending"
 * while the app fails on a column the database does not have.
 */
import { diffSnapshots } from "./diff-snapshots.js";
import type { Snapshot } from "./snapshot.js";
import type { MigrationStatement } from "./statements.js";

/**
 * One line per step from the snapshot of the last migration to the schemas
 * now; empty when they agree.
 *
 * @example
 * schemaChanges(readSnapshot(dir), snapshotFromIR(ir)) // ['adds column "book"."pinned"']
 */
export function schemaChanges(lastMigration: Snapshot, now: Snapshot): string[] {
  const plan = diffSnapshots(lastMigration, now, { allowDestructive: true });
  return plan.statements.map(describeStatement);
}

/** One line for a migration step, naming its table and column. */
export function describeStatement(step: MigrationStatement): string {
  switch (step.kind) {
    case "createTable":
      return `adds table "${step.table.name}"`;
    case "dropTable":
      return `drops table "${step.table.name}"`;
    case "addColumn":
      return `adds column ${at(step.table, step.column.name)}`;
    case "dropColumn":
      return `drops column ${at(step.table, step.column.name)}`;
    case "renameColumn":
      return `renames column ${at(step.table, step.from)} to "${step.to}"`;
    case "alterColumnType":
      return `changes the type of ${at(step.table, step.column)} from ${step.from} to ${step.to}`;
    case "setNotNull":
      return `makes ${at(step.table, step.column)} required (not null)`;
    case "dropNotNull":
      return `makes ${at(step.table, step.column)} optional (nullable)`;
    case "alterDefault":
      return `changes the default of ${at(step.table, step.column)}`;
    case "alterCheck":
      return `changes the allowed values (enum) of ${at(step.table, step.column)}`;
    case "alterIdentity":
      return `${step.to ? "makes" : "stops making"} ${at(step.table, step.column)} an identity column`;
    case "alterPrimaryKey":
      return `changes the primary key of "${step.table}" from "${step.from}" to "${step.to}"`;
    case "addFullText":
      return `adds full-text search on "${step.table}" (${step.fullText.fields.join(", ")})`;
    case "dropFullText":
      return `drops full-text search on "${step.table}"`;
    case "createIndex":
      return `adds ${step.index.unique ? "unique " : ""}index "${step.index.name}" on "${step.table}"`;
    case "dropIndex":
      return `drops index "${step.index.name}" on "${step.table}"`;
    case "addForeignKey":
      return `adds foreign key ${at(step.table, step.foreignKey.column)} -> "${step.foreignKey.references.table}"`;
    case "dropForeignKey":
      return `drops foreign key ${at(step.table, step.foreignKey.column)} -> "${step.foreignKey.references.table}"`;
  }
}

function at(table: string, column: string): string {
  return `"${table}"."${column}"`;
}
