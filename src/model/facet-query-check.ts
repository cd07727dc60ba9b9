/**
 * A facet's query restrictions, checked on the parsed query before it runs:
 * no hidden property anywhere, only the allowed operators, only indexed
 * properties in filters and sorts, and a `limit` no larger than `maxLimit`.
 */
import { AccessError } from "../errors/index.js";
import type { FilterNode, Path, Query, ValueNode } from "../query/ast.js";
import { propertiesUsed, searchesText } from "../query/properties-used.js";
import { valueOf } from "./query-helpers.js";

export interface FacetQueryRules {
  readonly facet: string;
  readonly hidden: ReadonlySet<string>;
  /** `undefined`: every operator is allowed. */
  readonly operators?: ReadonlySet<string>;
  /** `undefined`: every property may be filtered and sorted on. */
  readonly indexed?: ReadonlySet<string>;
  readonly maxLimit?: number;
  /**
   * The properties `search(words)` looks in (the model's `fullText` fields):
   * a search is a query on each of them, so one the facet hides refuses it.
   */
  readonly searchFields?: readonly string[];
}

/** Throws AccessError (ACCESS_PROPERTY, ACCESS_OPERATOR, ACCESS_INDEX, ACCESS_LIMIT) when `query` breaks a rule. */
export function checkFacetQuery(
  query: Query,
  rules: FacetQueryRules,
  parameters: readonly unknown[] = [],
  /** The size of the page the caller asks for (`end - start` of the query options), if any. */
  page?: number,
): void {
  const operator = (name: string): void => {
    if (rules.operators && !rules.operators.has(name)) {
      throw new AccessError(
        `facet ${rules.facet} does not allow the ${name} operator`,
        "ACCESS_OPERATOR",
      );
    }
  };
  checkNoHiddenProperty(query, rules);
  const searchable = (path: Path): void => {
    const head = path[0];
    if (rules.indexed && head !== undefined && !rules.indexed.has(head)) {
      throw new AccessError(
        `facet ${rules.facet} allows queries on indexed properties only, not ${head}`,
        "ACCESS_INDEX",
      );
    }
  };
  const value = (node: ValueNode | undefined): void => {
    if (node?.kind === "subquery") filter(node.filter, false);
    if (node?.kind === "list") node.items.forEach(value);
  };
  // Conditions inside `contains(kids, age=1)` test array elements: their paths are not record properties.
  const filter = (node: FilterNode, topLevel: boolean): void => {
    switch (node.kind) {
      case "condition":
        operator(node.op);
        if (topLevel) searchable(node.path);
        value(node.value);
        return;
      case "and":
        if (!topLevel || node.terms.length > 1) operator("and");
        node.terms.forEach((term) => filter(term, topLevel));
        return;
      case "or":
        operator("or");
        node.terms.forEach((term) => filter(term, topLevel));
        return;
      case "not":
        operator("not");
        filter(node.term, topLevel);
        return;
      case "search":
        operator("search");
        return;
    }
  };

  // The implicit top-level `and` of `a=1&b=2` is structure, not an operator the caller chose.
  if (query.filter.kind === "and") query.filter.terms.forEach((term) => filter(term, true));
  else filter(query.filter, true);
  if (query.recurse) operator("recurse");
  if (query.aggregate) {
    operator("aggregate");
    for (const spec of query.aggregate.aggregates) operator(spec.fn);
  }
  if (query.sort.length > 0) {
    operator("sort");
    query.sort.forEach((key) => searchable(key.path));
  }
  if (query.projection) operator(query.projection.kind);
  if (query.distinct) operator("distinct");
  if (query.limit) operator("limit");
  if (query.result) operator(query.result.kind);
  if (rules.maxLimit !== undefined) {
    const count = query.limit ? valueOf(query.limit.count, parameters) : undefined;
    const within = (n: unknown) => typeof n === "number" && n >= 0 && n <= rules.maxLimit!;
    // A page asked for with start/end (an HTTP Range) bounds the answer as limit(n) does.
    if (!within(count) && !within(page)) {
      throw new AccessError(
        `facet ${rules.facet} requires limit(n), or a page, of at most ${rules.maxLimit}`,
        "ACCESS_LIMIT",
      );
    }
  }
}

/**
 * Throws ACCESS_PROPERTY when `query` names a hidden property (`allowed`:
 * hidden ones the facet lets this query read, a named query's `reveals`).
 */
export function checkNoHiddenProperty(
  query: Query,
  rules: Pick<FacetQueryRules, "facet" | "hidden" | "searchFields">,
  allowed: ReadonlySet<string> = new Set(),
  queryName?: string,
): void {
  const refuse = (property: string, how: "reads" | "searches") => {
    if (!rules.hidden.has(property) || allowed.has(property)) return;
    const by =
      queryName !== undefined
        ? `, which query ${queryName} ${how}`
        : how === "searches"
          ? ", which search() looks in (fullText)"
          : "";
    throw new AccessError(
      `facet ${rules.facet} hides property ${property}${by}`,
      "ACCESS_PROPERTY",
    );
  };
  for (const property of propertiesUsed(query)) refuse(property, "reads");
  // search(words) matches the text of every fullText field: a hidden one could be probed word by word.
  if (rules.searchFields !== undefined && searchesText(query))
    for (const property of rules.searchFields) refuse(property, "searches");
}
