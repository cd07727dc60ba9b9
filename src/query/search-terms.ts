/**
 * The words of `search(words)`, read the same way by every back end that
 * answers it: the full-text wrapper's index (minisearch) and the SQL store's
 * `tsvector` column. A term is a run of letters and digits (`\p{L}\p{N}`),
 * lower-cased; everything else separates terms. A search matches the records
 * that hold every term (AND), whole terms only (no prefixes, no fuzziness).
 *
 * @example searchTerms("Full-Text  search!") // ["full", "text", "search"]
 */
import { QueryError } from "../errors/index.js";
import type { FilterNode, SearchNode } from "./ast.js";
import { resolveValue } from "./resolve-value.js";

const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** The lower-cased terms of a text: runs of letters and digits. */
export function searchTerms(text: string): string[] {
  return text
    .split(SEPARATORS)
    .filter((term) => term !== "")
    .map((term) => term.toLowerCase());
}

/**
 * The text a `search()` node searches for: a literal as it was written
 * (`search(1965)` searches "1965"), a `string:`/`number:` value or a `$n`
 * parameter holding a string or number; anything else (`re:`, a Date...) is
 * QUERY_BAD_VALUE.
 */
export function searchText(node: SearchNode, parameters: readonly unknown[] = []): string {
  const value = node.value;
  // An auto-typed value (`1965`, `true`, a date) is searched for as it was written.
  if (value.kind === "literal" && value.type === undefined && value.raw !== undefined)
    return value.raw;
  const resolved = resolveValue(value, parameters);
  if (typeof resolved === "string") return resolved;
  if (typeof resolved === "number" && Number.isFinite(resolved)) return String(resolved);
  throw new QueryError(
    "QUERY_BAD_VALUE",
    `search() takes words (a string), not ${resolved === null ? "null" : typeof resolved}`,
  );
}

/**
 * The `search()` nodes of a filter that select records (not under an odd
 * number of `not`s): the ones whose scores order results by relevance.
 */
export function rankingSearches(filter: FilterNode): SearchNode[] {
  const out: SearchNode[] = [];
  const walk = (node: FilterNode, negated: boolean): void => {
    switch (node.kind) {
      case "search":
        if (!negated) out.push(node);
        return;
      case "not":
        return walk(node.term, !negated);
      case "and":
      case "or":
        for (const term of node.terms) walk(term, negated);
        return;
      case "condition":
        return;
    }
  };
  walk(filter, false);
  return out;
}

/** Whether a filter has a `search()` term anywhere (negated or not). */
export function hasSearch(filter: FilterNode): boolean {
  switch (filter.kind) {
    case "search":
      return true;
    case "not":
      return hasSearch(filter.term);
    case "and":
    case "or":
      return filter.terms.some(hasSearch);
    case "condition":
      return false;
  }
}
