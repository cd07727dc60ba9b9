import { QueryError } from "../errors/index.js";
import type { FilterNode, JsonQuery, Query, QuerySchema, Results, ValueNode } from "./ast.js";
import { aggregateRecords, aggregateValues } from "./aggregate-records.js";
import { distinctValues } from "./distinct-values.js";
import { matches } from "./matches.js";
import { parseQuery } from "./parse-query.js";
import { checkPatternParameters } from "./pattern/check-parameters.js";
import { project } from "./project.js";
import { recurseRecords } from "./recurse-records.js";
import { resolveValue } from "./resolve-value.js";
import { firstSorted, sortRecords } from "./sort-records.js";

/** Options of `executeQuery`: parameters, tie-breaking key, schema and a page. */
export interface ExecuteQueryOptions {
  /** Values for `$1`, `$2`, ... */
  readonly parameters?: readonly unknown[];
  /** Primary key, used to break sort ties (default `id`). */
  readonly idProperty?: string;
  /** Check and type the query against a model's properties first. */
  readonly schema?: QuerySchema;
  /** Page start (0-based), applied after the query's own `limit`. */
  readonly start?: number;
  /** Page end (exclusive), applied after the query's own `limit`. */
  readonly end?: number;
}

/** The filter step: the matching records, in order, as a new array; `executeQuery` uses the compiled loop when it can. */
export type RecordFilter = (
  records: readonly unknown[],
  parameters: readonly unknown[],
) => unknown[];

let filterFor: (query: Query) => RecordFilter = (query) => {
  const filter: FilterNode = query.filter;
  return (records, parameters) => records.filter((record) => matches(filter, record, parameters));
};

/** Lets the compiler module plug its cached predicates in (avoids an import cycle). */
export function setFilterFactory(factory: (query: Query) => RecordFilter): void {
  filterFor = factory;
}

function pageNumber(
  node: ValueNode | undefined,
  parameters: readonly unknown[],
  what: string,
): number | undefined {
  if (node === undefined) return undefined;
  const value = resolveValue(node, parameters);
  if (
    typeof value !== "number" ||
    !(value >= 0) ||
    (!Number.isInteger(value) && value !== Infinity)
  ) {
    throw new QueryError(
      "QUERY_BAD_VALUE",
      `limit() ${what} must be a non-negative whole number, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Runs a query over an array in the fixed order: filter -> recurse ->
 * aggregate -> sort -> projection -> distinct -> totalCount -> limit (and
 * `options.start/end`) -> result operator. Record queries return `Results`
 * (a new array with `totalCount`; unsorted results keep the input order);
 * `count sum mean min max first one` return their value. Neither the array
 * nor its records are changed; results hold the same record objects unless
 * projected or aggregated (stores copy what they hand out).
 * @example executeQuery(people, "age>=18&sort(-age)&limit(10)")
 * @example executeQuery(people, "country=$1&count()", { parameters: ["Canada"] }) // 42
 */
export function executeQuery<T>(
  records: readonly T[],
  query: Query | string | JsonQuery,
  options: ExecuteQueryOptions = {},
): Results<T> | unknown {
  const parsed = parseQuery(query, options.schema ? { schema: options.schema } : {});
  const parameters = options.parameters ?? [];
  checkPatternParameters(parsed.filter, parameters);
  let items = filterFor(parsed)(records, parameters);
  if (parsed.recurse) items = recurseRecords(items, parsed.recurse);
  if (parsed.aggregate) items = aggregateRecords(items, parsed.aggregate);
  const count = pageNumber(parsed.limit?.count, parameters, "count");
  const start = pageNumber(parsed.limit?.start, parameters, "start") ?? 0;
  const maxCount = pageNumber(parsed.limit?.maxCount, parameters, "maxCount");
  // A sorted page needs only its first rows in order (distinct could drop some of them, so not then).
  const matched = items.length;
  if (parsed.sort.length > 0) {
    const idProperty = options.idProperty ?? "id";
    const end = options.end !== undefined && options.end >= 0 ? options.end : Infinity;
    const page = parsed.distinct ? Infinity : count !== undefined ? start + count : end;
    items =
      page < items.length
        ? firstSorted(items, parsed.sort, idProperty, page)
        : sortRecords(items, parsed.sort, idProperty);
  }
  if (parsed.projection) items = project(items, parsed.projection);
  if (parsed.distinct) items = distinctValues(items);
  let totalCount = parsed.distinct ? items.length : matched;
  if (count !== undefined) {
    if (maxCount !== undefined) totalCount = Math.min(totalCount, maxCount);
    items = items.slice(start, count === Infinity ? undefined : start + count);
  }
  if (options.start !== undefined || options.end !== undefined) {
    items = items.slice(Math.max(0, options.start ?? 0), options.end);
  }
  const result = parsed.result;
  if (result) {
    switch (result.kind) {
      case "count":
        return items.length;
      case "first":
        return items[0];
      case "one":
        if (items.length !== 1) {
          throw new QueryError(
            "QUERY_NOT_ONE",
            `one() expected exactly one result, found ${items.length}`,
          );
        }
        return items[0];
      default:
        return aggregateValues(result.kind, items, result.path);
    }
  }
  return Object.assign(items as T[], { totalCount });
}
