/**
 * Binding parameters: a pattern given as a parameter (a RegExp anywhere, or
 * the string of `match(p,$n)`) is checked once, before any record is read,
 * so a bad one is QUERY_BAD_VALUE even when nothing would have been tested.
 */
import type { FilterNode, ValueNode } from "../ast.js";
import { parameterValue } from "../resolve-value.js";
import { compilePattern } from "./compile-pattern.js";

function checkValue(node: ValueNode, op: string, parameters: readonly unknown[]): void {
  switch (node.kind) {
    case "param": {
      // A missing one is left to evaluation (QUERY_PARAMETER where it is read).
      if (node.index < 1 || node.index > parameters.length) return;
      // parameterValue refuses a RegExp (or a list of them) outside the language.
      const value = parameterValue(parameters, node.index);
      if (op === "match" && typeof value === "string") compilePattern(value, "i");
      return;
    }
    case "list":
      for (const item of node.items) checkValue(item, op, parameters);
      return;
    case "subquery":
      checkPatternParameters(node.filter, parameters);
      return;
    case "literal":
      return;
  }
}

/** Throws QueryError QUERY_BAD_VALUE when a parameter used as a pattern is outside the pattern language. */
export function checkPatternParameters(filter: FilterNode, parameters: readonly unknown[]): void {
  if (parameters.length === 0) return;
  switch (filter.kind) {
    case "and":
    case "or":
      for (const term of filter.terms) checkPatternParameters(term, parameters);
      return;
    case "not":
      checkPatternParameters(filter.term, parameters);
      return;
    case "condition":
      if (filter.value !== undefined) checkValue(filter.value, filter.op, parameters);
      return;
    default:
      return;
  }
}
