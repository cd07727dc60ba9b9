/**
 * The table's filter as a JSON query object (QUERY.md, "JSON query objects"):
 * the same filter in perstore's other query syntax, read with perstore's own
 * RQL parser (bundled). Only what that syntax can say is converted; the rest
 * is named.
 */
import type { FilterNode, ValueNode } from "../../query/ast.js";
import { parseRql } from "../../query/parse/rql-query.js";

/** The RQL operators a JSON query object writes as `compare`. */
const COMPARE: Readonly<Record<string, string>> = {
  eq: "equals",
  in: "in",
  gt: "gt",
  ge: "ge",
  lt: "lt",
  le: "le",
  starts: "starts",
  ends: "ends",
  contains: "contains",
  isnull: "isnull",
  notnull: "notnull",
};

/** The JSON query object of `rql`'s filter; a string saying why there is none; undefined when it does not parse. */
export function jsonQueryOf(rql: string): unknown {
  let filter: FilterNode;
  try {
    filter = parseRql(rql).filter;
  } catch {
    return undefined;
  }
  try {
    return convert(filter);
  } catch (error) {
    return (error as Error).message;
  }
}

function convert(node: FilterNode): unknown {
  switch (node.kind) {
    case "and":
    case "or":
      return { join: node.kind, terms: node.terms.map(convert) };
    case "not": {
      const term = convert(node.term) as Record<string, unknown>;
      if (!("field" in term) || term.not)
        throw new Error("not() of more than one condition has no JSON query form");
      return { ...term, not: true };
    }
    case "search":
      throw new Error("search() has no JSON query form");
    case "condition": {
      const compare = COMPARE[node.op];
      if (!compare) throw new Error(`${node.op}() has no JSON query form`);
      const field = node.path.join("/");
      if (node.value === undefined) return { field, compare };
      return { field, compare, value: valueOf(node.value) };
    }
  }
}

function valueOf(node: ValueNode): unknown {
  if (node.kind === "list") return node.items.map(valueOf);
  if (node.kind !== "literal") throw new Error(`a ${node.kind} value has no JSON query form`);
  const value = node.value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof RegExp) throw new Error("a regular expression has no JSON query form");
  return value;
}
