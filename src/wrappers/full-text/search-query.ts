/**
 * Runs a query holding `search(words)` with the wrapper's own index: the
 * index gives each search's matching ids and scores; the store gives the
 * records; the query engine does everything else (the other conditions with
 * `matches`, then sort, projection, distinct, paging and result operators with
 * `executeQuery`), so those terms mean exactly what they mean everywhere.
 *
 * - A search that every match must pass (the filter, or a term of a top-level
 *   `and`) picks the candidates: only its hits are read from the store. Other
 *   filters read every record (`or(search(a), eq(x,1))`, `not(search(a))`).
 * - With no sort, results come by relevance: the sum of the scores of the
 *   searches not under `not`, best first, ties by id.
 * - A filter of searches only, with no sort, projection, distinct or result
 *   operator, reads just the page's records.
 */
import type { FilterNode, Query, SearchNode } from "../../query/ast.js";
import { compareValues } from "../../query/compare.js";
import { executeQuery } from "../../query/execute-query.js";
import { matches } from "../../query/matches.js";
import { rankingSearches, searchText } from "../../query/search-terms.js";
import type { Id, QueryOptions, Results, Store } from "../../store/types.js";
import type { SearchIndex } from "./search-index.js";

type Row = Record<string, unknown>;
type Hits = ReadonlyMap<Id, number>;

const EVERYTHING: FilterNode = Object.freeze({ kind: "and", terms: Object.freeze([]) });

/** What a search query runs over. */
export interface SearchContext<T extends object> {
  readonly store: Store<T>;
  readonly idProperty: string;
  readonly index: SearchIndex;
}

export async function searchQuery<T extends object>(
  context: SearchContext<T>,
  query: Query,
  options: QueryOptions,
): Promise<unknown> {
  const parameters = options.parameters ?? [];
  const hits = new Map<SearchNode, Hits>();
  const hitsOf = (node: SearchNode): Hits => {
    let found = hits.get(node);
    if (found === undefined)
      hits.set(node, (found = context.index.search(searchText(node, parameters))));
    return found;
  };
  const ranking = rankingSearches(query.filter);
  const scores = scoresOf(ranking.map(hitsOf));
  const byRelevance = query.sort.length === 0 && ranking.length > 0;
  const ordered = (ids: Iterable<Id>): Id[] => {
    const pairs: [Id, number][] = [];
    for (const id of ids) pairs.push([id, scores.get(id) ?? 0]);
    // Hits come best first already, so this sort mostly breaks ties.
    pairs.sort((a, b) => b[1] - a[1] || compareValues(a[0], b[0]));
    return pairs.map((pair) => pair[0]);
  };
  const rest = () => withoutFilter(query);

  // Searches only: order and page the ids, then read only the page.
  const searches = searchesOnly(query.filter);
  if (
    searches !== undefined &&
    byRelevance &&
    query.projection === undefined &&
    !query.distinct &&
    query.result === undefined &&
    query.aggregate === undefined &&
    query.recurse === undefined
  ) {
    const ids = ordered(intersect(searches.map(hitsOf)));
    const stubs = ids.map((id) => ({ [context.idProperty]: id }));
    const page = executeQuery(stubs, rest(), {
      ...options,
      idProperty: context.idProperty,
    }) as Results<Row>;
    const records = await read(
      context,
      page.map((stub) => stub[context.idProperty] as Id),
    );
    return Object.assign(records, { totalCount: page.totalCount });
  }

  const candidates = requiredSearch(query.filter);
  let records: T[];
  if (candidates !== undefined) {
    const ids = hitsOf(candidates).keys();
    records = await read(context, byRelevance ? ordered(ids) : [...ids]);
  } else {
    records = (await context.store.query!(ALL_RECORDS)) as T[];
  }
  const id = (record: T) => (record as Row)[context.idProperty] as Id;
  let matching = records.filter((record) =>
    test(query.filter, record, id(record), hitsOf, parameters),
  );
  if (byRelevance && candidates === undefined) {
    const rank = new Map(ordered(matching.map(id)).map((key, i) => [key, i]));
    matching = matching.sort((a, b) => rank.get(id(a))! - rank.get(id(b))!);
  }
  return executeQuery(matching, rest(), { ...options, idProperty: context.idProperty });
}

