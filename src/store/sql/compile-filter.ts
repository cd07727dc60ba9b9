/**
 * The query filter compiled to a PostgreSQL boolean expression (a Kysely
 * `RawBuilder`), with exactly the memory store's meaning:
 * - every value is a parameter, every identifier a column checked against the
 *   table spec (QUERY_UNKNOWN_PROPERTY otherwise);
 * - `not` is pushed down to the conditions, and each negated condition is
 *   `NOT coalesce(cond, false)`, so a NULL column never makes a negation drop
 *   a record (`ne` matches null and missing; ordering never matches them);
 * - a value of another type than the column matches nothing (no coercion);
 * - text compares by code point (`COLLATE "C"`);
 * - a Date compares with date-time columns, and with text (columns, array
 *   elements, jsonb strings) that is an ISO-8601 date-time, by instant;
 * - patterns (`re:`, `RE:`, `glob:`, `match` values) become PostgreSQL
 *   regular expressions with the same meaning (`postgres-regex.ts`), tested
 *   on every value that is a string in the record;
 * - anything without a faithful translation is QUERY_UNSUPPORTED.
 *
 * @example
 * compileFilter(parseQuery("age>=18&ne(country,CA)").filter, context)
 * // "age" >= $1::bigint and not coalesce("country" = $2::text, false)
 */
import { sql, type RawBuilder, type SqlBool } from "kysely";
import { QueryError } from "../../errors/index.js";
import type { ConditionNode, FilterNode, Path, ValueNode } from "../../query/ast.js";
import {
  castFor,
  categoryOf,
  categoryOfSqlType,
  elementSqlType,
  isComparable,
  scalarParameter,
  type ColumnCategory,
} from "./sql-values.js";
import { parameterValue } from "../../query/resolve-value.js";
import { isoInstant } from "./iso-instant.js";
import { toPostgresRegex } from "./postgres-regex.js";
import type { DateTimeMode } from "./sql-rows.js";
import type { SqlColumnSpec } from "./table-spec.js";

type Sql = RawBuilder<unknown>;

/** What the compiler needs besides the filter. */
export interface FilterContext {
  readonly columns: ReadonlyMap<string, SqlColumnSpec>;
  readonly parameters: readonly unknown[];
  /** What a date-time column's records hold: ISO strings (default) or Dates; a query value compares as the record value would. */
  readonly dates?: DateTimeMode;
}

/** A value being tested: a typed SQL column (or array element), or a jsonb value. */
type Operand =
  | {
      readonly kind: "typed";
      readonly category: ColumnCategory;
      readonly sqlType: string;
      readonly expr: Sql;
      readonly dates?: DateTimeMode;
    }
  | { readonly kind: "json"; readonly expr: Sql };

const TRUE: RawBuilder<SqlBool> = sql<SqlBool>`true`;
const FALSE: RawBuilder<SqlBool> = sql<SqlBool>`false`;
let aliasCounter = 0;

export function unsupported(message: string): QueryError {
  return new QueryError("QUERY_UNSUPPORTED", message);
}

/** Compiles a filter to a boolean SQL expression. */
export function compileFilter(node: FilterNode, context: FilterContext): RawBuilder<SqlBool> {
  return compileNode(node, context, false, undefined);
}

function compileNode(
  node: FilterNode,
  context: FilterContext,
  negated: boolean,
  element: Operand | undefined,
): RawBuilder<SqlBool> {
  switch (node.kind) {
    case "and":
    case "or": {
      // De Morgan: not(and(a,b)) = or(not a, not b).
      const conjunction = (node.kind === "and") !== negated;
      if (node.terms.length === 0) return conjunction ? TRUE : FALSE;
      const parts = node.terms.map((term) => compileNode(term, context, negated, element));
      return sql<SqlBool>`(${sql.join(parts, conjunction ? sql` and ` : sql` or `)})`;
    }
    case "not":
      return compileNode(node.term, context, !negated, element);
    case "search":
      throw unsupported("search() needs a full-text store; the SQL store has no full-text index");
    case "condition": {
      const positive = compileCondition(node, context, element);
      if (!negated) return positive;
      return sql<SqlBool>`not coalesce(${positive}, false)`;
    }
  }
}

/** `ne`, `out`, `excludes`, `notnull` are the negations of `eq`, `in`, `contains`, `isnull`. */
const NEGATIONS: Readonly<Partial<Record<ConditionNode["op"], ConditionNode["op"]>>> = {
  ne: "eq",
  out: "in",
  excludes: "contains",
  notnull: "isnull",
};

