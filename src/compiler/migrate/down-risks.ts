/**
 * Which down steps can lose data or fail on rows written since the up part
 * ran: the down part gets the same `--allow-destructive` guard as the up part
 * (reverting the first migration drops every table, with its rows).
 */
import type { FlaggedStep } from "./diff-snapshots.js";
import { classifyTypeChange, type MigrationStatement } from "./statements.js";

/**
 * The destructive steps of a down part, each with its reason. Unique indexes
 * and foreign keys on a table the same down part creates are not flagged:
 * that table is empty.
 */
export function downRisks(down: readonly MigrationStatement[]): FlaggedStep[] {
  const created = new Set(down.flatMap((s) => (s.kind === "createTable" ? [s.table.name] : [])));
  const risks: FlaggedStep[] = [];
  for (const statement of down) {
    const reason = riskOf(statement, created);
    if (reason !== undefined) risks.push({ statement, reason });
  }
  return risks;
}

function riskOf(s: MigrationStatement, created: ReadonlySet<string>): string | undefined {
  switch (s.kind) {
    case "dropTable":
      return `drops table "${s.table.name}" and all its rows`;
    case "dropColumn":
      return `drops column "${s.table}"."${s.column.name}" and its data`;
    case "alterColumnType": {
      const change = classifyTypeChange(s.from, s.to);
      const where = `"${s.table}"."${s.column}"`;
      if (change === "narrow")
        return `narrows ${where} from ${s.from} to ${s.to}: values may not fit`;
      if (change === "incompatible")
        return `changes ${where} from ${s.from} to ${s.to}: values are cast and may fail or change`;
      return undefined;
    }
    case "setNotNull":
      return s.fill === undefined
        ? `makes "${s.table}"."${s.column}" NOT NULL again: fails if any row has NULL`
        : undefined;
    case "alterCheck": {
      const to = s.to;
      const narrower =
        to !== undefined && (s.from === undefined || s.from.some((v) => !to.includes(v)));
      return narrower
        ? `restricts "${s.table}"."${s.column}" to (${to.map((v) => JSON.stringify(v)).join(", ")}) again: rows with other values make it fail`
        : undefined;
    }
    case "createIndex":
      return s.index.unique && !created.has(s.table)
        ? `adds unique index "${s.index.name}" on "${s.table}" again: fails on duplicate values`
        : undefined;
    case "addForeignKey":
      return created.has(s.table)
        ? undefined
        : `adds foreign key "${s.table}"."${s.foreignKey.column}" -> "${s.foreignKey.references.table}" again: fails if rows reference missing records`;
    case "alterPrimaryKey":
      return `changes the primary key of "${s.table}" back from "${s.from}" to "${s.to}": fails on duplicate or NULL values`;
    default:
      return undefined;
  }
}
