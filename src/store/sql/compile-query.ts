/**
 * A whole query (filter, aggregate, sort, projection, distinct, limit and
 * result operator, in the AST's fixed order) compiled to one SELECT statement
 * per call, so a page and its totalCount come back in one round trip
 * (`count(*) over ()`). Projections and result operators run in SQL over the
 * page, never by fetching the table.
 */
import { sql, type RawBuilder, type SqlBool } from "kysely";
import { QueryError } from "../../errors/index.js";
import type { FilterNode, Path, Query, SortKey } from "../../query/ast.js";
import { compileFilter, resolve, type FilterContext } from "./compile-filter.js";
import { relevance } from "./full-text.js";
import { pageOptions } from "../page-options.js";
import { unsupported } from "./unsupported.js";
import { discriminatorFilter } from "./sql-rows.js";
import { categoryOf } from "./sql-values.js";
import { columnAsJson, jsonOrderKey } from "./json-order.js";
import type { SqlColumnSpec, SqlTableSpec } from "./table-spec.js";

type Sql = RawBuilder<unknown>;

/** The column holding `count(*) over ()`; its name cannot be a property (it starts with a space). */
export const TOTAL_COLUMN = " perstore_total";

export interface QueryContext extends FilterContext {
  readonly spec: SqlTableSpec;
  /** The table reference, schema-qualified when the store has a schema. */
  readonly table: Sql;
}

/** The page a query asks for, after combining `limit(count, start, maxCount)` with the caller's start/end. */
export interface Page {
  readonly offset: number;
  readonly count: number | undefined;
  readonly maxCount: number | undefined;
}

export function pageOf(
  query: Query,
  parameters: readonly unknown[],
  options: { start?: number; end?: number },
): Page {
  const number = (value: unknown, what: string): number => {
    if (typeof value !== "number" || !(value >= 0))
      throw new QueryError("QUERY_BAD_VALUE", `${what} must be a number >= 0`);
    return Math.floor(value);
  };
  let offset = 0;
  let count: number | undefined;
  let maxCount: number | undefined;
  if (query.limit !== undefined) {
    const limitCount = resolve(query.limit.count, parameters);
    if (limitCount !== Infinity) count = number(limitCount, "limit count");
    if (query.limit.start !== undefined)
      offset = number(resolve(query.limit.start, parameters), "limit start");
    if (query.limit.maxCount !== undefined)
      maxCount = number(resolve(query.limit.maxCount, parameters), "limit maxCount");
  }
  // The caller's start/end page within the query's own page (checked as every store checks them).
  const page = pageOptions(options);
  const start = page.start ?? 0;
  offset += start;
  if (count !== undefined) count = Math.max(0, count - start);
  if (page.end !== undefined && page.end !== Infinity) {
    const span = Math.max(0, page.end - start);
    count = count === undefined ? span : Math.min(count, span);
  }
  // The caller's cap on the count (QueryOptions.maxCount) joins the query's own.
  if (page.maxCount !== undefined && page.maxCount !== Infinity)
    maxCount = Math.min(maxCount ?? Infinity, page.maxCount);
  return { offset, count, maxCount };
}

export function column(context: QueryContext, path: Path, what: string): SqlColumnSpec {
  const [name, ...rest] = path;
  const spec = name === undefined ? undefined : context.columns.get(name);
  if (spec === undefined)
    throw new QueryError("QUERY_UNKNOWN_PROPERTY", `unknown property "${path.join("/")}"`);
  if (rest.length > 0)
    throw unsupported(`${what} on the nested path ${path.join("/")} has no SQL translation`);
  return spec;
}

/**
 * The `ORDER BY` terms of a query, or `undefined` when its order is not
 * defined and nothing needs one (see "Natural order" in
 * docs/query-language.md): sort keys in the memory store's order (nulls
 * first ascending, last descending, code-point text, JSON values and arrays
 * by `jsonOrderKey`) with a primary key tie-break; with no sort keys, a
 * `filter` that searches orders by relevance. A query with neither comes in
 * the database's order, unless `paged` (a page or first() must be the same
 * on every call): then by the primary key as the primary key index is
 * ordered, so a page is an index scan, not a sort of the table.
 */
