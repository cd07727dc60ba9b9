import { code } from "../../codegen/index.js";
import { callHelper } from "./emit-support.js";
import type { Operator } from "./operator.js";

/** `starts(p,s)`: string prefix; false unless both are strings. */
export function queryStarts(actual: unknown, expected: unknown): boolean {
  return typeof actual === "string" && typeof expected === "string" && actual.startsWith(expected);
}

export const starts: Operator = {
  name: "starts",
  evaluate: queryStarts,
  emit(actual, operand) {
    if (operand?.constant && typeof operand.value === "string") {
      return code`(typeof ${actual} === "string" && ${actual}.startsWith(${operand.value}))`;
    }
    return callHelper("queryStarts", actual, operand);
  },
};
