import { code } from "../../codegen/index.js";
import { queryEq } from "./support.js";
import { callHelper, isStrictScalar } from "./emit-support.js";
import type { Operator } from "./operator.js";

/**
 * `eq(p,v)`: strict typed equality; `eq(p,null)` matches null or missing; a pattern value matches strings;
 * a Date matches Dates and ISO-8601 date-time strings of the same instant.
 */
export const eq: Operator = {
  name: "eq",
  evaluate: queryEq,
  emit(actual, operand) {
    if (operand?.constant) {
      const v = operand.value;
      if (v === null || v === undefined) return code`${actual} == null`;
      if (isStrictScalar(v)) return code`${actual} === ${v}`;
      if (v instanceof Date && !Number.isNaN(v.getTime())) {
        return code`queryInstant(${actual}) === ${v.getTime()}`;
      }
      if (v instanceof RegExp) return code`queryTest(${actual}, ${v.source}, ${v.flags})`;
    }
    return callHelper("queryEq", actual, operand);
  },
};