export function orderBy(
  context: QueryContext,
  sort: readonly SortKey[],
  filter: FilterNode | undefined,
  paged: boolean,
): Sql | undefined {
  const terms: Sql[] = [];
  const seen = new Set<string>();
  // No sort and a search: by relevance (ts_rank), ties by primary key.
  const rank =
    sort.length === 0 && filter !== undefined
      ? relevance(filter, context.fullText, context.parameters)
      : undefined;
  if (sort.length === 0 && rank === undefined)
    return paged ? sql.id(context.spec.primaryKey) : undefined;
  if (rank !== undefined) terms.push(sql`${rank} desc`);
  for (const key of sort) {
    const [name, ...rest] = key.path;
    const top = name === undefined ? undefined : context.columns.get(name);
    const direction = key.descending ? sql` desc` : sql` asc`;
    if (top !== undefined && rest.length > 0 && categoryOf(top) === "json") {
      const value = sql`jsonb_extract_path(${sql.id(top.name)}, ${sql.join(rest.map((k) => sql`${k}::text`))})`;
      terms.push(sql`${jsonOrderKey(value)}${direction}`);
      continue;
    }
    const spec = column(context, key.path, "sort");
    const category = categoryOf(spec);
    seen.add(spec.name);
    if (category === "json" || category === "array") {
      terms.push(sql`${jsonOrderKey(columnAsJson(spec, sql.id(spec.name), "sort"))}${direction}`);
      continue;
    }
    const nullable = spec.nullable && spec.name !== context.spec.primaryKey;
    terms.push(sortTerm(sql.id(spec.name), category === "text", key.descending, nullable));
  }
  if (!seen.has(context.spec.primaryKey)) {
    const pk = context.columns.get(context.spec.primaryKey);
    terms.push(
      sortTerm(
        sql.id(context.spec.primaryKey),
        pk !== undefined && categoryOf(pk) === "text",
        false,
        false,
      ),
    );
  }
  return sql.join(terms);
}

/**
 * One sort term. A column that holds no NULL (the primary key, NOT NULL
 * columns) gets no NULLS clause: it would not change the order, and an index
 * serves only the default one (NULLS LAST ascending, NULLS FIRST descending).
 */
function sortTerm(expr: Sql, text: boolean, descending: boolean, nullable: boolean): Sql {
  const value = text ? sql`${expr} collate "C"` : expr;
  if (!nullable) return descending ? sql`${value} desc` : sql`${value} asc`;
  return descending ? sql`${value} desc nulls last` : sql`${value} asc nulls first`;
}

/** The WHERE clause: the filter, plus the discriminator of an inherited model. */
export function whereOf(context: QueryContext, query: Query): RawBuilder<SqlBool> {
  const filter = compileFilter(query.filter, context);
  if (context.spec.discriminator === undefined) return filter;
  return sql<SqlBool>`${filter} and ${discriminatorFilter(context.spec)}`;
}

export function selectList(columns: readonly SqlColumnSpec[]): Sql {
  return sql.join(columns.map((c) => sql.id(c.name)));
}

export function limitClause(page: Page): Sql {
  const limit = page.count === undefined ? sql`` : sql` limit ${page.count}`;
  const offset = page.offset === 0 ? sql`` : sql` offset ${page.offset}`;
  return sql`${limit}${offset}`;
}

/** The columns a projection keeps (for select/unselect/values on top-level properties). */
export function projectedColumns(context: QueryContext, query: Query): SqlColumnSpec[] | undefined {
  const projection = query.projection;
  if (projection === undefined) return undefined;
  const named = projection.paths.map((path) => column(context, path, projection.kind));
  if (projection.kind === "unselect") {
    const dropped = new Set(named.map((c) => c.name));
    return context.spec.columns.filter((c) => !dropped.has(c.name));
  }
  return named;
}

/** `count(*)` window or the aggregate expression for `fn(column)`. */
export function aggregateExpression(
  fn: "count" | "sum" | "mean" | "min" | "max",
  spec: SqlColumnSpec | undefined,
  source: Sql,
): Sql {
  if (fn === "count") return sql`count(*)::float8`;
  if (spec === undefined) throw new QueryError("QUERY_BAD_VALUE", `${fn}() needs a property`);
  const category = categoryOf(spec);
  const ref = sql`${source}.${sql.id(spec.name)}`;
  if (fn === "sum" || fn === "mean") {
    if (category !== "integer" && category !== "float")
      throw unsupported(`${fn}() of the non-numeric "${spec.name}" has no SQL translation`);
    return fn === "sum" ? sql`coalesce(sum(${ref})::float8, 0)` : sql`avg(${ref})::float8`;
  }
  if (category === "json")
    // Distinct objects compare equal, so which one min/max gives would depend on the natural order.
    throw unsupported(`${fn}() of "${spec.name}" (${spec.sqlType}) has no SQL translation`);
  if (category === "array") {
    // Ties are equal arrays (their elements are text, numbers or booleans), so any one is the answer.
    const json = columnAsJson(spec, ref, `${fn}()`);
    const direction = fn === "min" ? sql`asc` : sql`desc`;
    return sql`(array_agg(${json} order by ${jsonOrderKey(json)} ${direction}) filter (where ${ref} is not null))[1]`;
  }
  const value = category === "text" ? sql`${ref} collate "C"` : ref;
  return sql`${sql.raw(fn)}(${value})`;
}
