/**
 * Run-time helpers shared by the operators, the interpreter and compiled
 * predicates (which import them from `perstore`).
 */
import { queryInstant, valueEquals } from "../compare.js";
import { compilePattern } from "../pattern/index.js";

/**
 * Whether `text` contains a match of `pattern`, read in perstore's pattern
 * language by the linear-time matcher (never by the RegExp engine, which
 * can backtrack for ever); a pattern outside the language is QUERY_BAD_VALUE.
 */
export function testPattern(pattern: RegExp, text: string): boolean {
  return compilePattern(pattern.source, pattern.flags).test(text);
}

/** `typeof text === "string"` and it contains a match of `/source/flags` (compiled predicates' form of `testPattern`). */
export function queryTest(text: unknown, source: string, flags: string): boolean {
  return typeof text === "string" && compilePattern(source, flags).test(text);
}

/**
 * Equality as `eq` defines it: a null or undefined `expected` matches null
 * or missing; a RegExp (`re:`, `RE:`, `glob:`) matches strings it finds; a
 * Date matches a Date or an ISO-8601 date-time string of the same instant;
 * otherwise strict, typed, deep equality (`valueEquals`).
 */
export function queryEq(actual: unknown, expected: unknown): boolean {
  if (expected instanceof RegExp)
    return typeof actual === "string" && testPattern(expected, actual);
  if (expected instanceof Date) return queryInstant(actual) === expected.getTime();
  return valueEquals(actual, expected);
}

/** `in`: `expected` is a list (a non-list is a list of one); any item equal as `eq` defines it. */
export function queryIn(actual: unknown, expected: unknown): boolean {
  if (!Array.isArray(expected)) return queryEq(actual, expected);
  for (const item of expected) if (queryEq(actual, item)) return true;
  return false;
}
