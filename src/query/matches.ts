import { QueryError } from "../errors/index.js";
import type { FilterNode } from "./ast.js";
import { getOperator } from "./operators/index.js";
import { getPath } from "./path.js";
import { resolveValue, setElementMatcher } from "./resolve-value.js";

/**
 * The interpreter: does `record` satisfy `filter`? The reference every other
 * back end (compiled predicates, SQL, index plans) is tested against.
 * Never changes the record. `search` needs a full-text store and is a
 * QueryError (`QUERY_UNSUPPORTED`) here.
 * @example matches(parseQuery("age>=18").filter, { age: 20 }) // true
 */
export function matches(
  filter: FilterNode,
  record: unknown,
  parameters: readonly unknown[] = [],
): boolean {
  switch (filter.kind) {
    case "and":
      for (const term of filter.terms) if (!matches(term, record, parameters)) return false;
      return true;
    case "or":
      for (const term of filter.terms) if (matches(term, record, parameters)) return true;
      return false;
    case "not":
      return !matches(filter.term, record, parameters);
    case "condition": {
      const operator = getOperator(filter.op);
      if (!operator)
        throw new QueryError(
          "QUERY_UNKNOWN_OPERATOR",
          `unknown operator ${JSON.stringify(filter.op)}`,
        );
      const actual = getPath(record, filter.path);
      const expected =
        filter.value === undefined ? undefined : resolveValue(filter.value, parameters);
      return operator.evaluate(actual, expected);
    }
    case "search":
      throw new QueryError("QUERY_UNSUPPORTED", "search() needs a store with a full-text index");
    default:
      throw new QueryError(
        "QUERY_UNKNOWN_OPERATOR",
        `unknown query node ${JSON.stringify((filter as { kind?: unknown }).kind)}`,
      );
  }
}

setElementMatcher(matches);
