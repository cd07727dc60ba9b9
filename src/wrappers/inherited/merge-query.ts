/**
 * A query over several stores holding one hierarchy's records, answered as
 * one store holding all of them would. A record query asks every store for
 * its first `end` sorted records only (the page's end, not everything),
 * merges them k-way with the one record order (`compareValues` on the sort
 * keys, then the id, then the store's position), and cuts the page;
 * `totalCount` is the sum of the stores' counts. Unsorted, the stores'
 * records follow one another (base first). `count()` sums the stores'
 * counts. What a page of each store cannot answer (distinct, aggregate(),
 * recurse, other result operators, limit's maxCount) is evaluated over every
 * matching record of every store with `executeQuery`.
 */
import type { LiteralNode, Query, ValueNode } from "../../query/ast.js";
import { compareValues } from "../../query/compare.js";
import { executeQuery } from "../../query/execute-query.js";
import { parseQuery } from "../../query/parse-query.js";
import { getPath } from "../../query/path.js";
import { resolveValue } from "../../query/resolve-value.js";
import { pageOptions } from "../../store/page-options.js";
import type { QueryInput, QueryOptions, Results, Store } from "../../store/types.js";

type Row = Record<string, unknown>;

/** Each store's records as the merge sees them (a sub-store's records tagged with their type). */
export interface MergeSources {
  readonly stores: readonly Store<any>[];
  readonly idProperty: string;
  /** Called on each record a store gives, with the store's position. */
  readonly tag: (record: Row, store: number) => Row;
}

const literal = (value: number): LiteralNode => ({ kind: "literal", value, type: "number" });

/** A page bound as a number, or undefined when it is not a plain non-negative whole number (then executeQuery decides). */
function bound(node: ValueNode | undefined, parameters: readonly unknown[]): number | undefined {
  if (node === undefined) return undefined;
  const value = resolveValue(node, parameters);
  return typeof value === "number" && value >= 0 && (Number.isInteger(value) || value === Infinity)
    ? value
    : undefined;
}

export async function mergeQuery(
  sources: MergeSources,
  input: QueryInput,
  given: QueryOptions = {},
): Promise<unknown> {
  const query = parseQuery(input);
  const options = { ...given, ...pageOptions(given) };
  const parameters = options.parameters ?? [];
  const simple =
    query.aggregate === undefined &&
    query.recurse === undefined &&
    !query.distinct &&
    query.limit?.maxCount === undefined;
  const count = bound(query.limit?.count, parameters);
  const start = query.limit === undefined ? 0 : bound(query.limit.start ?? literal(0), parameters);
  if (simple && query.result?.kind === "count" && query.limit === undefined) {
    const counts = await each(sources, query, options);
    return (counts as number[]).reduce((a, b) => a + b, 0);
  }
  if (
    !simple ||
    query.result !== undefined ||
    (query.limit !== undefined && (count === undefined || start === undefined))
  )
    return scanAll(sources, query, options);
  // The absolute window [from, to) that the query's limit and the options' page leave.
  const limitEnd = count === undefined ? Infinity : start! + count;
  const from = (start ?? 0) + Math.max(0, options.start ?? 0);
  const to = Math.min(
    limitEnd,
    options.end === undefined || options.end < 0 ? Infinity : (start ?? 0) + options.end,
  );
  // Parsed (frozen) once, so every store finds its compiled predicate by this one object.
  const perStore: Query = parseQuery({
    ...query,
    projection: undefined,
    limit: to === Infinity ? undefined : { count: literal(Math.max(to, 0)), start: literal(0) },
  } as Query);
  const pages = (await each(sources, perStore, { parameters })) as Results<Row>[];
  const merged =
    query.sort.length === 0 ? pages.flat() : mergeSorted(pages, query, sources.idProperty);
  const page = merged.slice(from, Math.max(from, to));
  const totalCount = pages.reduce((sum, p) => sum + p.totalCount, 0);
  if (query.projection === undefined) return Object.assign(page, { totalCount });
  const projected = executeQuery(page, {
    kind: "query",
    filter: { kind: "and", terms: [] },
    sort: [],
    distinct: false,
    projection: query.projection,
  }) as Row[];
  return Object.assign([...projected], { totalCount });
}

/** Every store's answer to `query`, records tagged. */
async function each(
  sources: MergeSources,
  query: Query,
  options: QueryOptions,
): Promise<unknown[]> {
  const answers = await Promise.all(sources.stores.map((store) => store.query!(query, options)));
  return answers.map((answer, i) =>
    Array.isArray(answer)
      ? Object.assign(
          answer.map((r: Row) => sources.tag(r, i)),
          { totalCount: (answer as Results<Row>).totalCount },
        )
      : answer,
  );
}

/** The general case: every matching record of every store, then the whole query over them. */
async function scanAll(
  sources: MergeSources,
  query: Query,
  options: QueryOptions,
): Promise<unknown> {
  const matching = parseQuery({
    kind: "query",
    filter: query.filter,
    sort: [],
    distinct: false,
  } as Query);
  const all = (await each(sources, matching, { parameters: options.parameters })) as Row[][];
  return executeQuery(
    all.flat(),
    { ...query, filter: { kind: "and", terms: [] } },
    {
      ...options,
      idProperty: sources.idProperty,
    },
  );
}

/** A k-way merge of sorted pages: at each step the least head (sort keys, then id, then store position). */
function mergeSorted(pages: readonly Row[][], query: Query, idProperty: string): Row[] {
  const keys = query.sort;
  const idPath = [idProperty];
  const order = (a: Row, b: Row) => {
    for (const key of keys) {
      const c = compareValues(getPath(a, key.path), getPath(b, key.path));
      if (c !== 0) return key.descending ? -c : c;
    }
    return compareValues(getPath(a, idPath), getPath(b, idPath));
  };
  const heads = pages.map(() => 0);
  const out: Row[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < pages.length; i++) {
      if (heads[i]! >= pages[i]!.length) continue;
      if (best < 0 || order(pages[i]![heads[i]!]!, pages[best]![heads[best]!]!) < 0) best = i;
    }
    if (best < 0) return out;
    out.push(pages[best]![heads[best]!++]!);
  }
}
