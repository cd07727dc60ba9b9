/**
 * Equality and ordering of an operand with a query value, with the memory
 * store's meaning: no coercion between types, text by code point, and a Date
 * by instant.
 */
import { sql, type RawBuilder, type SqlBool } from "kysely";
import { FALSE, instantOf, isoText, type Operand, type Sql } from "./filter-operand.js";
import type { DateTimeMode } from "./sql-rows.js";
import { castFor, isComparable, scalarParameter, type ColumnCategory } from "./sql-values.js";
import { match } from "./text-match.js";

/** The ordering operators `lt`, `le`, `gt`, `ge` compile to. */
export type Comparison = "<" | "<=" | ">" | ">=";

/** `isnull`: SQL NULL, and for jsonb also a JSON `null`. */
export function isNull(operand: Operand): RawBuilder<SqlBool> {
  if (operand.kind === "json")
    return sql<SqlBool>`(${operand.expr} is null or ${operand.expr} = 'null'::jsonb)`;
  return sql<SqlBool>`${operand.expr} is null`;
}

/** A query value as a parameter cast to the operand's SQL type. */
export function typedParam(
  operand: { category: ColumnCategory; sqlType: string },
  value: unknown,
): Sql {
  return sql`${scalarParameter(value)}::${sql.raw(castFor(operand.category, value, operand.sqlType))}`;
}

/** A string, finite number or boolean as a jsonb scalar; undefined for anything else. */
function jsonScalar(value: unknown): Sql | undefined {
  switch (typeof value) {
    case "string":
      return sql`to_jsonb(${value}::text)`;
    case "number":
      return Number.isFinite(value) ? sql`to_jsonb(${value}::float8)` : undefined;
    case "boolean":
      return sql`to_jsonb(${value}::boolean)`;
    default:
      return undefined;
  }
}

/** `eq` (and each item of `in`): a pattern value matches, null tests for null, other types match nothing. */
export function equals(operand: Operand, value: unknown): RawBuilder<SqlBool> {
  if (value === null || value === undefined) return isNull(operand);
  if (value instanceof RegExp) return match(operand, value);
  if (value instanceof Date) return instantCompare(operand, "=", value);
  if (operand.kind === "json") {
    if (typeof value === "object")
      return sql<SqlBool>`${operand.expr} = ${JSON.stringify(value)}::jsonb`;
    const scalar = jsonScalar(value);
    return scalar === undefined ? FALSE : sql<SqlBool>`${operand.expr} = ${scalar}`;
  }
  if (operand.category === "array") {
    if (!Array.isArray(value)) return FALSE;
    return sql<SqlBool>`${operand.expr} = ${arrayFromJson(value, operand.sqlType)}`;
  }
  if (operand.category === "timestamp" && typeof value === "string")
    return isoTextCompare(operand, "=", value);
  if (!isComparable(operand.category, value)) return FALSE;
  return sql<SqlBool>`${operand.expr} = ${typedParam(operand, value)}`;
}

/** A Date query value against the operand, by instant. */
function instantCompare(operand: Operand, op: Comparison | "=", value: Date): RawBuilder<SqlBool> {
  const instant = instantOf(operand);
  if (instant === undefined || Number.isNaN(value.getTime())) return FALSE;
  return sql<SqlBool>`${instant} ${sql.raw(op)} ${value.toISOString()}::timestamptz`;
}

/** An array value as a parameter of the array column's type. */
function arrayFromJson(value: readonly unknown[], sqlType: string): Sql {
  const element = sqlType.replace(/\[\]$/, "");
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(value)}::jsonb)::${sql.raw(element)})::${sql.raw(sqlType)}`;
}

/**
 * A string compared with a date-time column compares as the memory store
 * compares it with the record's value: with the normalised ISO string
 * (`toISOString()`, what the store reads back) by code point when records hold
 * strings, and never when they hold Dates (no coercion). A Date compares by instant.
 */
function isoTextCompare(
  operand: { expr: Sql; dates?: DateTimeMode },
  op: Comparison | "=",
  value: string,
): RawBuilder<SqlBool> {
  if (operand.dates === "Date") return FALSE;
  return sql<SqlBool>`${isoText(operand.expr)} collate "C" ${sql.raw(op)} ${value}::text`;
}

/** `lt`, `le`, `gt`, `ge`: never true for null, or for a value of another type than the operand. */
export function order(operand: Operand, op: Comparison, value: unknown): RawBuilder<SqlBool> {
  if (value === null || value === undefined) return FALSE; // ordering never matches null
  if (value instanceof Date) return instantCompare(operand, op, value);
  const cmp = sql.raw(op);
  if (operand.kind === "json") {
    const e = operand.expr;
    if (typeof value === "string") {
      return sql<SqlBool>`(case when jsonb_typeof(${e}) = 'string' then (${e} #>> '{}') collate "C" ${cmp} ${value}::text else false end)`;
    }
    const scalar = jsonScalar(value);
    if (scalar === undefined) return FALSE;
    return sql<SqlBool>`(jsonb_typeof(${e}) = jsonb_typeof(${scalar}) and ${e} ${cmp} ${scalar})`;
  }
  if (operand.category === "timestamp" && typeof value === "string")
    return isoTextCompare(operand, op, value);
  if (!isComparable(operand.category, value)) return FALSE;
  if (operand.category === "text" || operand.category === "uuid") {
    return sql<SqlBool>`${operand.expr}::text collate "C" ${cmp} ${value}::text`;
  }
  return sql<SqlBool>`${operand.expr} ${cmp} ${typedParam(operand, value)}`;
}
