/** perstore's pattern language: one parser, a linear-time matcher, and the AST the SQL translation reads. */
export { parsePattern } from "./parse-pattern.js";
export { compilePattern, patternMatcher, checkPattern } from "./compile-pattern.js";
export { PatternMatcher } from "./pattern-matcher.js";
export type { Pattern, PatternNode } from "./pattern-ast.js";
export { MAX_BOUND, MAX_PATTERN_SIZE } from "./pattern-ast.js";
export type { CharSet } from "./char-set.js";
