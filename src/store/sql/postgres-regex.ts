/**
 * Patterns (`re:`, `RE:`, `glob:`, `match` values) as PostgreSQL AREs with
 * the same meaning, for the case-sensitive `~` operator. The pattern is
 * read once by the query layer's `parsePattern` (which refuses what is
 * outside the pattern language with QUERY_BAD_VALUE); here every character
 * set is written as explicit code point brackets, since PostgreSQL's `.`,
 * classes and `~*` depend on the locale, and case-insensitivity is already
 * folded into the sets.
 *
 * @example toPostgresRegex("^sm", "i") // "^[Ss][Mm]"
 */
import { compilePattern, type CharSet, type PatternNode } from "../../query/pattern/index.js";

/** The ARE of a parsed pattern. Lazy and greedy quantifiers find the same texts, so all are written greedy. */
function emit(node: PatternNode): string {
  switch (node.kind) {
    case "set":
      return emitSet(node.set);
    case "start":
      return "^";
    case "end":
      return "$";
    case "sequence":
      return node.items.map(emit).join("");
    case "choice":
      return node.options.map(emit).join("|");
    case "group":
      return `(?:${emit(node.body)})`;
    case "repeat": {
      const { min, max } = node;
      const body = emit(node.body);
      if (max === Infinity) return `${body}${min === 0 ? "*" : min === 1 ? "+" : `{${min},}`}`;
      if (min === 0 && max === 1) return `${body}?`;
      return `${body}{${min === max ? min : `${min},${max}`}}`;
    }
  }
}

/** A set as PostgreSQL text: a plain character when it is one, else a bracket of code point ranges. */
function emitSet(set: CharSet): string {
  // PostgreSQL text holds no NUL and no surrogates: leave them out.
  const usable: [number, number][] = [];
  for (const [lo, hi] of set) {
    const a = Math.max(lo, 1);
    if (a <= Math.min(hi, 0xd7ff)) usable.push([a, Math.min(hi, 0xd7ff)]);
    if (Math.max(a, 0xe000) <= hi) usable.push([Math.max(a, 0xe000), hi]);
  }
  if (usable.length === 0) return "[^\\U00000001-\\U0010FFFF]";
  if (usable.length === 1 && usable[0]![0] === usable[0]![1]) return literal(usable[0]![0]);
  const ranges = usable.map(([lo, hi]) =>
    lo === hi ? inBracket(lo) : `${inBracket(lo)}-${inBracket(hi)}`,
  );
  return `[${ranges.join("")}]`;
}

function hex(c: number): string {
  return `\\U${c.toString(16).toUpperCase().padStart(8, "0")}`;
}

function isAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function inBracket(c: number): string {
  return isAlphanumeric(c) ? String.fromCharCode(c) : hex(c);
}

function literal(c: number): string {
  if (isAlphanumeric(c)) return String.fromCharCode(c);
  if (c < 0x80 && c > 0x20 && c !== 0x7f) return `\\${String.fromCharCode(c)}`;
  return hex(c);
}

/**
 * The PostgreSQL ARE (for `~`) that matches exactly the texts in which the
 * pattern `/source/flags` finds a match, as perstore's matcher does.
 * Throws QueryError QUERY_BAD_VALUE for a pattern outside the pattern language.
 */
export function toPostgresRegex(source: string, flags: string): string {
  return emit(compilePattern(source, flags).pattern.root);
}
