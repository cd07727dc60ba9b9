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
 * This module walks the filter; the operator families are in comparisons.ts
 * (eq, ordering, in, between), contains.ts, text-match.ts (starts, ends,
 * match) and filter-operand.ts (what a path names).
 *
 * @example
 * compileFilter(parseQuery("age>=18&ne(country,CA)").filter, context)
 * // "age" >= $1::bigint and not coalesce("country" = $2::text, false)
 */
import { sql, type RawBuilder, type SqlBool } from "kysely";
import { QueryError } from "../../errors/index.js";
import type { ConditionNode, FilterNode, ValueNode } from "../../query/ast.js";
import { parameterValue } from "../../query/resolve-value.js";
import { equals, isNull, order } from "./comparisons.js";
import { contains } from "./contains.js";
import { FALSE, nextAlias, resolveOperand, TRUE, type Operand } from "./filter-operand.js";
import type { DateTimeMode } from "./sql-rows.js";
import { categoryOfSqlType, elementSqlType } from "./sql-values.js";
import { searchCondition } from "./full-text.js";
import type { SqlColumnSpec, SqlFullTextSpec } from "./table-spec.js";
import { likeSuffix, match, textTest } from "./text-match.js";
import { unsupported } from "./unsupported.js";

/** What the compiler needs besides the filter. */
export interface FilterContext {
  readonly columns: ReadonlyMap<string, SqlColumnSpec>;
  readonly parameters: readonly unknown[];
  /** What a date-time column's records hold: ISO strings (default) or Dates; a query value compares as the record value would. */
  readonly dates?: DateTimeMode;
  /** The table's full-text column, which answers `search(words)` (see full-text.ts). */
  readonly fullText?: SqlFullTextSpec;
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
    case "search": {
      if (element !== undefined) throw unsupported("search() inside a nested query");
      const test = searchCondition(node, context.fullText, context.parameters);
      return negated ? sql<SqlBool>`not coalesce(${test}, false)` : test;
    }
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

export { elementSqlType };
