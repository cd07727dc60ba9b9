/**
 * One cached matcher per pattern, shared by the interpreter, compiled
 * predicates and stores: parsing and building happen once per `/source/flags`.
 */
import { QueryError } from "../../errors/index.js";
import { parsePattern } from "./parse-pattern.js";
import { PatternMatcher } from "./pattern-matcher.js";

const CACHE_SIZE = 500;
const matchers = new Map<string, PatternMatcher>();

/**
 * The matcher of `/source/flags`, or QueryError QUERY_BAD_VALUE when it is
 * outside the pattern language (at `position` when given).
 * @example compilePattern("^(a+)+$", "").test("aaaaaaaaaaaaaaaaaaaaaaaaaaaaa!") // false, at once
 */
export function compilePattern(source: string, flags: string, position?: number): PatternMatcher {
  const key = `${flags}/${source}`;
  let matcher = matchers.get(key);
  if (matcher === undefined) {
    matcher = new PatternMatcher(parsePattern(source, flags, position));
    // Oldest first out: a Map iterates in insertion order.
    if (matchers.size >= CACHE_SIZE) matchers.delete(matchers.keys().next().value as string);
    matchers.set(key, matcher);
  }
  return matcher;
}

/**
 * The matcher of a query value used as a pattern: a RegExp as it is, a
 * string read as `re:` (case-insensitive); anything else is not a pattern.
 */
export function patternMatcher(value: unknown): PatternMatcher | undefined {
  if (value instanceof RegExp) return compilePattern(value.source, value.flags);
  if (typeof value === "string") return compilePattern(value, "i");
  return undefined;
}

/**
 * Checks that a RegExp query value is in the pattern language (the JSON
 * query parser and parameter binding call it), so a bad pattern is refused
 * before any record is read.
 */
export function checkPattern(value: RegExp, where: string, position?: number): void {
  try {
    compilePattern(value.source, value.flags, position);
  } catch (error) {
    if (error instanceof QueryError)
      throw new QueryError(
        error.code,
        `${where}: ${error.message}`,
        position === undefined ? {} : { position },
      );
    throw error;
  }
}
