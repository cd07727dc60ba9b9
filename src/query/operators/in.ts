import { type Code, code, joinCode } from "../../codegen/index.js";
import { callHelper, isStrictScalar } from "./emit-support.js";
import type { Operator } from "./operator.js";
import { queryIn } from "./support.js";

/** `in(p,(a,b))`: strict membership, each item compared as `eq` does. */
export const inOperator: Operator = {
  name: "in",
  evaluate: queryIn,
  emit(actual, operand) {
    if (operand?.constant && Array.isArray(operand.value)) {
      const items = operand.value as unknown[];
      if (items.length === 0) return code`false`;
      if (items.every((v) => v == null || isStrictScalar(v))) {
        const tests: Code[] = [];
        if (items.some((v) => v == null)) tests.push(code`${actual} == null`);
        for (const v of items)
          if (v != null) tests.push(code`${actual} === ${v as string | number | boolean}`);
        return code`(${joinCode(tests, " || ")})`;
      }
    }
    return callHelper("queryIn", actual, operand);
  },
};
