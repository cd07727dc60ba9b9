import { PerstoreError } from "../../errors/index.js";
import type { DdlColumn, DdlDefault, DdlTable } from "../emit/ddl/ddl-model.js";
import type { Snapshot } from "./snapshot.js";
import {
  classifyTypeChange,
  reverseStatement,
  type EnumValues,
  type MigrationStatement,
} from "./statements.js";

/** A step that can lose data or fail on existing rows, with why. */
export interface FlaggedStep {
  readonly statement: MigrationStatement;
  readonly reason: string;
}

export interface MigrationPlan {
  /** The up steps, in the order they run. */
  readonly statements: readonly MigrationStatement[];
  /** The down steps (reverses, last step first); empty when `irreversible` is not. */
  readonly down: readonly MigrationStatement[];
  readonly destructive: readonly FlaggedStep[];
  /** Steps with no reverse: the migration cannot be rolled back. */
  readonly irreversible: readonly FlaggedStep[];
}

export interface DiffOptions {
  /** Accept destructive steps instead of refusing them (MIGRATION_DESTRUCTIVE). */
  readonly allowDestructive?: boolean;
}

/**
 * The steps from one schema snapshot to the next. Pure: no database, no
 * prompts. Columns are renamed only when the new snapshot says so
 * (`renamedFrom`); anything else missing is dropped. Destructive steps
 * (dropping a table or column, narrowing a type or a CHECK, adding NOT NULL
 * without a default, new unique indexes and foreign keys over existing data,
 * a new primary key) throw MIGRATION_DESTRUCTIVE, naming each with its
 * reason, unless `allowDestructive` is set.
 *
 * Order: drop foreign keys, drop indexes (and full-text columns whose
 * definition or fields change), create tables, alter tables (rename, add,
 * alter, drop columns), drop tables, create indexes (and full-text columns),
 * add foreign keys.
 */
export function diffSnapshots(
  prev: Snapshot,
  next: Snapshot,
  options: DiffOptions = {},
): MigrationPlan {
  const plan = new PlanBuilder(prev);
  const prevTables = new Map(prev.tables.map((t) => [t.name, t]));
  const nextTables = new Map(next.tables.map((t) => [t.name, t]));

  for (const table of next.tables) {
    if (prevTables.has(table.name)) continue;
    plan.creates.push({ kind: "createTable", table });
    for (const foreignKey of table.foreignKeys)
      plan.addKeys.push({ kind: "addForeignKey", table: table.name, foreignKey });
  }
  for (const table of prev.tables) {
    if (nextTables.has(table.name)) continue;
    for (const foreignKey of table.foreignKeys)
      plan.dropKeys.push({ kind: "dropForeignKey", table: table.name, foreignKey });
    plan.flag(
      plan.drops,
      { kind: "dropTable", table },
      `drops table "${table.name}" and all its rows`,
    );
  }
  const pairs = next.tables
    .filter((t) => prevTables.has(t.name))
    .map((t) => ({
      before: prevTables.get(t.name)!,
      after: t,
      columns: matchColumns(prevTables.get(t.name)!, t),
    }));
  // Foreign keys touching a column whose type changes must be dropped and re-added around the change.
  const retyped = new Set<string>();
  for (const { after, columns } of pairs) {
    for (const [name, old] of columns.renamedOrKept) {
      const now = after.columns.find((c) => c.name === name)!;
      if (old.sqlType !== now.sqlType) retyped.add(`${after.name}.${name}`);
    }
  }
  for (const pair of pairs) diffTable(plan, pair.before, pair.after, pair.columns, retyped);

  const statements = [
    ...plan.dropKeys,
    ...plan.dropIndexes,
    ...plan.creates,
    ...plan.alters,
    ...plan.drops,
    ...plan.createIndexes,
    ...plan.addKeys,
  ];
  const irreversible: FlaggedStep[] = [];
  const down: MigrationStatement[] = [];
  for (const statement of [...statements].reverse()) {
    const reverse = reverseStatement(statement);
    if (reverse === undefined)
      irreversible.push({ statement, reason: irreversibleReason(statement) });
    else down.push(reverse);
  }
  if (plan.destructive.length > 0 && options.allowDestructive !== true) {
    throw new PerstoreError(
      "MIGRATION_DESTRUCTIVE",
      `the migration has destructive steps (pass --allow-destructive to accept them):\n${plan.destructive.map((s) => `  - ${s.reason}`).join("\n")}`,
      {
        details: {
          steps: plan.destructive.map((s) => ({ kind: s.statement.kind, reason: s.reason })),
        },
      },
    );
  }
  return {
    statements,
    down: irreversible.length > 0 ? [] : down,
    destructive: plan.destructive,
    irreversible: irreversible.reverse(),
  };
}

