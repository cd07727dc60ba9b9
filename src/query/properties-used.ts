/**
 * Which record properties a query names: what a facet compares with its
 * hidden properties, for ad-hoc and named queries alike, at build time and
 * at run time.
 */
import type { FilterNode, Path, Query } from "./ast.js";

/**
 * The top-level properties `query` names, sorted: condition paths (not the
 * element paths of a `contains(list, subquery)`), `recurse`, `aggregate`'s
 * groups and inputs, and, unless they name `aggregate()` outputs, the sort,
 * projection and result paths. `search(words)` names no property here: the
 * fields it looks in belong to the store's full-text index.
 *
 * @example propertiesUsed(parseQuery("lt(birthDate,$1)&sort(+lastName)&select(id)"))
 * // ["birthDate", "id", "lastName"]
 */
export function propertiesUsed(query: Query): string[] {
  const out = new Set<string>();
  const add = (path: Path | undefined): void => {
    if (path !== undefined && path.length > 0) out.add(path[0]!);
  };
  const filter = (node: FilterNode): void => {
    switch (node.kind) {
      case "condition":
        add(node.path);
        return;
      case "and":
      case "or":
        node.terms.forEach(filter);
        return;
      case "not":
        filter(node.term);
        return;
      case "search":
        return;
    }
  };
  filter(query.filter);
  add(query.recurse);
  if (query.aggregate) {
    query.aggregate.groupBy.forEach(add);
    for (const spec of query.aggregate.aggregates) add(spec.path);
  } else {
    for (const key of query.sort) add(key.path);
    query.projection?.paths.forEach(add);
    if (query.result && "path" in query.result) add(query.result.path);
  }
  return [...out].sort();
}

/**
 * Whether `query` holds a `search(words)` (under and/or/not too). A search
 * looks in every field of the model's full-text index, so whoever checks the
 * properties a query reads (a facet) counts those fields as read by it.
 */
export function searchesText(query: Query): boolean {
  const searches = (node: FilterNode): boolean => {
    switch (node.kind) {
      case "search":
        return true;
      case "and":
      case "or":
        return node.terms.some(searches);
      case "not":
        return searches(node.term);
      default:
        return false;
    }
  };
  return searches(query.filter);
}
