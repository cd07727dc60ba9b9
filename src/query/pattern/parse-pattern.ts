/**
 * Reads a JavaScript regular expression into perstore's pattern language,
 * or refuses it with QUERY_BAD_VALUE. The language is the part of
 * JavaScript's syntax that a linear-time matcher and PostgreSQL can both give
 * one meaning: characters, `.`, classes, the escapes `\d \D \w \W \s \S`,
 * groups, `|`, quantifiers with bounds up to 255, and `^` `$` at the text's
 * ends. Refused: backreferences, lookaround, named groups, `\b` `\B`, `\p{}`,
 * `\c`, `\k`, octal escapes, and the `m` and `v` flags. The text is read by
 * code points whatever the flags (as with `u`).
 */
import { QueryError } from "../../errors/index.js";
import { caseClosure } from "./case-fold.js";
import {
  ANY,
  complement,
  DIGITS,
  LINE_TERMINATORS,
  normalise,
  SPACE,
  union,
  WORD,
  type CharSet,
} from "./char-set.js";
import {
  MAX_BOUND,
  MAX_PATTERN_SIZE,
  patternSize,
  type Pattern,
  type PatternNode,
} from "./pattern-ast.js";

/** Flags that change nothing for a yes/no search (`g`, `y`, `d`) are ignored. */
const ALLOWED_FLAGS = "isugyd";

/** Groups may nest this deep (every back end walks the pattern recursively). */
const MAX_NESTING = 50;

/** A piece of a class; `closed` pieces (`\d`, `\w` ...) are never case-folded, as in JavaScript. */
interface Piece {
  readonly set: CharSet;
  readonly closed: boolean;
}

const single = (c: number): Piece => ({ set: [[c, c]], closed: false });

class PatternParser {
  #i = 0;
  #depth = 0;
  readonly #ignoreCase: boolean;
  readonly #dotAll: boolean;
  readonly #unicode: boolean;

  constructor(
    readonly source: string,
    readonly flags: string,
    readonly position: number | undefined,
  ) {
    this.#ignoreCase = flags.includes("i");
    this.#dotAll = flags.includes("s");
    this.#unicode = flags.includes("u");
  }

  fail(why: string, at = this.#i): never {
    throw new QueryError(
      "QUERY_BAD_VALUE",
      `pattern /${this.source}/${this.flags}: ${why} (at character ${at + 1} of the pattern)`,
      this.position === undefined ? {} : { position: this.position },
    );
  }

