/**
 * Many rows in one statement: the rows travel as ONE json parameter
 * (`json_to_recordset($1::json) as v(...)`), which the server reads once,
 * instead of a parameter per value. Shared by `SqlStore.insert` and the
 * change sets of `applyChangeSet`.
 */
import type { Id } from "../types.js";
import type { SqlTable } from "./sql-store.js";
import { fromColumn } from "./sql-values.js";
import type { SqlColumnSpec } from "./table-spec.js";
import {
  batchValue,
  needsBatchValue,
  Parameters,
  quoteId,
  valueOf,
  type WriteColumn,
} from "./write-sql.js";

type Row = Record<string, unknown>;

/**
 * The batch's JSON: the records themselves, or plain copies of their columns
 * when a column is named like a prototype key or a value needs `batchValue`
 * (NaN, infinities, bigints: see `jsonScalar`, the rule every write keeps).
 */
export function batchJson(
  table: SqlTable,
  columns: readonly WriteColumn[],
  records: readonly Row[],
): string {
  if (!columns.some((c) => c.unsafeName) && !records.some((r) => needsCopy(r, columns)))
    return JSON.stringify(records);
  const d = table.spec.discriminator;
  return JSON.stringify(
    records.map((record) => {
      const row = batchRow(record, columns);
      if (d !== undefined) row[d.column] = record[d.column] ?? null;
      return row;
    }),
  );
}

/** A record's `columns` as a batch's JSON carries them (own values only, through `batchValue`). */
export function batchRow(record: Row, columns: readonly WriteColumn[]): Row {
  const row: Row = {};
  for (const c of columns)
    Object.defineProperty(row, c.name, {
      value: batchValue(c, valueOf(record, c)),
      enumerable: true,
    });
  return row;
}

function needsCopy(record: Row, columns: readonly WriteColumn[]): boolean {
  for (const c of columns) if (needsBatchValue(c, record[c.name])) return true;
  return false;
}

/** `json_to_recordset($1::json) as v("id" bigint, ...)`: a batch of rows as one parameter. */
export function recordsetText(
  table: SqlTable,
  columns: readonly WriteColumn[],
  param: string,
): string {
  return `json_to_recordset(${param}::json) as v(${recordDefinitions(table, columns).join(", ")})`;
}

/**
 * The batch with each row's position in it (from 1), as `v.<position>`: an
 * INSERT whose key the column default assigns selects `order by` it, so the
 * rows are inserted, and their ids RETURNed, in the batch's order (the form
 * PostgreSQL keeps in order; without ORDER BY no order is promised).
 */
export function numberedRecordset(
  table: SqlTable,
  columns: readonly WriteColumn[],
  param: string,
): { text: string; position: string } {
  const names = new Set(columns.map((c) => c.name));
  if (table.spec.discriminator !== undefined) names.add(table.spec.discriminator.column);
  let position = "position";
  while (names.has(position)) position = `_${position}`;
  const aliases = [...columns.map((c) => c.quoted), quoteId(position)];
  if (table.spec.discriminator !== undefined)
    aliases.splice(columns.length, 0, quoteId(table.spec.discriminator.column));
  const definitions = recordDefinitions(table, columns).join(", ");
  return {
    text: `rows from (json_to_recordset(${param}::json) as (${definitions})) with ordinality as v(${aliases.join(", ")})`,
    position: `v.${quoteId(position)}`,
  };
}

function recordDefinitions(table: SqlTable, columns: readonly WriteColumn[]): string[] {
  const definitions = columns.map((c) => `${c.quoted} ${c.cast}`);
  const d = table.spec.discriminator;
  if (d !== undefined) definitions.push(`${quoteId(d.column)} text`);
  return definitions;
}

/**
 * An id as the key column gave it back (RETURNING), as the record holds it:
 * for an integer key a number when it is a safe integer (negative ones too),
 * else its decimal string; other keys as the column reads (see `fromColumn`).
 * The one rule of `insert`, `put` and change sets.
 */
export function idOut(pk: SqlColumnSpec, value: unknown): Id {
  return fromColumn(pk, value) as Id;
}

/** The written columns' names (and the discriminator's, for an inherited model's table). */
export function columnList(table: SqlTable, columns: readonly WriteColumn[]): string {
  const list = columns.map((c) => c.quoted);
  if (table.spec.discriminator !== undefined) list.push(quoteId(table.spec.discriminator.column));
  return list.join(", ");
}

/** `v."a", v."b"` (and the model: the record's, else this store's). */
export function selectText(
  table: SqlTable,
  columns: readonly WriteColumn[],
  params: Parameters,
): string {
  const list = columns.map((c) => `v.${c.quoted}`);
  const d = table.spec.discriminator;
  if (d !== undefined) list.push(`coalesce(v.${quoteId(d.column)}, ${params.add(d.value)}::text)`);
  return list.join(", ");
}
