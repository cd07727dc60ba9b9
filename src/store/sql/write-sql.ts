/**
 * The text of write statements, built as plain strings with `$n`
 * placeholders (every value is a parameter; identifiers are quoted as Kysely
 * quotes them; type names are the checked ones of the table spec). A write
 * runs many times with the same shape, and Kysely's `sql` templates cost more
 * to build and compile than the statement costs the database, so the write
 * path skips them (`runStatement`).
 */
import { CompiledQuery, type QueryExecutorProvider, type QueryResult } from "kysely";
import { isPrototypeKey } from "../copy.js";
import {
  categoryOf,
  categoryOfSqlType,
  checkedSqlType,
  type ColumnCategory,
} from "./sql-values.js";
import { castType } from "./sql-rows.js";
import type { SqlColumnSpec, SqlTableSpec } from "./table-spec.js";

/** A column as writes see it: its quoted name, cast and value category, decided once. */
export interface WriteColumn {
  readonly spec: SqlColumnSpec;
  readonly name: string;
  readonly quoted: string;
  /** The type a parameter is cast to (varchar(n) unbounded, so the column's own limit refuses). */
  readonly cast: string;
  readonly category: ColumnCategory;
  /** For an array column, its elements' category and type. */
  readonly element?: { readonly category: ColumnCategory; readonly sqlType: string };
  /** The name could reach a prototype if read with `record[name]`. */
  readonly unsafeName: boolean;
}

/** Doubles `"` as Kysely's PostgreSQL compiler does. */
export function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."table"`, or `"table"` on the search path. */
export function tableText(spec: SqlTableSpec, schema: string | undefined): string {
  return schema === undefined ? quoteId(spec.table) : `${quoteId(schema)}.${quoteId(spec.table)}`;
}

const writeColumns = new WeakMap<SqlColumnSpec, WriteColumn>();

export function writeColumn(spec: SqlColumnSpec): WriteColumn {
  let column = writeColumns.get(spec);
  if (column === undefined) {
    const category = categoryOf(spec);
    const elementType =
      category === "array" ? checkedSqlType(spec).replace(/\[\]$/, "") : undefined;
    column = {
      spec,
      name: spec.name,
      quoted: quoteId(spec.name),
      cast: castType(spec),
      category,
      element:
        elementType === undefined
          ? undefined
          : { category: categoryOfSqlType(elementType), sqlType: elementType },
      unsafeName: isPrototypeKey(spec.name),
    };
    writeColumns.set(spec, column);
  }
  return column;
}

/** A record's own value of `column` (never one inherited from a prototype). */
export function valueOf(record: Readonly<Record<string, unknown>>, column: WriteColumn): unknown {
  return column.unsafeName && !Object.hasOwn(record, column.name) ? undefined : record[column.name];
}

/**
 * A number or bigint as a batch's JSON carries it (the one encoder of every
 * JSON write: batches, and arrays a literal cannot carry). JSON has no NaN,
 * infinities or bigints (`JSON.stringify` makes the first null and throws on
 * the last), so they go as the text PostgreSQL's numeric input reads:
 * "NaN", "Infinity", "-Infinity" (a double precision column keeps them, as
 * it does a `put`'s parameter, and as the memory store keeps the number; an
 * integer column refuses them on every path) and a bigint's decimal digits.
 */
export function jsonScalar(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  return typeof value === "bigint" ? value.toString() : value;
}

/** Whether `jsonScalar` changes `value`. */
function needsJsonScalar(value: unknown): boolean {
  return typeof value === "bigint" || (typeof value === "number" && !Number.isFinite(value));
}

/** Whether a column's value needs `batchValue` (a jsonb value is JSON as it is). */
export function needsBatchValue(column: WriteColumn, value: unknown): boolean {
  if (column.category === "json") return false;
  if (Array.isArray(value)) return column.category === "array" && value.some(needsJsonScalar);
  return needsJsonScalar(value);
}

/** A column's value as a batch's JSON carries it: scalars and array elements through `jsonScalar`. */
export function batchValue(column: WriteColumn, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (!needsBatchValue(column, value)) return value;
  return Array.isArray(value) ? value.map(jsonScalar) : jsonScalar(value);
}

/** Collects the parameters of a statement as its text is written. */
export class Parameters {
  readonly values: unknown[] = [];

  /** `$n` for `value`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A value of one row as SQL: `$n::type`. An array goes as a PostgreSQL array
 * literal (one parameter, no subquery) when its elements allow; otherwise as
 * JSON unpacked by `jsonb_array_elements_text`, as before, which keeps what
 * a nested object or a number in a text array becomes.
 */
export function valueText(column: WriteColumn, value: unknown, params: Parameters): string {
  if (value === undefined || value === null) return `null::${column.cast}`;
  switch (column.category) {
    case "array": {
      const literal = arrayLiteral(column, value);
      if (literal !== undefined) return `${params.add(literal)}::${column.cast}`;
      return `array(select jsonb_array_elements_text(${params.add(JSON.stringify(batchValue(column, value)))}::jsonb)::${column.element!.sqlType})::${column.cast}`;
    }
    case "json":
      return `${params.add(JSON.stringify(value))}::jsonb`;
    default:
      return `${params.add(value instanceof Date ? value.toISOString() : value)}::${column.cast}`;
  }
}

/**
 * `{"a","b\"c",NULL}` for an array whose elements the literal keeps exactly:
 * strings and nulls (any element type), numbers and bigints in a numeric array, booleans
 * in a boolean or text array. Undefined for anything else.
 */
export function arrayLiteral(column: WriteColumn, value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const element = column.element!.category;
  let out = "{";
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (i > 0) out += ",";
    if (item === null || item === undefined) out += "NULL";
    else if (typeof item === "string") out += `"${item.replace(/[\\"]/g, "\\$&")}"`;
    else if (
      (typeof item === "number" || typeof item === "bigint") &&
      (element === "integer" || element === "float")
    )
      // NaN, Infinity, -Infinity and a bigint's digits, as the batch path's `jsonScalar` sends them.
      out += String(item);
    else if (typeof item === "boolean" && (element === "boolean" || element === "text"))
      out += String(item);
    else return undefined;
  }
  return `${out}}`;
}

/**
 * `"perstore_type" in ($n::text, ...)` (`true` for a plain table): the rows
 * of this store's model and its sub-models; `qualifier` names the table.
 */
export function discriminatorText(
  spec: SqlTableSpec,
  params: Parameters,
  qualifier?: string,
): string {
  const d = spec.discriminator;
  if (d === undefined) return "true";
  const column = qualifier === undefined ? quoteId(d.column) : `${qualifier}.${quoteId(d.column)}`;
  return `${column} in (${d.values.map((v) => `${params.add(v)}::text`).join(", ")})`;
}

/** Runs a statement built here, on `db` (a Kysely, a transaction, or a retrying executor). */
export function runStatement<R>(
  db: QueryExecutorProvider,
  text: string,
  params: Parameters,
): Promise<QueryResult<R>> {
  return db.getExecutor().executeQuery(CompiledQuery.raw(text, params.values) as CompiledQuery<R>);
}
