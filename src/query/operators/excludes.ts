import { code } from "../../codegen/index.js";
import { contains } from "./contains.js";
import type { Operator } from "./operator.js";

/** `excludes(p,v)`: the exact negation of `contains`. */
export const excludes: Operator = {
  name: "excludes",
  evaluate: (actual, expected) => !contains.evaluate(actual, expected),
  emit: (actual, operand) => code`!(${contains.emit(actual, operand)})`,
};
