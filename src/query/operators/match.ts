import { code } from "../../codegen/index.js";
import { callHelper } from "./emit-support.js";
import type { Operator } from "./operator.js";
import { queryRegExp, testPattern } from "./support.js";

/** `match(p,re)`: a regular expression search on strings; a string pattern is read as `re:` (case-insensitive). */
export function queryMatch(actual: unknown, expected: unknown): boolean {
  if (typeof actual !== "string") return false;
  if (expected instanceof RegExp) return testPattern(expected, actual);
  if (typeof expected === "string") {
    let pattern: RegExp;
    try {
      pattern = queryRegExp(expected, "i");
    } catch {
      return false;
    }
    return pattern.test(actual);
  }
  return false;
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