function compileCondition(
  node: ConditionNode,
  context: FilterContext,
  element: Operand | undefined,
): RawBuilder<SqlBool> {
  const positiveOp = NEGATIONS[node.op];
  if (positiveOp !== undefined) {
    const positive = compileCondition({ ...node, op: positiveOp }, context, element);
    return sql<SqlBool>`not coalesce(${positive}, false)`;
  }
  const operand = resolveOperand(node.path, context, element);
  if (node.op === "isnull") return isNull(operand);
  if (node.value === undefined)
    throw new QueryError("QUERY_BAD_VALUE", `${node.op}() needs a value`);
  if (node.value.kind === "subquery") {
    if (node.op !== "contains")
      throw unsupported(`a nested query is only allowed in contains/excludes, not ${node.op}()`);
    return containsMatching(operand, node.value.filter, context);
  }
  const value = resolve(node.value, context.parameters);
  switch (node.op) {
    case "eq":
      return value instanceof RegExp ? match(operand, value) : equals(operand, value);
    case "lt":
      return order(operand, "<", value);
    case "le":
      return order(operand, "<=", value);
    case "gt":
      return order(operand, ">", value);
    case "ge":
      return order(operand, ">=", value);
    case "between": {
      if (!Array.isArray(value) || value.length !== 2)
        throw new QueryError("QUERY_BAD_VALUE", "between() needs a list (low, high)");
      return sql<SqlBool>`(${order(operand, ">=", value[0])} and ${order(operand, "<", value[1])})`;
    }
    case "in": {
      const items = Array.isArray(value) ? value : [value];
      if (items.length === 0) return FALSE;
      return sql<SqlBool>`(${sql.join(
        items.map((item) => equals(operand, item)),
        sql` or `,
      )})`;
    }
    case "contains":
      return contains(operand, value);
    case "starts":
      return textTest(operand, value, (text, v) => sql<SqlBool>`starts_with(${text}, ${v}::text)`);
    case "ends":
      return textTest(
        operand,
        value,
        (text, v) => sql<SqlBool>`${text} like ${likeSuffix(v)}::text`,
      );
    case "match":
      return match(operand, value);
    default:
      throw unsupported(`operator ${node.op}() has no SQL translation`);
  }
}

/* ---------- operands ---------- */

function resolveOperand(path: Path, context: FilterContext, element: Operand | undefined): Operand {
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

/** The value of a literal, list or `$n` parameter. */
export function resolve(node: ValueNode, parameters: readonly unknown[]): unknown {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "list":
      return node.items.map((item) => resolve(item, parameters));
    case "param":
      return parameterValue(parameters, node.index);
    case "subquery":
      throw unsupported("a nested query is only allowed as the value of contains/excludes");
  }
}

/* ---------- conditions ---------- */

function isNull(operand: Operand): RawBuilder<SqlBool> {
  if (operand.kind === "json")
    return sql<SqlBool>`(${operand.expr} is null or ${operand.expr} = 'null'::jsonb)`;
  return sql<SqlBool>`${operand.expr} is null`;
}

function typedParam(operand: { category: ColumnCategory; sqlType: string }, value: unknown): Sql {
  return sql`${scalarParameter(value)}::${sql.raw(castFor(operand.category, value, operand.sqlType))}`;
}

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

