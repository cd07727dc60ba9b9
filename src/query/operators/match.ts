import { code } from "../../codegen/index.js";
import { callHelper } from "./emit-support.js";
import type { Operator } from "./operator.js";
import { patternMatcher } from "../pattern/index.js";

/**
 * `match(p,re)`: a pattern search on strings; a string pattern is read as
 * `re:` (case-insensitive). A pattern outside the pattern language is
 * QUERY_BAD_VALUE, whether or not `actual` is a string.
 */
export function queryMatch(actual: unknown, expected: unknown): boolean {
  const matcher = patternMatcher(expected);
  return matcher !== undefined && typeof actual === "string" && matcher.test(actual);
}

export const match: Operator = {
  name: "match",
  evaluate: queryMatch,
  emit(actual, operand) {
    if (operand?.constant && operand.value instanceof RegExp) {
      return code`queryTest(${actual}, ${operand.value.source}, ${operand.value.flags})`;
    }
    return callHelper("queryMatch", actual, operand);
  },
};
