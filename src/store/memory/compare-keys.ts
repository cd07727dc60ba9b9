/**
 * Orderings of index keys within one type: numbers and dates (as instants)
 * numerically, strings by Unicode code point (not UTF-16 unit, not locale) —
 * the same orderings the query engine uses, so ranges find what it matches.
 */
import { compareStrings } from "../../query/compare.js";

export function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code point order: the query engine's own string comparison. */
export const compareCodePoints: (a: string, b: string) => number = compareStrings;
