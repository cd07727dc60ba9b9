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
export interface ExecuteQueryOptions<T = unknown> {
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
  /**
   * Count matches only up to this many: `totalCount` is `min(matches,
   * maxCount)`, as with `limit()`'s third argument, and an unsorted page stops
   * filtering once it holds its records and `maxCount` matches.
   */
  readonly maxCount?: number;
  /**
   * The number of matches among the caller's whole set, when `records` hold
   * only a part of them that contains the sorted page (a store that found
   * the page's records through an index): `totalCount` counts from it.
   */
  readonly matched?: number;
  /**
   * Makes each record of a record result (a store's copy of what it hands
   * out). When the result is the filtered records themselves (no sort, page,
   * projection or other step), each is made as the filter keeps it, while
   * the record the test just read is still in the processor's cache.
   */
  readonly copy?: (record: T) => T;
}

/** What a query's page needs: its `limit()`, how far into the ordered matches it reaches, the cap on its count. */
export interface QueryPage {
  readonly count: number | undefined;
  readonly start: number;
  readonly maxCount: number;
  readonly pageEnd: number;
}

/** The page of `query` with the caller's `end` and `maxCount` (see `ExecuteQueryOptions`). */
export function queryPage(
  query: Query,
  parameters: readonly unknown[],
  options: Pick<ExecuteQueryOptions, "end" | "maxCount">,
): QueryPage {
  const count = pageNumber(query.limit?.count, parameters, "count");
  const start = pageNumber(query.limit?.start, parameters, "start") ?? 0;
  const maxCount = Math.min(
    pageNumber(query.limit?.maxCount, parameters, "maxCount") ?? Infinity,
    options.maxCount ?? Infinity,
  );
  // The limit's page, then start/end within it.
  const pageEnd = Math.min(
    count === undefined ? Infinity : start + count,
    options.end === undefined ? Infinity : (count === undefined ? 0 : start) + options.end,
  );
  return { count, start, maxCount, pageEnd };
}

/**
 * The filter step: the matching records, in order, as a new array, stopping
 * once it holds `limit` of them (default: every match); `executeQuery` uses
 * the compiled loop when it can.
 */
export type RecordFilter = (
  records: readonly unknown[],
  parameters: readonly unknown[],
  limit?: number,
  map?: (record: unknown) => unknown,
) => unknown[];

let filterFor: (query: Query) => RecordFilter = (query) => {
  const filter: FilterNode = query.filter;
  return (records, parameters, limit = Infinity, map) => {
    const out: unknown[] = [];
    for (let i = 0; i < records.length && out.length < limit; i++)
      if (matches(filter, records[i], parameters))
        out.push(map === undefined ? records[i] : map(records[i]));
    return out;
  };
};

/** Whether a filter matches every record (`and()` with no terms: an empty query). */
export function matchesEverything(filter: FilterNode): boolean {
  return filter.kind === "and" && filter.terms.length === 0;
}

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
 * projected or aggregated, or made by `options.copy`.
 * @example executeQuery(people, "age>=18&sort(-age)&limit(10)")
 * @example executeQuery(people, "country=$1&count()", { parameters: ["Canada"] }) // 42
 */
export function executeQuery<T>(
  records: readonly T[],
  query: Query | string | JsonQuery,
  options: ExecuteQueryOptions<T> = {},
): Results<T> | unknown {
  const parsed = parseQuery(query, options.schema ? { schema: options.schema } : {});
  const parameters = options.parameters ?? [];
  checkPatternParameters(parsed.filter, parameters);
  const { count, start, maxCount, pageEnd } = queryPage(parsed, parameters, options);
  const plain = !parsed.recurse && !parsed.aggregate && !parsed.distinct;
  // The result is the filtered records themselves: copy each as the filter keeps it.
  const copyWhileFiltering =
    options.copy !== undefined &&
    plain &&
    parsed.sort.length === 0 &&
    !parsed.projection &&
    !parsed.result &&
    count === undefined &&
    options.start === undefined &&
    options.end === undefined;
  // An empty filter keeps every record: no pass over them, and the count is their number.
  // (`items` may then be the caller's own array: every later step makes a new one.)
  let items: readonly T[];
  let matched: number;
  if (matchesEverything(parsed.filter)) {
    items = copyWhileFiltering ? records.map((record) => options.copy!(record)) : records;
    matched = records.length;
  } else {
    // Unsorted, a page with a bounded count needs only its first matches.
    const enough =
      plain && parsed.sort.length === 0 && maxCount !== Infinity
        ? Math.max(pageEnd, maxCount)
        : Infinity;
    const map = copyWhileFiltering ? (options.copy as (record: unknown) => unknown) : undefined;
    items = filterFor(parsed)(records, parameters, enough, map) as T[];
    matched = items.length;
  }
  if (parsed.recurse) items = recurseRecords(items, parsed.recurse) as T[];
  if (parsed.aggregate) items = aggregateRecords(items as T[], parsed.aggregate) as T[];
  if (!plain) matched = items.length;
  else if (options.matched !== undefined) matched = options.matched;
  // A sorted page needs only its first rows in order (distinct could drop some of them, so not then).
  if (parsed.sort.length > 0) {
    const idProperty = options.idProperty ?? "id";
    const page = parsed.distinct ? Infinity : pageEnd;
    items =
      page < items.length
        ? firstSorted(items, parsed.sort, idProperty, page)
        : sortRecords(items, parsed.sort, idProperty);
  }
  if (parsed.projection) items = project(items as T[], parsed.projection) as T[];
  if (parsed.distinct) items = distinctValues(items as T[]) as T[];
  const totalCount = Math.min(parsed.distinct ? items.length : matched, maxCount);
  if (count !== undefined)
    items = items.slice(start, count === Infinity ? undefined : start + count);
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
  const out = items === records ? records.slice() : (items as T[]);
  if (options.copy !== undefined && !copyWhileFiltering) {
    for (let i = 0; i < out.length; i++) out[i] = options.copy(out[i]!);
  }
  return Object.assign(out, { totalCount });
}
