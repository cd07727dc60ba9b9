/**
 * Small query ASTs the model runtime builds itself (link lookups, facet row
 * filters and limits), and reading a limit's count.
 */
import type { FilterNode, Query, ValueNode } from "../query/ast.js";

const MATCH_ALL: FilterNode = Object.freeze({
  kind: "and",
  terms: Object.freeze([]),
}) as FilterNode;

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
  return Object.freeze({
    ...query,
    filter: Object.freeze({ kind: "and", terms: Object.freeze([filter, query.filter]) }),
  }) as Query;
}

/** `query` without its filter (what is left to run after a JS predicate has filtered). */
export function withoutFilter(query: Query): Query {
  return Object.freeze({ ...query, filter: MATCH_ALL }) as Query;
}

/**
 * `query` returning at most `maxLimit` records: its `limit` count lowered to
 * `maxLimit` (a `$n` count resolved from `parameters`), or `limit(maxLimit)`
 * added when it has none.
 */
export function withMaxLimit(
  query: Query,
  maxLimit: number | undefined,
  parameters: readonly unknown[],
): Query {
  if (maxLimit === undefined) return query;
  const count = query.limit ? valueOf(query.limit.count, parameters) : undefined;
  if (typeof count === "number" && count <= maxLimit) return query;
  const capped: ValueNode = Object.freeze({ kind: "literal", value: maxLimit });
  return Object.freeze({
    ...query,
    limit: Object.freeze({ ...query.limit, count: capped }),
  }) as Query;
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