class PlanBuilder {
  readonly dropKeys: MigrationStatement[] = [];
  readonly dropIndexes: MigrationStatement[] = [];
  readonly creates: MigrationStatement[] = [];
  readonly alters: MigrationStatement[] = [];
  readonly drops: MigrationStatement[] = [];
  readonly createIndexes: MigrationStatement[] = [];
  readonly addKeys: MigrationStatement[] = [];
  readonly destructive: FlaggedStep[] = [];
  constructor(readonly prev: Snapshot) {}

  flag(
    list: MigrationStatement[],
    statement: MigrationStatement,
    reason: string | undefined,
  ): void {
    list.push(statement);
    if (reason !== undefined) this.destructive.push({ statement, reason });
  }
}

interface ColumnMatch {
  /** New column name -> the old column it continues (same name, or `renamedFrom`). */
  readonly renamedOrKept: ReadonlyMap<string, DdlColumn>;
  readonly renames: readonly { readonly from: DdlColumn; readonly to: string }[];
  readonly added: readonly DdlColumn[];
  readonly removed: readonly DdlColumn[];
}

function matchColumns(before: DdlTable, after: DdlTable): ColumnMatch {
  const old = new Map(before.columns.map((c) => [c.name, c]));
  const newNames = new Set(after.columns.map((c) => c.name));
  const kept = new Map<string, DdlColumn>();
  const renames: { from: DdlColumn; to: string }[] = [];
  const added: DdlColumn[] = [];
  for (const column of after.columns) {
    const same = old.get(column.name);
    const source = column.renamedFrom === undefined ? undefined : old.get(column.renamedFrom);
    if (same !== undefined) kept.set(column.name, same);
    else if (
      source !== undefined &&
      !newNames.has(source.name) &&
      ![...kept.values()].includes(source)
    ) {
      kept.set(column.name, source);
      renames.push({ from: source, to: column.name });
    } else added.push(column);
  }
  const used = new Set(kept.values());
  return {
    renamedOrKept: kept,
    renames,
    added,
    removed: before.columns.filter((c) => !used.has(c)),
  };
}

