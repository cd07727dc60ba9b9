import { code } from "../../codegen/index.js";
import type { Operator } from "./operator.js";

/** `isnull(p)`: null or missing. */
export const isnull: Operator = {
  name: "isnull",
  evaluate: (actual) => actual == null,
  emit: (actual) => code`${actual} == null`,
};
