import { SchemaError } from "../../../errors/index.js";
import type { ModelIR, ProjectIR } from "../../ir/types.js";
import { constraintName } from "./constraint-name.js";
import type { DdlForeignKey, DdlIndex, DdlTable } from "./ddl-model.js";
import { hierarchyColumns, type HierarchyColumn } from "./hierarchy-columns.js";
import { compareText, hierarchiesOf, rootsOf } from "./hierarchy.js";

/**
 * The database schema of a project: one table per model hierarchy
 * (table-per-hierarchy: a base model's table holds its sub-models' columns and
 * a `perstore_type` discriminator), sorted by name.
 *
 * - Indexes: the schema's `indexes`, plus `unique` (`<table>_<col>_key`) and
 *   `indexed` (`<table>_<col>_idx`) properties, named after the physical table.
 * - Foreign keys (DEFERRABLE INITIALLY DEFERRED, so a transaction may write
 *   records in any order): a link `Company/{employerId}` makes
 *   `employerId -> company(id)`; a reverse link `Book?authorId={id}` makes the
 *   same key on the other side. Arrays of ids get no foreign key (SQL cannot
 *   express one). Every foreign-key column is indexed.
 * - Full text (`fullText` on the root model): a generated `perstore_search`
 *   tsvector column with a GIN index (see full-text-column.ts).
 */
export function ddlTablesFromIR(ir: ProjectIR): DdlTable[] {
  const roots = rootsOf(ir);
  const byName = new Map(ir.models.map((model) => [model.name, model]));
  const hierarchies = hierarchiesOf(ir);
  const columnsByTable = new Map<string, readonly HierarchyColumn[]>();
  for (const h of hierarchies) columnsByTable.set(h.root.table, hierarchyColumns(h));

  const tableOf = (modelName: string): ModelIR | undefined => roots.get(modelName);
  const columnOf = (table: string, column: string) =>
    columnsByTable.get(table)?.find((c) => c.column.name === column)?.column;
  const isUniqueColumn = (root: ModelIR, column: string) =>
    column === root.primaryKey ||
    hierarchyModels(ir, root).some(
      (m) =>
        m.properties.some((p) => p.name === column && p.unique) ||
        m.indexes.some((i) => i.unique && i.fields.length === 1 && i.fields[0] === column),
    );

  const foreignKeys = new Map<string, Map<string, DdlForeignKey>>();
  const addForeignKey = (table: string, column: string, refTable: string, refColumn: string) => {
    const name = constraintName(table, [column], "fkey");
    const keys = foreignKeys.get(table) ?? new Map<string, DdlForeignKey>();
    keys.set(name, { name, column, references: { table: refTable, column: refColumn } });
    foreignKeys.set(table, keys);
  };

  for (const model of ir.models) {
    const root = tableOf(model.name)!;
    model.links.forEach((link, i) => {
      const target = tableOf(link.target);
      if (target === undefined || byName.get(link.target) === undefined) return;
      // Forward: the local property holds the target's key. Reverse: the target's property holds ours.
      const [from, fromColumn, to, toColumn] = link.many
        ? [target, link.targetProperty, root, link.property]
        : [root, link.property, target, link.targetProperty];
      const local = columnOf(from.table, fromColumn);
      const referenced = columnOf(to.table, toColumn);
      if (local === undefined || referenced === undefined) return;
      if (local.sqlType.endsWith("[]") || local.sqlType === "jsonb") return; // an array of ids
      if (!isUniqueColumn(to, toColumn)) return;
      if (local.sqlType !== referenced.sqlType) {
        throw new SchemaError(
          "SCHEMA_LINK_TYPE_MISMATCH",
          `link "${link.rel}": ${from.table}.${fromColumn} is ${local.sqlType} but ${to.table}.${toColumn} is ${referenced.sqlType}`,
          { file: model.file, pointer: `/links/${i}` },
        );
      }
      addForeignKey(from.table, fromColumn, to.table, toColumn);
    });
  }

  return hierarchies.map((h) => {
    const table = h.root.table;
    const keys = [...(foreignKeys.get(table)?.values() ?? [])].sort((a, b) =>
      compareText(a.name, b.name),
    );
    const ddl: DdlTable = {
      name: table,
      primaryKey: h.root.primaryKey,
      columns: columnsByTable.get(table)!.map((c) => c.column),
      indexes: tableIndexes(table, h.root.primaryKey, h.models, keys),
      foreignKeys: keys,
    };
    const fullText = h.root.fullText;
    return fullText === undefined
      ? ddl
      : { ...ddl, fullText: { fields: [...fullText.fields], language: fullText.language } };
  });
}

function hierarchyModels(ir: ProjectIR, root: ModelIR): ModelIR[] {
  return ir.models.filter((m) => m === root || root.subModels.includes(m.name));
}

function tableIndexes(
  table: string,
  primaryKey: string,
  models: readonly ModelIR[],
  foreignKeys: readonly DdlForeignKey[],
): DdlIndex[] {
  const indexes = new Map<string, DdlIndex>();
  const add = (columns: readonly string[], unique: boolean) => {
    if (columns.length === 1 && columns[0] === primaryKey) return; // the primary key is its own index
    const name = constraintName(table, columns, unique ? "key" : "idx");
    const existing = indexes.get(name);
    if (existing === undefined || (unique && !existing.unique))
      indexes.set(name, { name, columns: [...columns], unique });
  };
  for (const model of models) {
    for (const index of model.indexes) add(index.fields, index.unique);
    for (const property of model.properties) {
      if (property.unique) add([property.name], true);
      else if (property.indexed) add([property.name], false);
    }
  }
  for (const key of foreignKeys) {
    const covered =
      key.column === primaryKey ||
      [...indexes.values()].some((index) => index.columns[0] === key.column);
    if (!covered) add([key.column], false);
  }
  return [...indexes.values()].sort((a, b) => compareText(a.name, b.name));
}
