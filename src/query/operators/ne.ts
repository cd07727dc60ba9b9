import { code } from "../../codegen/index.js";
import { isStrictScalar } from "./emit-support.js";
import { eq } from "./eq.js";
import type { Operator } from "./operator.js";

/** `ne(p,v)`: the exact negation of `eq` (so it matches null or missing `p` when `v` is not null). */
export const ne: Operator = {
  name: "ne",
  evaluate: (actual, expected) => !eq.evaluate(actual, expected),
  emit(actual, operand) {
    // The common case reads as a hand-written test: `v !== "Quebec"`, `v != null`.
    if (operand?.constant) {
      const v = operand.value;
      if (v === null || v === undefined) return code`${actual} != null`;
      if (isStrictScalar(v)) return code`${actual} !== ${v}`;
    }
    return code`!(${eq.emit(actual, operand)})`;
  },
};
