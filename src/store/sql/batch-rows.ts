/**
 * Many rows in one statement: the rows travel as ONE json parameter
 * (`json_to_recordset($1::json) as v(...)`), which the server reads once,
 * instead of a parameter per value. Shared by `SqlStore.insert` and the
 * change sets of `applyChangeSet`.
 */
import type { Id } from "../types.js";
import type { SqlTable } from "./sql-store.js";
import { Parameters, quoteId, valueOf, type WriteColumn } from "./write-sql.js";

type Row = Record<string, unknown>;

/** The batch's JSON: the records themselves, or (a column named like a prototype key) plain copies of their columns. */
export function batchJson(
  table: SqlTable,
  columns: readonly WriteColumn[],
  records: readonly Row[],
): string {
  if (!columns.some((c) => c.unsafeName)) return JSON.stringify(records);
  return JSON.stringify(
    records.map((record) => {
      const row: Row = {};
      for (const c of columns)
        Object.defineProperty(row, c.name, { value: valueOf(record, c) ?? null, enumerable: true });
      const d = table.spec.discriminator;
      if (d !== undefined) row[d.column] = record[d.column] ?? null;
      return row;
    }),
  );
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

/** A bigint key read back as a string is a number when it is a safe integer. */
export function idOut(value: unknown): Id {
  return typeof value === "string" && /^\d+$/.test(value) && Number.isSafeInteger(Number(value))
    ? Number(value)
    : (value as Id);
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
