import { code } from "../../codegen/index.js";
import type { Operator } from "./operator.js";

/** `notnull(p)`: present and not null. */
export const notnull: Operator = {
  name: "notnull",
  evaluate: (actual) => actual != null,
  emit: (actual) => code`${actual} != null`,
};
