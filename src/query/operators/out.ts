import { code } from "../../codegen/index.js";
import { inOperator } from "./in.js";
import type { Operator } from "./operator.js";

/** `out(p,(a,b))`: the exact negation of `in`. */
export const out: Operator = {
  name: "out",
  evaluate: (actual, expected) => !inOperator.evaluate(actual, expected),
  emit: (actual, operand) => code`!(${inOperator.emit(actual, operand)})`,
};
