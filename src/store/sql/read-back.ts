/**
 * What a column will give back for a value just written, worked out in
 * JavaScript, so a batched write does not need `RETURNING` to tell the memory
 * store about values the database changed (a `Date` read back as an ISO
 * string, an upper-case UUID as lower case, a missing property as null).
 * Where the database's answer is not certain here (numeric rounding, jsonb
 * key order, char(n) padding, a date-time in a form JavaScript may parse
 * differently...), the answer is `UNKNOWN` and the write asks the database
 * (`RETURNING` that column).
 *
 * The value is the record's; the batch's JSON carries it through `jsonScalar`
 * (write-sql.ts): NaN and infinities as their text (a double column keeps
 * them, but they are not predicted here: RETURNING tells), a bigint as its
 * digits (RETURNING too), -0 as 0 (predicted: 0).
 */
import type { DateTimeMode } from "./sql-rows.js";
import type { WriteColumn } from "./write-sql.js";

export const UNKNOWN: unique symbol = Symbol("unknown");

type ReadBack = (value: unknown) => unknown;

const ISO_INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const CANONICAL_INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BIG_INTEGER = /^-?[1-9]\d*$/;

const cache = new WeakMap<WriteColumn, Partial<Record<DateTimeMode, ReadBack>>>();

/** The value `column` gives back after `value` was written, or UNKNOWN. */
export function readBackOf(column: WriteColumn, dates: DateTimeMode): ReadBack {
  let byMode = cache.get(column);
  if (byMode === undefined) cache.set(column, (byMode = {}));
  return (byMode[dates] ??= makeReadBack(column, dates));
}

function makeReadBack(column: WriteColumn, dates: DateTimeMode): ReadBack {
  const type = column.spec.sqlType.toLowerCase().trim();
  const scalar = scalarReadBack(column.category, type, dates);
  if (column.category !== "array") return scalar ?? (() => UNKNOWN);
  const element = column.element!;
  const exact = exactElement(element.category, element.sqlType.toLowerCase().trim());
  return (value) => {
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value) || exact === undefined) return UNKNOWN;
    for (const item of value) if (item !== null && !exact(item)) return UNKNOWN;
    return value;
  };
}

/** Elements an array column keeps exactly as sent (the array then reads back equal). */
function exactElement(
  category: WriteColumn["category"],
  type: string,
): ((item: unknown) => boolean) | undefined {
  if (category === "text" && isExactText(type)) return (item) => typeof item === "string";
  // -0 is sent as 0, and NaN or an infinity is not predicted: such an array is RETURNed.
  if (category === "integer") return (item) => Number.isSafeInteger(item) && !Object.is(item, -0);
  if (category === "float" && isDouble(type))
    return (item) => Number.isFinite(item) && !Object.is(item, -0);
  if (category === "boolean") return (item) => typeof item === "boolean";
  return undefined;
}

function scalarReadBack(
  category: WriteColumn["category"],
  type: string,
  dates: DateTimeMode,
): ReadBack | undefined {
  switch (category) {
    case "text":
      if (!isExactText(type)) return undefined;
      return (v) => (v == null ? null : typeof v === "string" ? v : UNKNOWN);
    case "uuid":
      return (v) =>
        v == null ? null : typeof v === "string" && UUID.test(v) ? v.toLowerCase() : UNKNOWN;
    case "integer":
      return (v) =>
        v == null
          ? null
          : Number.isSafeInteger(v)
            ? (v as number) + 0 // -0 reads back 0
            : typeof v === "string" && BIG_INTEGER.test(v) && !Number.isSafeInteger(Number(v))
              ? v
              : UNKNOWN;
    case "float":
      if (!isDouble(type)) return undefined;
      return (v) => (v == null ? null : Number.isFinite(v) ? (v as number) + 0 : UNKNOWN);
    case "boolean":
      return (v) => (v == null ? null : typeof v === "boolean" ? v : UNKNOWN);
    case "timestamp": {
      if (!(type.startsWith("timestamptz") || type.startsWith("timestamp with time zone")))
        return undefined;
      return (v) => {
        if (v == null) return null;
        // Already the ISO form the column reads back as (a date PostgreSQL refuses fails the write anyway).
        if (dates === "string" && typeof v === "string" && CANONICAL_INSTANT.test(v)) return v;
        const time =
          v instanceof Date
            ? v.getTime()
            : typeof v === "string" && ISO_INSTANT.test(v)
              ? Date.parse(v)
              : NaN;
        if (Number.isNaN(time)) return UNKNOWN;
        return dates === "Date" ? new Date(time) : new Date(time).toISOString();
      };
    }
    case "date":
      return (v) => (v == null ? null : typeof v === "string" && DAY.test(v) ? v : UNKNOWN);
    default:
      return undefined;
  }
}

/**
 * Text types that give back exactly what they took (or refuse it). Not char(n),
 * which pads, nor the other types the SQL layer reads as text (inet, interval, ...).
 */
function isExactText(type: string): boolean {
  return type === "text" || /^(character varying|varchar)(\(\d+\))?$/.test(type);
}

function isDouble(type: string): boolean {
  return type === "double precision" || type === "float8" || type === "float";
}
