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

/** The RQL negations a JSON query object writes as `compare` with `not: true` (QUERY.md: exact negations). */
const NEGATED: Readonly<Record<string, string>> = {
  ne: "equals",
  out: "in",
  excludes: "contains",
};

/** A string a JSON query object would read as a `$n` parameter. */
const PARAMETER = /^\$[1-9][0-9]*$/;

/** The JSON query object of `rql`'s filter; a string saying why there is none; undefined when it does not parse. */
export function jsonQueryOf(rql: string): unknown {
  let filter: FilterNode;
  try {
    // As the server reads it: the bar's text encoded as the browser sends a query string (a space as %20).
    filter = parseRql(new URL(`http://studio/?${rql}`).search.slice(1)).filter;
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
      if (!("field" in term))
        throw new Error("not() of more than one condition has no JSON query form");
      if (!term.not) return { ...term, not: true };
      // not(ne(a,b)) is eq(a,b): the negations are exact.
      const { not: _negated, ...plain } = term;
      return plain;
    }
    case "search":
      throw new Error("search() has no JSON query form");
    case "condition": {
      const negated = Object.hasOwn(NEGATED, node.op) ? NEGATED[node.op] : undefined;
      const compare = Object.hasOwn(COMPARE, node.op) ? COMPARE[node.op] : negated;
      if (!compare) throw new Error(`${node.op}() has no JSON query form`);
      if (node.path.some((part) => part.includes("/")))
        throw new Error("a property name with a / has no JSON query form");
      const field = node.path.join("/");
      const not = negated ? { not: true } : {};
      if (node.value === undefined) return { field, compare, ...not };
      return { field, compare, value: valueOf(node.value), ...not };
    }
  }
}

function valueOf(node: ValueNode): unknown {
  if (node.kind === "list") return node.items.map(valueOf);
  // A JSON query object reads the string "$1" as parameter 1, as RQL reads $1.
  if (node.kind === "param") return `$${node.index}`;
  if (node.kind !== "literal") throw new Error(`a ${node.kind} value has no JSON query form`);
  const value = node.value;
  if (typeof value === "string" && PARAMETER.test(value))
    throw new Error(`the string ${value} has no JSON query form (it would read as a parameter)`);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof RegExp) throw new Error("a regular expression has no JSON query form");
  return value;
}
