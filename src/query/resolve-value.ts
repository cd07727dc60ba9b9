import { QueryError } from "../errors/index.js";
import type { FilterNode, ValueNode } from "./ast.js";
import { checkPattern } from "./pattern/index.js";

/** Evaluates a filter against one value; set by `matches.ts` (kept as a hook to avoid an import cycle). */
let elementMatcher:
  ((filter: FilterNode, element: unknown, parameters: readonly unknown[]) => boolean) | undefined;

export function setElementMatcher(fn: typeof elementMatcher): void {
  elementMatcher = fn;
}

/**
 * Reads parameter `$index` (1-based); a missing one is QUERY_PARAMETER, a
 * RegExp outside the pattern language QUERY_BAD_VALUE.
 */
export function parameterValue(parameters: readonly unknown[] | undefined, index: number): unknown {
  if (!parameters || index < 1 || index > parameters.length) {
    throw new QueryError(
      "QUERY_PARAMETER",
      `parameter $${index} was not given (${parameters?.length ?? 0} given)`,
    );
  }
  const value = parameters[index - 1];
  if (value instanceof RegExp) checkPattern(value, `parameter $${index}`);
  else if (Array.isArray(value)) {
    // `in(p,$1)` with a list of patterns.
    for (const item of value as unknown[])
      if (item instanceof RegExp) checkPattern(item, `parameter $${index}`);
  }
  return value;
}

/**
 * The run-time value of a value node: a literal's value, a list as an array,
 * a `$n` parameter from `parameters`, or, for a nested query, a function
 * that tests one element.
 */
export function resolveValue(node: ValueNode, parameters: readonly unknown[] = []): unknown {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "list":
      return node.items.map((item) => resolveValue(item, parameters));
    case "param":
      return parameterValue(parameters, node.index);
    case "subquery": {
      const match = elementMatcher;
      if (!match) throw new QueryError("QUERY_UNSUPPORTED", "nested queries need the interpreter");
      const filter = node.filter;
      return (element: unknown) => match(filter, element, parameters);
    }
  }
}
