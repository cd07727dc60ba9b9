/**
 * The run-time helpers compiled predicates call. Every one is exported from
 * `perstore` under the same name, so predicate source emitted ahead of time
 * can `import { <helpers> } from "perstore-runtime"` and needs no `eval`.
 */
import { compareStrings, queryInstant, queryIsDate } from "../compare.js";
import { queryBetween } from "../operators/between.js";
import { queryContains } from "../operators/contains.js";
import { queryEnds } from "../operators/ends.js";
import { queryMatch } from "../operators/match.js";
import { orderingHelpers } from "../operators/ordering.js";
import { queryStarts } from "../operators/starts.js";
import { queryEq, queryIn, queryTest } from "../operators/support.js";
import { queryOwn } from "../path.js";
import { parameterValue } from "../resolve-value.js";

/** `$n` in compiled code; a missing parameter is QUERY_PARAMETER. */
export function queryParameter(parameters: readonly unknown[] | undefined, index: number): unknown {
  return parameterValue(parameters, index);
}

/** Gives a nested query's element test its type (`(element: unknown) => boolean`) in emitted source. */
export function queryElementTest(
  test: (element: unknown) => boolean,
): (element: unknown) => boolean {
  return test;
}

/** Orders two strings by code point (compiled `sort` and string comparisons). */
export const queryCompareStrings = compareStrings;
/** `lt`, `le`, `gt` and `ge` of the query engine's one ordering (see `compareValues`). */
export const { queryLt, queryLe, queryGt, queryGe } = orderingHelpers;

/** Every helper by the name compiled source uses for it. */
export const queryHelpers: Readonly<Record<string, (...args: never[]) => unknown>> = Object.freeze({
  __proto__: null,
  queryOwn,
  queryIsDate,
  queryInstant,
  queryTest,
  queryEq,
  queryIn,
  queryLt,
  queryLe,
  queryGt,
  queryGe,
  queryContains,
  queryStarts,
  queryEnds,
  queryMatch,
  queryBetween,
  queryCompareStrings,
  queryParameter,
  queryElementTest,
} as unknown as Record<string, (...args: never[]) => unknown>);

export const HELPER_NAMES: readonly string[] = Object.keys(queryHelpers);

export {
  queryBetween,
  queryContains,
  queryEnds,
  queryEq,
  queryIn,
  queryMatch,
  queryStarts,
  queryTest,
};
