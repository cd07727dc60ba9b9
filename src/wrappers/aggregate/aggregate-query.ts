/**
 * Queries over an aggregate store. Where the query's filter and sort name
 * properties of one part only, that part answers it (the page, its order and
 * totalCount), and the other parts' data is joined into the page by id; a
 * projection or result operator that names only that part's properties is
 * left to it entirely. A filter or sort spanning parts is evaluated over the
 * joined records with `executeQuery` (every part read in full), or refused
 * with AGGREGATE_QUERY_SPANS_PARTS when the aggregate was made with
 * `scan: false`. Either way the answer is the one a single store holding
 * the joined records gives.
 */
import { QueryError } from "../../errors/index.js";
import type { FilterNode, Path, Query } from "../../query/ast.js";
import { executeQuery } from "../../query/execute-query.js";
import { parseQuery } from "../../query/parse-query.js";
import { pageOptions } from "../../store/page-options.js";
import type { Id, QueryInput, QueryOptions, Results } from "../../store/types.js";
import { joinRows, partOf, type Parts } from "./parts.js";

type Row = Record<string, unknown>;
const EVERYTHING: Query = {
  kind: "query",
  filter: { kind: "and", terms: [] },
  sort: [],
  distinct: false,
};

/** The parts a query's paths live in; `undefined` in the set when a path names no part (or the whole record). */
function partsOf(parts: Parts, paths: readonly Path[]): Set<number | undefined> {
  const out = new Set<number | undefined>();
  for (const path of paths) {
    if (path.length === 0) out.add(undefined);
    else if (path[0] !== parts.idProperty) out.add(partOf(parts, path[0]!));
  }
  return out;
}

/** The paths a filter names (a subquery's paths are relative to elements, so only its condition's path counts). */
function filterPaths(node: FilterNode, out: Path[] = []): Path[] {
  switch (node.kind) {
    case "condition":
      out.push(node.path);
      break;
    case "and":
    case "or":
      for (const term of node.terms) filterPaths(term, out);
      break;
    case "not":
      filterPaths(node.term, out);
      break;
    case "search":
      out.push([]); // full-text search reads fields no path names: answered over whole records
  }
  return out;
}

/** The single part holding everything in `sets`, or undefined when they span parts. */
function single(...sets: Set<number | undefined>[]): number | undefined | "none" {
  const all = new Set<number | undefined>();
  for (const set of sets) for (const part of set) all.add(part);
  if (all.size === 0) return "none";
  if (all.size > 1 || all.has(undefined)) return undefined;
  return [...all][0];
}

/** Runs `input` over the aggregate's parts. */
export async function queryParts(
  parts: Parts,
  scan: boolean,
  input: QueryInput,
  given: QueryOptions = {},
): Promise<unknown> {
  const query = parseQuery(input);
  const options = { ...given, ...pageOptions(given) };
  const { stores } = parts;
  if (query.aggregate === undefined && query.recurse === undefined) {
    const where = partsOf(parts, [...filterPaths(query.filter), ...query.sort.map((k) => k.path)]);
    const output = partsOf(parts, [
      ...(query.projection?.kind === "unselect" ? [[]] : (query.projection?.paths ?? [])),
      ...(query.result !== undefined && "path" in query.result ? [query.result.path] : []),
    ]);
    const wholeRecords =
      query.projection?.kind === "unselect" ||
      (query.projection === undefined &&
        (query.result === undefined ||
          query.result.kind === "first" ||
          query.result.kind === "one"));
    const alone = single(where, output);
    if (!wholeRecords && alone !== undefined)
      return stores[alone === "none" ? 0 : alone]!.query!(query, options);
    const pagePart = single(where);
    if (pagePart !== undefined && !query.distinct)
      return joinPage(parts, pagePart === "none" ? 0 : pagePart, query, options);
  }
  if (!scan)
    throw new QueryError(
      "AGGREGATE_QUERY_SPANS_PARTS",
      "aggregate: this query's filter or sort names properties of several parts (or groups, recurses or " +
        "searches), which this aggregate was made not to answer (scan: false)",
    );
  const everything = await Promise.all(stores.map((store) => store.query!(EVERYTHING)));
  return executeQuery(joinAll(parts, everything as Row[][]), query, {
    ...options,
    idProperty: parts.idProperty,
  });
}

/** The page from part `at` (filter, sort, paging), joined with the other parts' rows, then projected. */
async function joinPage(
  parts: Parts,
  at: number,
  query: Query,
  options: QueryOptions,
): Promise<unknown> {
  const page = (await parts.stores[at]!.query!(
    { ...query, projection: undefined, result: undefined },
    options,
  )) as Results<Row>;
  const joined = await Promise.all(
    page.map(async (row) => {
      const id = row[parts.idProperty] as Id;
      const rows = await Promise.all(
        parts.stores.map((store, i) =>
          i === at ? row : (store.get!(id) as Promise<Row | undefined>),
        ),
      );
      return joinRows(parts, rows)!;
    }),
  );
  if (query.projection === undefined && query.result === undefined)
    return Object.assign(joined, { totalCount: page.totalCount });
  // What is left runs over the page exactly as the store would after its limit.
  const rest = executeQuery(joined, {
    ...EVERYTHING,
    projection: query.projection,
    result: query.result,
  });
  return query.result === undefined
    ? Object.assign(rest as Row[], { totalCount: page.totalCount })
    : rest;
}

/** Every record: each part's rows joined by id (in part 0's order, then ids only later parts have). */
function joinAll(parts: Parts, everything: readonly Row[][]): Row[] {
  const byId = new Map<Id, (Row | undefined)[]>();
  everything.forEach((rows, i) => {
    for (const row of rows) {
      const id = row[parts.idProperty] as Id;
      let entry = byId.get(id);
      if (entry === undefined) byId.set(id, (entry = parts.stores.map(() => undefined)));
      entry[i] = row;
    }
  });
  return [...byId.values()].map((rows) => joinRows(parts, rows)!);
}
