/**
 * Small query ASTs the model runtime builds itself (link lookups, facet row
 * filters), and reading a limit's count.
 */
import type { FilterNode, Query, ValueNode } from "../query/ast.js";

const MATCH_ALL: FilterNode = Object.freeze({ kind: "and", terms: Object.freeze([]) }) as FilterNode;

/** `op(property, $1)`: a one-condition query whose value comes from the parameters. */
export function conditionQuery(property: string, op: "eq" | "in"): Query {
  return Object.freeze({
    kind: "query",
    filter: Object.freeze({
      kind: "condition",
      op,
      path: Object.freeze([property]),
      value: Object.freeze({ kind: "param", index: 1 }),
    }),
    sort: Object.freeze([]),
    distinct: false,
  }) as Query;
}

/** `query` restricted to records that also match `filter` (a facet's row filter). */
export function withFilter(query: Query, filter: FilterNode | undefined): Query {
  if (!filter) return query;
  return Object.freeze({ ...query, filter: Object.freeze({ kind: "and", terms: Object.freeze([filter, query.filter]) }) }) as Query;
}

/** `query` without its filter (what is left to run after a JS predicate has filtered). */
export function withoutFilter(query: Query): Query {
  return Object.freeze({ ...query, filter: MATCH_ALL }) as Query;
}

/** The value of a literal or `$n` parameter node (lists become arrays). */
export function valueOf(node: ValueNode, parameters: readonly unknown[]): unknown {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "param":
      return parameters[node.index - 1];
    case "list":
      return node.items.map((item) => valueOf(item, parameters));
    case "subquery":
      return undefined;
  }
}
