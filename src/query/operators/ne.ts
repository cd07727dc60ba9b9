import { code } from "../../codegen/index.js";
import { eq } from "./eq.js";
import type { Operator } from "./operator.js";

/** `ne(p,v)`: the exact negation of `eq` (so it matches null or missing `p` when `v` is not null). */
export const ne: Operator = {
  name: "ne",
  evaluate: (actual, expected) => !eq.evaluate(actual, expected),
  emit: (actual, operand) => code`!(${eq.emit(actual, operand)})`,
};
