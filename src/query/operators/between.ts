import { code } from "../../codegen/index.js";
import { queryOrder } from "../compare.js";
import { callHelper } from "./emit-support.js";
import { ge } from "./ge.js";
import { lt } from "./lt.js";
import type { Operator } from "./operator.js";

/** `between(p,(lo,hi))`: half-open, `lo <= p < hi`. */
export function queryBetween(actual: unknown, expected: unknown): boolean {
  if (!Array.isArray(expected) || expected.length !== 2) return false;
  return queryOrder(actual, expected[0]) >= 0 && queryOrder(actual, expected[1]) < 0;
}

export const between: Operator = {
  name: "between",
  evaluate: queryBetween,
  emit(actual, operand) {
    if (operand?.constant && Array.isArray(operand.value) && operand.value.length === 2) {
      const [lo, hi] = operand.value as unknown[];
      return code`(${ge.emit(actual, { constant: true, value: lo })} && ${lt.emit(actual, { constant: true, value: hi })})`;
    }
    return callHelper("queryBetween", actual, operand);
  },
};