function diffTable(
  plan: PlanBuilder,
  before: DdlTable,
  after: DdlTable,
  match: ColumnMatch,
  retyped: ReadonlySet<string>,
): void {
  const table = after.name;
  const existed = (column: string) => match.renamedOrKept.has(column);
  // The name a column had before this migration (renames follow `renamedFrom`).
  const oldName = (column: string) => match.renamedOrKept.get(column)?.name;
  const touchesRetyped = (key: DdlTable["foreignKeys"][number]) =>
    retyped.has(`${table}.${key.column}`) ||
    retyped.has(`${key.references.table}.${key.references.column}`);

  const oldKeys = new Map(before.foreignKeys.map((k) => [k.name, k]));
  const newKeys = new Map(after.foreignKeys.map((k) => [k.name, k]));
  for (const key of before.foreignKeys) {
    const now = newKeys.get(key.name);
    if (now === undefined || JSON.stringify(now) !== JSON.stringify(key) || touchesRetyped(now)) {
      plan.dropKeys.push({ kind: "dropForeignKey", table, foreignKey: key });
    }
  }
  for (const key of after.foreignKeys) {
    const was = oldKeys.get(key.name);
    if (was !== undefined && JSON.stringify(was) === JSON.stringify(key) && !touchesRetyped(key))
      continue;
    const kept = before.foreignKeys.some(
      (k) =>
        k.column === oldName(key.column) &&
        JSON.stringify(k.references) === JSON.stringify(key.references),
    );
    const risky = existed(key.column) && !kept;
    plan.flag(
      plan.addKeys,
      { kind: "addForeignKey", table, foreignKey: key },
      risky
        ? `adds foreign key "${table}"."${key.column}" -> "${key.references.table}": fails if existing rows reference missing records`
        : undefined,
    );
  }

  const oldIndexes = new Map(before.indexes.map((i) => [i.name, i]));
  const newIndexes = new Map(after.indexes.map((i) => [i.name, i]));
  for (const index of before.indexes) {
    const now = newIndexes.get(index.name);
    if (now === undefined || JSON.stringify(now) !== JSON.stringify(index))
      plan.dropIndexes.push({ kind: "dropIndex", table, index });
  }
  for (const index of after.indexes) {
    const was = oldIndexes.get(index.name);
    if (was !== undefined && JSON.stringify(was) === JSON.stringify(index)) continue;
    const kept = before.indexes.some(
      (i) =>
        i.unique &&
        sameList(
          i.columns,
          index.columns.map((c) => oldName(c) ?? c),
        ),
    );
    const risky = index.unique && index.columns.some(existed) && !kept;
    plan.flag(
      plan.createIndexes,
      { kind: "createIndex", table, index },
      risky
        ? `adds unique index "${index.name}" on existing column(s) of "${table}": fails on duplicate values`
        : undefined,
    );
  }

  // The generated full-text column depends on its fields: drop it before they change, add it after.
  const fullTextChanged =
    JSON.stringify(before.fullText) !== JSON.stringify(after.fullText) ||
    (after.fullText?.fields.some((field) => retyped.has(`${table}.${field}`)) ?? false);
  if (fullTextChanged && before.fullText !== undefined)
    plan.dropIndexes.push({ kind: "dropFullText", table, fullText: before.fullText });
  if (fullTextChanged && after.fullText !== undefined)
    plan.createIndexes.push({ kind: "addFullText", table, fullText: after.fullText });

  for (const { from, to } of match.renames) {
    plan.alters.push({
      kind: "renameColumn",
      table,
      from: from.name,
      to,
      hasCheck: from.enum !== undefined,
    });
  }
  for (const column of match.added) {
    const risky = !column.nullable && column.default === undefined && column.identity !== true;
    plan.flag(
      plan.alters,
      { kind: "addColumn", table, column },
      risky
        ? `adds NOT NULL column "${table}"."${column.name}" without a default: fails if the table has rows`
        : undefined,
    );
  }
  for (const column of after.columns) {
    const old = match.renamedOrKept.get(column.name);
    if (old !== undefined) diffColumn(plan, table, old, column);
  }
  const oldPrimaryKey =
    [...match.renamedOrKept].find(([, c]) => c.name === before.primaryKey)?.[0] ??
    before.primaryKey;
  if (oldPrimaryKey !== after.primaryKey) {
    plan.flag(
      plan.alters,
      { kind: "alterPrimaryKey", table, from: oldPrimaryKey, to: after.primaryKey },
      `changes the primary key of "${table}" from "${oldPrimaryKey}" to "${after.primaryKey}": fails on duplicate or NULL values`,
    );
  }
  for (const column of match.removed) {
    plan.flag(
      plan.alters,
      { kind: "dropColumn", table, column },
      `drops column "${table}"."${column.name}" and its data`,
    );
  }
}

