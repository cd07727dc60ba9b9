/**
 * The ordering operators share one shape: compare with `queryOrder` (NaN
 * unless both sides are present and of the same type), inline the common
 * constant cases with a `typeof` guard.
 */
import { type Code, code } from "../../codegen/index.js";
import type { ConditionOperator } from "../ast.js";
import { queryOrder } from "../compare.js";
import { callHelper, isCodeUnitSafe } from "./emit-support.js";
import type { Operator } from "./operator.js";

type Relation = "lt" | "le" | "gt" | "ge";

const TESTS: Record<Relation, (c: number) => boolean> = {
  lt: (c) => c < 0,
  le: (c) => c <= 0,
  gt: (c) => c > 0,
  ge: (c) => c >= 0,
};

const SYMBOLS: Record<Relation, Code> = {
  lt: code`<`,
  le: code`<=`,
  gt: code`>`,
  ge: code`>=`,
};

export const orderingHelpers = {
  queryLt: (a: unknown, b: unknown) => queryOrder(a, b) < 0,
  queryLe: (a: unknown, b: unknown) => queryOrder(a, b) <= 0,
  queryGt: (a: unknown, b: unknown) => queryOrder(a, b) > 0,
  queryGe: (a: unknown, b: unknown) => queryOrder(a, b) >= 0,
};

const HELPER_NAMES: Record<Relation, keyof typeof orderingHelpers> = {
  lt: "queryLt",
  le: "queryLe",
  gt: "queryGt",
  ge: "queryGe",
};

/** Builds `lt`, `le`, `gt` or `ge`. */
export function orderingOperator(relation: Relation & ConditionOperator): Operator {
  const test = TESTS[relation];
  const symbol = SYMBOLS[relation];
  return {
    name: relation,
    evaluate: (actual, expected) => test(queryOrder(actual, expected)),
    emit(actual, operand) {
      if (operand?.constant) {
        const v = operand.value;
        if (v === null || v === undefined) return code`false`;
        if (typeof v === "number" && !Number.isNaN(v))
          return code`(typeof ${actual} === "number" && ${actual} ${symbol} ${v})`;
        if (typeof v === "string" && isCodeUnitSafe(v))
          return code`(typeof ${actual} === "string" && ${actual} ${symbol} ${v})`;
        if (typeof v === "string")
          return code`(typeof ${actual} === "string" && queryCompareStrings(${actual}, ${v}) ${symbol} 0)`;
        if (v instanceof Date && !Number.isNaN(v.getTime())) {
          return code`queryInstant(${actual}) ${symbol} ${v.getTime()}`;
        }
      }
      return callHelper(HELPER_NAMES[relation], actual, operand);
    },
  };
}
