import type { Code } from "../../codegen/index.js";
import type { ConditionOperator } from "../ast.js";

/** The operand of a condition as the compiler sees it: known now, or code that computes it at run time. */
export type Operand =
  | { readonly constant: true; readonly value: unknown }
  | { readonly constant: false; readonly code: Code };

/**
 * One condition operator: its meaning (`evaluate`, used by the interpreter
 * and by compiled code as a helper) and its JavaScript emission side by side,
 * so the two back ends cannot drift apart.
 */
export interface Operator {
  readonly name: ConditionOperator;
  /** `actual` is the value at the path; `expected` the resolved operand (absent for isnull/notnull). */
  evaluate(actual: unknown, expected: unknown): boolean;
  /** A boolean expression over `actual` (a variable name) and the operand. */
  emit(actual: Code, operand: Operand | undefined): Code;
}
