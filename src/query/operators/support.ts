/**
 * Run-time helpers shared by the operators, the interpreter and compiled
 * predicates (which import them from `perstore`).
 */
import { queryInstant, valueEquals } from "../compare.js";

const regExpCache = new Map<string, RegExp>();

/** A cached RegExp for compiled predicates (they cannot hoist one themselves). */
export function queryRegExp(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let re = regExpCache.get(key);
  if (re === undefined) {
    if (regExpCache.size > 1000) regExpCache.clear();
    re = new RegExp(source, flags.replace(/[gy]/g, ""));
    regExpCache.set(key, re);
  }
  return re;
}

/** Tests a string against a pattern without touching a global/sticky RegExp's state. */
export function testPattern(pattern: RegExp, text: string): boolean {
  if (pattern.global || pattern.sticky)
    return queryRegExp(pattern.source, pattern.flags).test(text);
  return pattern.test(text);
}

/** `typeof text === "string"` and it matches `/source/flags`. */
export function queryTest(text: unknown, source: string, flags: string): boolean {
  return typeof text === "string" && queryRegExp(source, flags).test(text);
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