function diffColumn(plan: PlanBuilder, table: string, old: DdlColumn, now: DdlColumn): void {
  const column = now.name;
  const where = `"${table}"."${column}"`;
  const change = classifyTypeChange(old.sqlType, now.sqlType);
  const retype = change !== "same";
  // A default or CHECK written for the old type may not cast: take them off around the type change.
  const oldDefault = old.default;
  const oldEnum = old.enum;
  if (retype && oldDefault !== undefined)
    plan.alters.push(alterDefault(table, column, old.sqlType, oldDefault, undefined));
  if (retype && oldEnum !== undefined)
    plan.alters.push(alterCheck(table, column, oldEnum, undefined));
  if (old.identity === true && now.identity !== true)
    plan.alters.push({ kind: "alterIdentity", table, column, to: false });
  if (retype) {
    plan.flag(
      plan.alters,
      { kind: "alterColumnType", table, column, from: old.sqlType, to: now.sqlType },
      change === "narrow"
        ? `narrows ${where} from ${old.sqlType} to ${now.sqlType}: values may not fit`
        : change === "incompatible"
          ? `changes ${where} from ${old.sqlType} to ${now.sqlType}: values are cast and may fail or change`
          : undefined,
    );
  }
  const fromDefault = retype ? undefined : oldDefault;
  if (JSON.stringify(fromDefault) !== JSON.stringify(now.default))
    plan.alters.push(alterDefault(table, column, now.sqlType, fromDefault, now.default));
  if (old.nullable && !now.nullable) {
    const statement: MigrationStatement =
      now.default === undefined
        ? { kind: "setNotNull", table, column, sqlType: now.sqlType }
        : { kind: "setNotNull", table, column, sqlType: now.sqlType, fill: now.default };
    plan.flag(
      plan.alters,
      statement,
      now.default === undefined
        ? `makes ${where} NOT NULL without a default: fails if any row has NULL`
        : undefined,
    );
  } else if (!old.nullable && now.nullable) {
    plan.alters.push({ kind: "dropNotNull", table, column, sqlType: now.sqlType });
  }
  if (now.identity === true && old.identity !== true)
    plan.alters.push({ kind: "alterIdentity", table, column, to: true });
  const fromEnum = retype ? undefined : oldEnum;
  if (!sameList(fromEnum, now.enum)) {
    const narrower =
      now.enum !== undefined &&
      (fromEnum === undefined || fromEnum.some((v) => !now.enum!.includes(v)));
    plan.flag(
      plan.alters,
      alterCheck(table, column, fromEnum, now.enum),
      narrower
        ? `restricts ${where} to (${now.enum!.map((v) => JSON.stringify(v)).join(", ")}): rows with other values make it fail`
        : undefined,
    );
  }
}

function alterDefault(
  table: string,
  column: string,
  sqlType: string,
  from: DdlDefault | undefined,
  to: DdlDefault | undefined,
): MigrationStatement {
  const statement: {
    kind: "alterDefault";
    table: string;
    column: string;
    sqlType: string;
    from?: DdlDefault;
    to?: DdlDefault;
  } = { kind: "alterDefault", table, column, sqlType };
  if (from !== undefined) statement.from = from;
  if (to !== undefined) statement.to = to;
  return statement;
}

function alterCheck(
  table: string,
  column: string,
  from: EnumValues | undefined,
  to: EnumValues | undefined,
): MigrationStatement {
  const statement: {
    kind: "alterCheck";
    table: string;
    column: string;
    from?: EnumValues;
    to?: EnumValues;
  } = { kind: "alterCheck", table, column };
  if (from !== undefined) statement.from = from;
  if (to !== undefined) statement.to = to;
  return statement;
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function irreversibleReason(statement: MigrationStatement): string {
  if (statement.kind === "alterColumnType") {
    return `"${statement.table}"."${statement.column}" changes from ${statement.from} to ${statement.to}: no cast back restores the old values`;
  }
  return `${statement.kind} has no reverse`;
}