/**
 * The query with its filter taken out (it was evaluated here), one per parsed
 * query: parsed strings are cached, so the engine's compiled-query cache,
 * keyed by the AST, hits too.
 */
const unfiltered = new WeakMap<Query, Query>();
function withoutFilter(query: Query): Query {
  let out = unfiltered.get(query);
  if (out === undefined)
    unfiltered.set(query, (out = Object.freeze({ ...query, filter: EVERYTHING })));
  return out;
}

const ALL_RECORDS: Query = Object.freeze({
  kind: "query",
  filter: EVERYTHING,
  sort: Object.freeze([]),
  distinct: false,
});

/** Each id's relevance: the sum of its scores in the ranking searches' hits. */
function scoresOf(sets: readonly Hits[]): Hits {
  if (sets.length === 1) return sets[0]!;
  const scores = new Map<Id, number>();
  for (const set of sets)
    for (const [id, score] of set) scores.set(id, (scores.get(id) ?? 0) + score);
  return scores;
}

/** The filter with each search answered from its hits, and every condition by the query engine. */
function test(
  filter: FilterNode,
  record: unknown,
  id: Id,
  hitsOf: (node: SearchNode) => Hits,
  parameters: readonly unknown[],
): boolean {
  switch (filter.kind) {
    case "search":
      return hitsOf(filter).has(id);
    case "and":
      return filter.terms.every((term) => test(term, record, id, hitsOf, parameters));
    case "or":
      return filter.terms.some((term) => test(term, record, id, hitsOf, parameters));
    case "not":
      return !test(filter.term, record, id, hitsOf, parameters);
    case "condition":
      return matches(filter, record, parameters);
  }
}

/** The searches of a filter made of searches only (`search(a)`, `and(search(a),search(b))`). */
function searchesOnly(filter: FilterNode): SearchNode[] | undefined {
  if (filter.kind === "search") return [filter];
  if (filter.kind !== "and" || filter.terms.length === 0) return undefined;
  const out: SearchNode[] = [];
  for (const term of filter.terms) {
    const inner = searchesOnly(term);
    if (inner === undefined) return undefined;
    out.push(...inner);
  }
  return out;
}

/** A search every match must pass: the filter itself, or a term of a top-level `and`. */
function requiredSearch(filter: FilterNode): SearchNode | undefined {
  if (filter.kind === "search") return filter;
  if (filter.kind !== "and") return undefined;
  for (const term of filter.terms) {
    const found = requiredSearch(term);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Ids in every hit set, in the first set's order. */
function intersect(sets: readonly Hits[]): Id[] {
  const [first, ...others] = [...sets].sort((a, b) => a.size - b.size);
  if (first === undefined) return [];
  return [...first.keys()].filter((id) => others.every((set) => set.has(id)));
}

/** The records of `ids`, in that order; ids no longer in the store are left out. */
async function read<T extends object>(context: SearchContext<T>, ids: readonly Id[]): Promise<T[]> {
  const { store } = context;
  if (typeof store.get === "function") {
    const records = await Promise.all(ids.map((id) => store.get!(id)));
    return records.filter((record): record is Awaited<T> => record !== undefined) as T[];
  }
  const wanted = new Set(ids);
  const all = (await store.query!(ALL_RECORDS)) as T[];
  const byId = new Map(all.map((r) => [(r as Row)[context.idProperty] as Id, r]));
  return ids.filter((id) => wanted.has(id) && byId.has(id)).map((id) => byId.get(id)!);
}
