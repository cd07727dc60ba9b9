import { callHelper } from "./emit-support.js";
import type { Operator } from "./operator.js";
import { queryEq, testPattern } from "./support.js";

/**
 * `contains(p,v)`: on an array, some element equals `v` (as `eq`) or matches
 * a nested query; on a string, `v` is a substring (or a pattern it finds).
 */
export function queryContains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) {
    if (typeof expected === "function") {
      const test = expected as (element: unknown) => boolean;
      for (const element of actual) if (test(element)) return true;
      return false;
    }
    for (const element of actual) if (queryEq(element, expected)) return true;
    return false;
  }
  if (typeof actual === "string") {
    if (typeof expected === "string") return actual.includes(expected);
    if (expected instanceof RegExp) return testPattern(expected, actual);
  }
  return false;
}

export const contains: Operator = {
  name: "contains",
  evaluate: queryContains,
  emit: (actual, operand) => callHelper("queryContains", actual, operand),
};
