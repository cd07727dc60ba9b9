/**
 * A sorted page read from the first sort key's index instead of sorting
 * every record: the index gives the records a value at a time in the sort's
 * order (FieldIndex.sortedGroups), and reading stops after the value that
 * completes the page. The records kept hold every record that sorts before
 * the next value, so the query engine's sort of them (ties broken by the
 * further keys and the primary key) gives the page the full sort would.
 * `sort(+name)&limit(20,1000)` on a million records reads about a thousand.
 */
import type { Query } from "../../query/ast.js";
import { compileQuery } from "../../query/compile/compile-query.js";
import { matchesEverything, queryPage } from "../../query/execute-query.js";
import type { MemoryState } from "./memory-state.js";

/** The records a sorted page is drawn from, and the number of matches among all candidates. */
export interface OrderedCandidates<T> {
  readonly records: readonly T[];
  readonly matched: number;
}

/**
 * The candidates of a sorted page through the index of its first sort key,
 * or undefined when that does not pay or cannot be done: no index on the
 * key, a nested key, `recurse`/`aggregate`/`distinct`, a filter whose own
 * index plan already narrowed the candidates, or a page reaching past half
 * of them (sorting them all is then as cheap).
 */
export function indexOrderedCandidates<T extends object>(
  state: MemoryState<T>,
  query: Query,
  candidates: readonly T[],
  options: {
    readonly parameters?: readonly unknown[];
    readonly end?: number;
    readonly maxCount?: number;
  },
): OrderedCandidates<T> | undefined {
  const key = query.sort[0];
  if (key === undefined || key.path.length !== 1) return undefined;
  if (query.recurse || query.aggregate || query.distinct) return undefined;
  if (candidates.length < state.size) return undefined;
  const parameters = options.parameters ?? [];
  const { pageEnd, maxCount } = queryPage(query, parameters, options);
  if (!(pageEnd * 2 < candidates.length)) return undefined;
  const groups = state.sortedGroups(key.path[0]!, key.descending);
  if (groups === undefined) return undefined;

  const compiled = matchesEverything(query.filter) ? undefined : compileQuery(query);
  const test = compiled?.predicate;
  // Enough matches in order: the page's, and up to the cap on the count (nothing is then left to count).
  const enough =
    test === undefined || maxCount === Infinity ? pageEnd : Math.max(pageEnd, maxCount);
  // Values of no order come first, whatever their place; they do not fill the page.
  const records: T[] = [];
  const keep = (found: readonly T[]) => {
    for (let i = 0; i < found.length; i++)
      if (test === undefined || test(found[i], parameters)) records.push(found[i]!);
  };
  keep(groups.unordered.records);
  const unordered = records.length;
  for (const group of groups.groups) {
    for (const run of group) keep(run.records);
    if (records.length - unordered >= enough) break;
  }
  if (compiled === undefined) return { records, matched: state.size };
  // Matches beyond those read are counted only when the cap is not reached yet.
  const matched =
    records.length >= maxCount ? records.length : compiled.filter(candidates, parameters).length;
  return { records, matched };
}
