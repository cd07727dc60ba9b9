import { code } from "../../codegen/index.js";
import { callHelper } from "./emit-support.js";
import type { Operator } from "./operator.js";

/** `ends(p,s)`: string suffix; false unless both are strings. */
export function queryEnds(actual: unknown, expected: unknown): boolean {
  return typeof actual === "string" && typeof expected === "string" && actual.endsWith(expected);
}

export const ends: Operator = {
  name: "ends",
  evaluate: queryEnds,
  emit(actual, operand) {
    if (operand?.constant && typeof operand.value === "string") {
      return code`(typeof ${actual} === "string" && ${actual}.endsWith(${operand.value}))`;
    }
    return callHelper("queryEnds", actual, operand);
  },
};
