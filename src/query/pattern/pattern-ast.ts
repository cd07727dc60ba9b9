/**
 * A parsed pattern: what `re:`, `RE:`, `glob:` and `match` values mean, once,
 * for every back end (the linear-time matcher and the PostgreSQL
 * translation). Characters are code points; case-insensitivity is already
 * folded into the sets.
 */
import type { CharSet } from "./char-set.js";

export type PatternNode =
  /** One character from the set. */
  | { readonly kind: "set"; readonly set: CharSet }
  /** `^`: the start of the text. */
  | { readonly kind: "start" }
  /** `$`: the end of the text. */
  | { readonly kind: "end" }
  | { readonly kind: "sequence"; readonly items: readonly PatternNode[] }
  /** `a|b`: at least one option matches. */
  | { readonly kind: "choice"; readonly options: readonly PatternNode[] }
  /** `(...)` / `(?:...)`: kept so a translation can write the parentheses back. */
  | { readonly kind: "group"; readonly body: PatternNode }
  /** `body{min,max}`; `max` is Infinity for `*`, `+` and `{n,}`. */
  | {
      readonly kind: "repeat";
      readonly body: PatternNode;
      readonly min: number;
      readonly max: number;
    };

/** A pattern in perstore's pattern language. */
export interface Pattern {
  readonly source: string;
  readonly flags: string;
  /** The flags `i` and `s` are already applied to its sets. */
  readonly root: PatternNode;
  /** Character positions once bounded repetitions are written out (see MAX_PATTERN_SIZE). */
  readonly size: number;
}

/** Repetition bounds above this are refused (PostgreSQL's limit too). */
export const MAX_BOUND = 255;

/**
 * The most character positions a pattern may expand to (`(a{100}){100}` is
 * 10,000): the matcher's work per character of text grows with it.
 */
export const MAX_PATTERN_SIZE = 5000;

/** Character positions of `node` once repetitions are written out. */
export function patternSize(node: PatternNode): number {
  switch (node.kind) {
    case "set":
      return 1;
    case "start":
    case "end":
      return 0;
    case "sequence":
      return node.items.reduce((n, item) => n + patternSize(item), 0);
    case "choice":
      return node.options.reduce((n, option) => n + patternSize(option), 0);
    case "group":
      return patternSize(node.body);
    case "repeat":
      return patternSize(node.body) * Math.max(1, node.max === Infinity ? node.min + 1 : node.max);
  }
}
