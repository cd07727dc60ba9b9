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
  const definitions = columns.map((c) => `${c.quoted} ${c.cast}`);
  const d = table.spec.discriminator;
  if (d !== undefined) definitions.push(`${quoteId(d.column)} text`);
  return `json_to_recordset(${param}::json) as v(${definitions.join(", ")})`;
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
