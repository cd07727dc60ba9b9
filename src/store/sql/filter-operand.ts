/**
 * What a filter condition tests, as SQL: a typed column (or array element) or
 * a jsonb value, and the views of it the comparisons need (its text, its
 * instant). Also the SQL constants every part of the filter compiler shares.
 */
import { sql, type RawBuilder, type SqlBool } from "kysely";
import { QueryError } from "../../errors/index.js";
import type { Path } from "../../query/ast.js";
import type { FilterContext } from "./compile-filter.js";
import { isoInstant } from "./iso-instant.js";
import { unsupported } from "./unsupported.js";
import type { DateTimeMode } from "./sql-rows.js";
import { categoryOf, type ColumnCategory } from "./sql-values.js";

/** Any SQL fragment. */
export type Sql = RawBuilder<unknown>;

/** A value being tested: a typed SQL column (or array element), or a jsonb value. */
export type Operand =
  | {
      readonly kind: "typed";
      readonly category: ColumnCategory;
      readonly sqlType: string;
      readonly expr: Sql;
      readonly dates?: DateTimeMode;
    }
  | { readonly kind: "json"; readonly expr: Sql };

/** `true` and `false` as conditions; a test that can never match (a value of another type than the column) is FALSE. */
export const TRUE: RawBuilder<SqlBool> = sql<SqlBool>`true`;
export const FALSE: RawBuilder<SqlBool> = sql<SqlBool>`false`;
// Aliases only need to be distinct within one statement; a module-wide counter is simplest.
let aliasCounter = 0;

/** The operand `path` names: a column, a jsonb path into one, or (inside `contains`) the element or a path into it. */
export function resolveOperand(
  path: Path,
  context: FilterContext,
  element: Operand | undefined,
): Operand {
  if (element !== undefined) {
    if (path.length === 0) return element;
    if (element.kind === "json") return { kind: "json", expr: jsonPath(element.expr, path) };
    throw unsupported(`cannot follow the path ${path.join("/")} into a ${element.sqlType} element`);
  }
  const [first, ...rest] = path;
  const column = first === undefined ? undefined : context.columns.get(first);
  if (column === undefined) {
    throw new QueryError("QUERY_UNKNOWN_PROPERTY", `unknown property "${path.join("/")}"`);
  }
  const category = categoryOf(column);
  const expr = sql.id(column.name) as Sql;
  if (rest.length === 0) {
    return category === "json"
      ? { kind: "json", expr }
      : {
          kind: "typed",
          category,
          sqlType: column.sqlType,
          expr,
          dates: context.dates ?? "string",
        };
  }
  if (category !== "json")
    throw unsupported(`"${column.name}" is not an object; cannot query ${path.join("/")}`);
  return { kind: "json", expr: jsonPath(expr, rest) };
}

function jsonPath(expr: Sql, keys: readonly string[]): Sql {
  return sql`jsonb_extract_path(${expr}, ${sql.join(keys.map((k) => sql`${k}::text`))})`;
}

/**
 * The operand as the string the record holds, or undefined when the record
 * never holds a string there: text and uuid columns, date-time (as the
 * normalised ISO string, unless records hold Dates) and date columns, and
 * jsonb values that are strings (NULL otherwise).
 */
export function textOf(operand: Operand): Sql | undefined {
  if (operand.kind === "json")
    return sql`(case when jsonb_typeof(${operand.expr}) = 'string' then ${operand.expr} #>> '{}' end)`;
  switch (operand.category) {
    case "text":
      return operand.expr;
    case "uuid":
      return sql`${operand.expr}::text`;
    case "date":
      return sql`to_char(${operand.expr}, 'YYYY-MM-DD')`;
    case "timestamp":
      return operand.dates === "Date" ? undefined : isoText(operand.expr);
    default:
      return undefined;
  }
}

/** The instant a Date is compared with (see `queryInstant`), or undefined when the record never holds one there. */
export function instantOf(operand: Operand): Sql | undefined {
  if (operand.kind === "json") return isoInstant(textOf(operand)!);
  switch (operand.category) {
    case "timestamp":
      return operand.expr;
    case "date":
      return sql`(${operand.expr}::timestamp at time zone 'UTC')`;
    case "text":
      return isoInstant(operand.expr);
    default:
      return undefined;
  }
}

/** A timestamptz as the normalised ISO string the store reads back. */
export function isoText(expr: Sql): Sql {
  return sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A fresh alias for the element of an `unnest` or `jsonb_array_elements`, unique across queries. */
export function nextAlias(): Sql {
  return sql.id(`perstore_e${++aliasCounter}`) as Sql;
}
