/** Small pieces of emission shared by the operator files. */
import { type Code, code, literal, name } from "../../codegen/index.js";
import type { LiteralValue } from "../../codegen/index.js";
import type { Operand } from "./operator.js";

/** The operand as an expression: an escaped literal, or the code computing it. */
function operandCode(operand: Operand | undefined): Code {
  if (operand === undefined) return code`void 0`;
  return operand.constant ? literal(operand.value as LiteralValue) : operand.code;
}

/** `helper(actual, operand)`: the general case, calling the operator's own evaluate through `perstore`. */
export function callHelper(helper: string, actual: Code, operand: Operand | undefined): Code {
  return code`${name(helper)}(${actual}, ${operandCode(operand)})`;
}

/** True when `<` on this string gives code point order against any other string (no char >= U+D800). */
export function isCodeUnitSafe(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0xd800) return false;
  return true;
}

/** Scalars `===` compares exactly as `eq` does. */
export function isStrictScalar(value: unknown): value is string | boolean | number {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && !Number.isNaN(value))
  );
}