  parse(): PatternNode {
    const root = this.disjunction();
    if (this.#i < this.source.length) this.fail(`unexpected ${this.source[this.#i]}`);
    return root;
  }

  peek(offset = 0): string | undefined {
    return this.source[this.#i + offset];
  }

  /** The next code point (a surrogate pair is one, with or without the `u` flag). */
  next(): number {
    const c = this.source.codePointAt(this.#i)!;
    this.#i += c > 0xffff ? 2 : 1;
    return c;
  }

  disjunction(): PatternNode {
    const options = [this.alternative()];
    while (this.peek() === "|") {
      this.#i++;
      options.push(this.alternative());
    }
    return options.length === 1 ? options[0]! : { kind: "choice", options };
  }

  alternative(): PatternNode {
    const items: PatternNode[] = [];
    for (let c = this.peek(); c !== undefined && c !== "|" && c !== ")"; c = this.peek()) {
      if (c === "^" || c === "$") {
        this.#i++;
        items.push({ kind: c === "^" ? "start" : "end" });
        continue;
      }
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { kind: "sequence", items };
  }

  atom(): PatternNode {
    const c = this.peek()!;
    if (c === "(") return this.group();
    if (c === "[") return this.set(this.characterClass());
    if (c === ".") {
      this.#i++;
      return this.set(this.#dotAll ? ANY : complement(LINE_TERMINATORS));
    }
    if (c === "\\") {
      this.#i++;
      const escape = this.escape(false);
      return this.set(typeof escape === "number" ? this.fold([single(escape)]) : escape.set);
    }
    if ("*+?".includes(c) || (c === "{" && this.bound() !== undefined))
      this.fail("nothing to repeat");
    return this.set(this.fold([single(this.next())]));
  }

  set(set: CharSet): PatternNode {
    return { kind: "set", set };
  }

  group(): PatternNode {
    const open = this.#i++;
    if (++this.#depth > MAX_NESTING) this.fail(`groups nested more than ${MAX_NESTING} deep`, open);
    if (this.peek() === "?") {
      if (this.peek(1) !== ":")
        this.fail("lookahead, lookbehind, named groups and modifiers are not supported");
      this.#i += 2;
    }
    const body = this.disjunction();
    if (this.peek() !== ")") this.fail("an unclosed group", open);
    this.#i++;
    this.#depth--;
    return { kind: "group", body };
  }

  /** `{n}`, `{n,}`, `{n,m}` at the cursor, else undefined. */
  bound(): RegExpExecArray | undefined {
    return /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.#i)) ?? undefined;
  }

  quantified(body: PatternNode): PatternNode {
    const at = this.#i;
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === "*" || c === "+" || c === "?") {
      this.#i++;
      [min, max] = c === "*" ? [0, Infinity] : c === "+" ? [1, Infinity] : [0, 1];
    } else {
      const m = c === "{" ? this.bound() : undefined;
      if (m === undefined) return body;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      if (min > MAX_BOUND || (max !== Infinity && max > MAX_BOUND))
        this.fail(`a repetition bound above ${MAX_BOUND}`, at);
      if (max < min) this.fail("numbers out of order in a quantifier", at);
      this.#i += m[0].length;
    }
    // Lazy or greedy: the same strings contain a match.
    if (this.peek() === "?") this.#i++;
    if (this.peek() === "*" || this.peek() === "+" || this.peek() === "?")
      this.fail("nothing to repeat");
    return { kind: "repeat", body, min, max };
  }

  /** After a backslash: a character, or a class escape (`\d` ...) as a closed piece. */
  escape(inClass: boolean): number | Piece {
    const at = this.#i - 1;
    const c = this.peek();
    if (c === undefined) this.fail("a trailing backslash", at);
    const classEscape = CLASS_ESCAPES[c];
    if (classEscape !== undefined) {
      this.#i++;
      return { set: classEscape, closed: true };
    }
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      this.#i++;
      return simple;
    }
    if (c === "b" && inClass) {
      this.#i++;
      return 8;
    }
    if (c === "0" && !/[0-9]/.test(this.peek(1) ?? "")) {
      this.#i++;
      return 0;
    }
    if (c === "x" && /^[0-9a-fA-F]{2}$/.test(this.source.slice(this.#i + 1, this.#i + 3))) {
      this.#i += 3;
      return parseInt(this.source.slice(this.#i - 2, this.#i), 16);
    }
    if (c === "u") {
      const code = this.unicodeEscape();
      if (code !== undefined) return code;
    }
    if (/[0-9]/.test(c)) this.fail("backreferences and octal escapes are not supported", at);
    if (/[bBcpPkK]/.test(c)) this.fail(`the escape \\${c} is not supported`, at);
    if (this.#unicode && !/[\^$\\.*+?()[\]{}|/-]/.test(c)) this.fail(`\\${c} is not an escape`, at);
    // An identity escape: the character itself.
    return this.next();
  }

  /** `\uHHHH` (a pair of them is one character when they make a surrogate pair) or `\u{H...}` with `u`. */
  unicodeEscape(): number | undefined {
    const rest = this.source.slice(this.#i);
    const m =
      (this.#unicode ? /^u\{([0-9a-fA-F]+)\}/.exec(rest) : null) ?? /^u([0-9a-fA-F]{4})/.exec(rest);
    if (!m) return undefined;
    let code = parseInt(m[1]!, 16);
    this.#i += m[0].length;
    const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.source.slice(this.#i));
    if (code >= 0xd800 && code <= 0xdbff && low) {
      code = 0x10000 + ((code - 0xd800) << 10) + (parseInt(low[1]!, 16) - 0xdc00);
      this.#i += low[0].length;
    }
    return code;
  }

  /** `[...]` / `[^...]`: the set of characters it matches (case variants included). */
  characterClass(): CharSet {
    const open = this.#i++;
    const negated = this.peek() === "^";
    if (negated) this.#i++;
    const pieces: Piece[] = [];
    while (this.peek() !== "]") {
      if (this.peek() === undefined) this.fail("an unclosed class", open);
      const from = this.classAtom();
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
        const dash = this.#i++;
        const to = this.classAtom();
        if (typeof from === "number" && typeof to === "number") {
          if (to < from) this.fail("a class range out of order", dash);
          pieces.push({ set: [[from, to]], closed: false });
          continue;
        }
        if (this.#unicode) this.fail("a class escape as a range end", dash);
        // `[\d-z]` (web compatibility): the escape, a hyphen and the other end.
        pieces.push(typeof from === "number" ? single(from) : from, single(0x2d));
        pieces.push(typeof to === "number" ? single(to) : to);
        continue;
      }
      pieces.push(typeof from === "number" ? single(from) : from);
    }
    this.#i++;
    const set = this.fold(pieces);
    return negated ? complement(set) : set;
  }

  classAtom(): number | Piece {
    if (this.peek() === "\\") {
      this.#i++;
      return this.escape(true);
    }
    return this.next();
  }

  /** The union of the pieces, with case variants of the open ones under `i`. */
  fold(pieces: readonly Piece[]): CharSet {
    const closed = pieces.filter((p) => p.closed).map((p) => p.set);
    const open = normalise(pieces.filter((p) => !p.closed).flatMap((p) => p.set));
    return union(...closed, this.#ignoreCase ? caseClosure(open) : open);
  }
}

const CLASS_ESCAPES: Readonly<Record<string, CharSet>> = {
  __proto__: null,
  d: DIGITS,
  D: complement(DIGITS),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
} as unknown as Record<string, CharSet>;

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  __proto__: null,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
} as unknown as Record<string, number>;

/**
 * JavaScript's syntax check. A pattern is read by code points, so without
 * the `u` flag `[😀-😂]` is still a range: it passes when it is valid with `u`.
 */
function checkSyntax(source: string, flags: string): void {
  try {
    new RegExp(source, flags);
  } catch (error) {
    if (flags.includes("u") || !/[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(source)) throw error;
    new RegExp(source, `${flags}u`);
  }
}

/**
 * Reads `/source/flags` as a pattern, or throws QueryError QUERY_BAD_VALUE
 * (at `position`, the query value's, when given) saying what is refused.
 * @example parsePattern("^sm(i|y)th$", "i")
 */
export function parsePattern(source: string, flags: string, position?: number): Pattern {
  const where = position === undefined ? {} : { position };
  for (const flag of flags) {
    if (!ALLOWED_FLAGS.includes(flag))
      throw new QueryError(
        "QUERY_BAD_VALUE",
        `pattern /${source}/${flags}: the "${flag}" flag is not supported`,
        where,
      );
  }
  try {
    // JavaScript's own syntax check (parsing is linear; nothing is run).
    checkSyntax(source, flags.replace(/[gyd]/g, ""));
  } catch (error) {
    throw new QueryError(
      "QUERY_BAD_VALUE",
      `invalid regular expression /${source}/${flags}: ${(error as Error).message}`,
      where,
    );
  }
  const root = new PatternParser(source, flags, position).parse();
  const size = patternSize(root);
  if (size > MAX_PATTERN_SIZE)
    throw new QueryError(
      "QUERY_BAD_VALUE",
      `pattern /${source}/${flags} is too large: ${size} character positions once repetitions are counted out (at most ${MAX_PATTERN_SIZE})`,
      where,
    );
  return { source, flags, root, size };
}