function equals(operand: Operand, value: unknown): RawBuilder<SqlBool> {
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

/**
 * The operand as the string the record holds, or undefined when the record
 * never holds a string there: text and uuid columns, date-time (as the
 * normalised ISO string, unless records hold Dates) and date columns, and
 * jsonb values that are strings (NULL otherwise).
 */
function textOf(operand: Operand): Sql | undefined {
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
function instantOf(operand: Operand): Sql | undefined {
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

/** A Date query value against the operand, by instant. */
function instantCompare(operand: Operand, op: Comparison | "=", value: Date): RawBuilder<SqlBool> {
  const instant = instantOf(operand);
  if (instant === undefined || Number.isNaN(value.getTime())) return FALSE;
  return sql<SqlBool>`${instant} ${sql.raw(op)} ${value.toISOString()}::timestamptz`;
}

function arrayFromJson(value: readonly unknown[], sqlType: string): Sql {
  const element = sqlType.replace(/\[\]$/, "");
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(value)}::jsonb)::${sql.raw(element)})::${sql.raw(sqlType)}`;
}

type Comparison = "<" | "<=" | ">" | ">=";

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

/** A timestamptz as the normalised ISO string the store reads back. */
function isoText(expr: Sql): Sql {
  return sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

function order(operand: Operand, op: Comparison, value: unknown): RawBuilder<SqlBool> {
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

function contains(operand: Operand, value: unknown): RawBuilder<SqlBool> {
  if (operand.kind === "json") {
    const e = operand.expr;
    const alias = nextAlias();
    const inArray = sql<SqlBool>`exists (select 1 from jsonb_array_elements(${e}) as ${alias}(v) where ${equals({ kind: "json", expr: sql`${alias}.v` }, value)})`;
    return sql<SqlBool>`(case jsonb_typeof(${e}) when 'array' then ${inArray} when 'string' then ${substring(operand, value)} else false end)`;
  }
  if (operand.category === "array") {
    if (value === null || value === undefined)
      return sql<SqlBool>`(array_position(${operand.expr}, null) is not null)`;
    const sqlType = operand.sqlType.replace(/\[\]$/, "");
    const elementCategory = categoryOfSqlType(sqlType);
    if (value instanceof RegExp || value instanceof Date) {
      const alias = nextAlias();
      const element: Operand = {
        kind: "typed",
        category: elementCategory,
        sqlType,
        expr: sql`${alias}.v`,
        dates: operand.dates,
      };
      return sql<SqlBool>`exists (select 1 from unnest(${operand.expr}) as ${alias}(v) where ${equals(element, value)})`;
    }
    if (!isComparable(elementCategory, value)) return FALSE;
    const param = typedParam({ category: elementCategory, sqlType }, value);
    return sql<SqlBool>`(array_position(${operand.expr}, ${param}) is not null)`;
  }
  return substring(operand, value);
}

/** `contains` on a string: a substring, or a pattern it finds. */
function substring(operand: Operand, value: unknown): RawBuilder<SqlBool> {
  if (value instanceof RegExp) return match(operand, value);
  return textTest(operand, value, (text, v) => sql<SqlBool>`strpos(${text}, ${v}::text) > 0`);
}

function nextAlias(): Sql {
  return sql.id(`perstore_e${++aliasCounter}`) as Sql;
}

/** `contains(kids, age=1)`: some element matches the nested filter. */
function containsMatching(
  operand: Operand,
  filter: FilterNode,
  context: FilterContext,
): RawBuilder<SqlBool> {
  const alias = nextAlias();
  if (operand.kind === "json") {
    const element: Operand = { kind: "json", expr: sql`${alias}.v` };
    const test = compileNode(filter, context, false, element);
    return sql<SqlBool>`(case when jsonb_typeof(${operand.expr}) = 'array' then exists (select 1 from jsonb_array_elements(${operand.expr}) as ${alias}(v) where ${test}) else false end)`;
  }
  if (operand.category === "array") {
    const sqlType = operand.sqlType.replace(/\[\]$/, "");
    const element: Operand = {
      kind: "typed",
      category: categoryOfSqlType(sqlType),
      sqlType,
      expr: sql`${alias}.v`,
    };
    const test = compileNode(filter, context, false, element);
    return sql<SqlBool>`exists (select 1 from unnest(${operand.expr}) as ${alias}(v) where ${test})`;
  }
  return FALSE;
}

function textTest(
  operand: Operand,
  value: unknown,
  test: (text: Sql, value: string) => RawBuilder<SqlBool>,
): RawBuilder<SqlBool> {
  if (typeof value !== "string") return FALSE;
  const text = textOf(operand);
  return text === undefined ? FALSE : test(text, value);
}

/** `%` + the suffix with LIKE's wildcards escaped. */
function likeSuffix(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
}

/**
 * `match`, and a pattern as the value of `eq`, `in` or `contains`: the
 * JavaScript regular expression translated to one with the same meaning for
 * `~`; a plain string is read as `re:` (case-insensitive), and one that is
 * not a valid regular expression matches nothing, as in the interpreter.
 */
function match(operand: Operand, value: unknown): RawBuilder<SqlBool> {
  let pattern: RegExp;
  if (value instanceof RegExp) pattern = value;
  else if (typeof value === "string") {
    try {
      pattern = new RegExp(value, "i");
    } catch {
      return FALSE;
    }
  } else return FALSE;
  const source = toPostgresRegex(pattern.source, pattern.flags);
  return textTest(operand, source, (text, v) => sql<SqlBool>`${text} ~ ${v}::text`);
}

export { elementSqlType };
