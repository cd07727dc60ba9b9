/**
 * How values cross between records and SQL columns. What a column gives back
 * is decided by what its schema declared, never by the driver:
 * - `date-time` (timestamptz): the normalised ISO string (`toISOString()`), whether a
 *   string or a Date was written;
 * - `date`: "YYYY-MM-DD";
 * - `integer` (bigint/integer): a number (an exact decimal string beyond 2^53);
 * - jsonb: the parsed JSON value; arrays (`text[]`, ...): arrays;
 * - SQL NULL: the property is left out of the record (missing and null are one "no value").
 */
import { StoreError } from "../../errors/index.js";
import type { SqlColumnSpec } from "./table-spec.js";

/** What the SQL layer treats a column as, decided from its SQL type. */
export type ColumnCategory =
  "text" | "uuid" | "integer" | "float" | "boolean" | "timestamp" | "date" | "json" | "array";

/** Only plain type names ever reach SQL text (they come from the compiler, but are checked anyway). */
const SQL_TYPE = /^[a-z][a-z0-9_ ]*(\(\d+(,\s*\d+)?\))?(\[\])?$/i;

/** The column's SQL type; a table spec whose type is not a plain name is STORE_BAD_OPTION. */
export function checkedSqlType(column: SqlColumnSpec): string {
  if (!SQL_TYPE.test(column.sqlType)) {
    throw new StoreError(
      "STORE_BAD_OPTION",
      `column "${column.name}" has an unsupported SQL type "${column.sqlType}"`,
    );
  }
  return column.sqlType;
}

/** Categories by SQL type: a handful of types, asked about for every cell. */
const categories = new Map<string, ColumnCategory>();

export function categoryOfSqlType(sqlType: string): ColumnCategory {
  let category = categories.get(sqlType);
  if (category === undefined) {
    category = parseCategory(sqlType);
    if (categories.size < 1000) categories.set(sqlType, category);
  }
  return category;
}

function parseCategory(sqlType: string): ColumnCategory {
  const t = sqlType.toLowerCase().trim();
  if (t.endsWith("[]")) return "array";
  if (t === "jsonb" || t === "json") return "json";
  if (t === "uuid") return "uuid";
  if (t === "boolean" || t === "bool") return "boolean";
  if (t === "date") return "date";
  if (t.startsWith("timestamp")) return "timestamp";
  if (/^(bigint|integer|int|int2|int4|int8|smallint|bigserial|serial)$/.test(t)) return "integer";
  if (/^(double precision|real|float4|float8|numeric|decimal)/.test(t)) return "float";
  return "text";
}

export function categoryOf(column: SqlColumnSpec): ColumnCategory {
  return categoryOfSqlType(column.sqlType);
}

/** The element SQL type of an array column: `text[]` -> `text`. */
export function elementSqlType(column: SqlColumnSpec): string {
  return checkedSqlType(column).replace(/\[\]$/, "");
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether a query value can be compared with a column of this category at all.
 * A value of another type matches nothing (as in the memory store), so the
 * compiler emits FALSE instead of letting PostgreSQL coerce or fail.
 */
export function isComparable(category: ColumnCategory, value: unknown): boolean {
  switch (category) {
    case "text":
      return typeof value === "string";
    case "uuid":
      return typeof value === "string" && UUID.test(value);
    case "integer":
    case "float":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "timestamp":
      return value instanceof Date
        ? !Number.isNaN(value.getTime())
        : typeof value === "string" && !Number.isNaN(Date.parse(value));
    case "date":
      return typeof value === "string" && DAY.test(value);
    default:
      return false;
  }
}

/** The parameter for a comparable scalar (Dates as ISO text, cast to timestamptz by the caller). */
export function scalarParameter(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** The cast a comparison parameter gets for a column category. */
export function castFor(category: ColumnCategory, value: unknown, sqlType: string): string {
  switch (category) {
    case "text":
      return "text";
    case "uuid":
      return "uuid";
    case "integer":
      // A fraction or an infinity compared with an integer column must not be cast to bigint.
      return Number.isInteger(value) && Math.abs(value as number) <= Number.MAX_SAFE_INTEGER
        ? "bigint"
        : "float8";
    case "float":
      return sqlType.toLowerCase().startsWith("numeric") ||
        sqlType.toLowerCase().startsWith("decimal")
        ? "numeric"
        : "float8";
    case "boolean":
      return "boolean";
    case "timestamp":
      return "timestamptz";
    case "date":
      return "date";
    default:
      return "jsonb";
  }
}

/** A value read from a column, as the record gets it (see the module comment). */
export function fromColumn(column: SqlColumnSpec, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (categoryOf(column)) {
    case "integer":
      return toInteger(value);
    case "float":
      return typeof value === "number" ? value : Number(value);
    case "timestamp":
      return toIsoString(value);
    case "date":
      return value instanceof Date ? localDay(value) : String(value);
    case "array": {
      if (!Array.isArray(value)) return value;
      const element = categoryOfSqlType(elementSqlType(column));
      if (element === "integer") return value.map((v) => (v == null ? v : toInteger(v)));
      if (element === "float") return value.map((v) => (v == null ? v : Number(v)));
      if (element === "timestamp") return value.map((v) => (v == null ? v : toIsoString(v)));
      return value;
    }
    default:
      return value;
  }
}

function toInteger(value: unknown): number | string {
  if (typeof value === "number") return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : String(value);
}

function toIsoString(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** `pg` reads a date at local midnight unless told otherwise; its local calendar day is the value. */
function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The parameter written to a column (cast by the statement to the column's type). */
export function toColumn(column: SqlColumnSpec, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const category = categoryOf(column);
  if (category === "json" || category === "array") return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}
