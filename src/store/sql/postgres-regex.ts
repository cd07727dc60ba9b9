/**
 * JavaScript regular expressions (`re:`, `RE:`, `glob:`, `match` values)
 * translated to PostgreSQL AREs with the same meaning, for the
 * case-sensitive `~` operator. Everything whose meaning could differ is made
 * explicit: `.`, `\d`, `\w`, `\s` and classes become code point brackets
 * (PostgreSQL's classes and `~*` depend on the locale); the `i` flag expands
 * each character to its JavaScript case variants (so `k` under `iu` also
 * matches U+212A, as in JavaScript). Constructs without a faithful
 * translation (backreferences, lookaround, `\b`, the `m` and `v` flags,
 * Unicode property escapes, bounds above 255) are QUERY_UNSUPPORTED.
 *
 * @example toPostgresRegex("^sm", "i") // "^[Ss][Mm]"
 */
import { QueryError } from "../../errors/index.js";

/** A set of code points: sorted, disjoint, inclusive intervals. */
type CharSet = readonly (readonly [number, number])[];

const MAX = 0x10ffff;
/** PostgreSQL bounds repetitions at 255 (DUPMAX). */
const MAX_BOUND = 255;

function unsupported(source: string, why: string): QueryError {
  return new QueryError(
    "QUERY_UNSUPPORTED",
    `regular expression /${source}/ has no SQL translation: ${why}`,
  );
}

function normalise(ranges: (readonly [number, number])[]): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function union(...sets: CharSet[]): CharSet {
  return normalise(sets.flat());
}

function complement(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX) out.push([next, MAX]);
  return out;
}

function has(set: CharSet, c: number): boolean {
  return set.some(([lo, hi]) => lo <= c && c <= hi);
}

const chars = (...cs: string[]): CharSet =>
  normalise(cs.map((c) => [c.codePointAt(0)!, c.codePointAt(0)!]));
const range = (lo: string, hi: string): CharSet => [[lo.codePointAt(0)!, hi.codePointAt(0)!]];

const DIGITS = range("0", "9");
const WORD = union(range("A", "Z"), range("a", "z"), DIGITS, chars("_"));
/** JavaScript's WhiteSpace and LineTerminator. */
const SPACE = union(
  chars(
    "\t",
    "\n",
    "\v",
    "\f",
    "\r",
    " ",
    "\u00a0",
    "\u1680",
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
    "\ufeff",
  ),
  range("\u2000", "\u200a"),
);
const LINE_TERMINATORS = chars("\n", "\r", "\u2028", "\u2029");
const KELVIN = 0x212a;
const LONG_S = 0x17f;

/** A piece of a class; `closed` pieces already hold every case variant of their members. */
interface Piece {
  readonly set: CharSet;
  readonly closed: boolean;
}

class Translator {
  #i = 0;
  readonly #text: string;
  readonly #unicode: boolean;
  readonly #ignoreCase: boolean;
  readonly #dotAll: boolean;

  constructor(
    readonly source: string,
    flags: string,
  ) {
    for (const flag of flags) {
      if (!"giuysd".includes(flag)) throw unsupported(source, `the "${flag}" flag`);
    }
    this.#text = source;
    this.#unicode = flags.includes("u");
    this.#ignoreCase = flags.includes("i");
    this.#dotAll = flags.includes("s");
  }

  translate(): string {
    const out = this.disjunction();
    if (this.#i < this.#text.length)
      throw unsupported(this.source, `unexpected ${this.#text[this.#i]}`);
    return out;
  }

  fail(why: string): never {
    throw unsupported(this.source, why);
  }

  peek(offset = 0): string | undefined {
    return this.#text[this.#i + offset];
  }

  /** The next character: a code point in unicode mode, a UTF-16 unit otherwise (surrogates are refused). */
  next(): number {
    const c = this.#unicode ? this.#text.codePointAt(this.#i)! : this.#text.charCodeAt(this.#i);
    this.#i += c > 0xffff ? 2 : 1;
    if (c >= 0xd800 && c <= 0xdfff)
      this.fail("a character outside the Basic Multilingual Plane without the u flag");
    return c;
  }

  disjunction(): string {
    const alternatives = [this.alternative()];
    while (this.peek() === "|") {
      this.#i++;
      alternatives.push(this.alternative());
    }
    return alternatives.join("|");
  }

  alternative(): string {
    let out = "";
    for (let c = this.peek(); c !== undefined && c !== "|" && c !== ")"; c = this.peek()) {
      if (c === "^" || c === "$") {
        this.#i++;
        out += c;
        continue;
      }
      out += this.atom() + this.quantifier();
    }
    return out;
  }

  atom(): string {
    const c = this.peek()!;
    if (c === "(") {
      this.#i++;
      let open = "(";
      if (this.peek() === "?") {
        if (this.peek(1) !== ":") this.fail("lookaround assertions, named groups and modifiers");
        this.#i += 2;
        open = "(?:";
      }
      const inner = this.disjunction();
      if (this.peek() !== ")") this.fail("an unclosed group");
      this.#i++;
      return `${open}${inner})`;
    }
    if (c === "[") return this.emitSet(this.characterClass());
    if (c === ".") {
      this.#i++;
      return this.emitSet(this.#dotAll ? [[0, MAX]] : complement(LINE_TERMINATORS));
    }
    if (c === "\\") {
      this.#i++;
      const escape = this.escape(false);
      return this.emitSet(
        typeof escape === "number"
          ? this.expand([{ set: [[escape, escape]], closed: false }])
          : escape.set,
      );
    }
    if ("*+?".includes(c) || (c === "{" && this.bound() !== undefined))
      this.fail("nothing to repeat");
    const code = this.next();
    return this.emitSet(this.expand([{ set: [[code, code]], closed: false }]));
  }

  /** `{n}`, `{n,}`, `{n,m}` at the cursor (consumed only when `consume`), else undefined. */
  bound(consume = false): string | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.#text.slice(this.#i));
    if (!m) return undefined;
    if (consume) {
      if (
        Number(m[1]) > MAX_BOUND ||
        (m[3] !== undefined && m[3] !== "" && Number(m[3]) > MAX_BOUND)
      ) {
        this.fail(`a repetition bound above ${MAX_BOUND}`);
      }
      this.#i += m[0].length;
    }
    return m[0];
  }

  quantifier(): string {
    const c = this.peek();
    let q: string;
    if (c === "*" || c === "+" || c === "?") {
      this.#i++;
      q = c;
    } else if (c === "{" && this.bound() !== undefined) q = this.bound(true)!;
    else return "";
    if (this.peek() === "?") {
      this.#i++;
      q += "?";
    }
    return q;
  }

  /** After a backslash: a character, or a class escape (`\d` ...) as a closed set. */
  escape(inClass: boolean): number | Piece {
    const c = this.peek();
    if (c === undefined) this.fail("a trailing backslash");
    const classEscape = this.classEscape(c);
    if (classEscape !== undefined) {
      this.#i++;
      return classEscape;
    }
    const simple: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
    if (simple[c] !== undefined) {
      this.#i++;
      return simple[c];
    }
    if (c === "b" && inClass) {
      this.#i++;
      return 8;
    }
    if (c === "x" && /^[0-9a-fA-F]{2}$/.test(this.#text.slice(this.#i + 1, this.#i + 3))) {
      this.#i += 3;
      return parseInt(this.#text.slice(this.#i - 2, this.#i), 16);
    }
    if (c === "u") {
      const braced = this.#unicode ? /^u\{([0-9a-fA-F]+)\}/.exec(this.#text.slice(this.#i)) : null;
      const plain = /^u([0-9a-fA-F]{4})/.exec(this.#text.slice(this.#i));
      const m = braced ?? plain;
      if (m) {
        let code = parseInt(m[1]!, 16);
        this.#i += m[0].length;
        // \uD83D\uDE00 in unicode mode is one character.
        const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.#text.slice(this.#i));
        if (this.#unicode && code >= 0xd800 && code <= 0xdbff && low) {
          code = 0x10000 + ((code - 0xd800) << 10) + (parseInt(low[1]!, 16) - 0xdc00);
          this.#i += low[0].length;
        }
        if (code >= 0xd800 && code <= 0xdfff) this.fail("a lone surrogate");
        return code;
      }
    }
    if (/[0-9]/.test(c)) this.fail("backreferences and octal escapes");
    if (/[bBcpPk]/.test(c)) this.fail(`the escape \\${c}`);
    // An identity escape: the character itself.
    return this.next();
  }

  classEscape(c: string): Piece | undefined {
    const word =
      this.#ignoreCase && this.#unicode
        ? union(WORD, [
            [LONG_S, LONG_S],
            [KELVIN, KELVIN],
          ])
        : WORD;
    switch (c) {
      case "d":
        return { set: DIGITS, closed: true };
      case "D":
        return { set: complement(DIGITS), closed: true };
      case "w":
        return { set: word, closed: true };
      case "W":
        return { set: complement(word), closed: true };
      case "s":
        return { set: SPACE, closed: true };
      case "S":
        return { set: complement(SPACE), closed: true };
      default:
        return undefined;
    }
  }

  /** `[...]` / `[^...]`: the set of characters it matches (case variants included). */
  characterClass(): CharSet {
    this.#i++;
    const negated = this.peek() === "^";
    if (negated) this.#i++;
    const pieces: Piece[] = [];
    while (this.peek() !== "]") {
      if (this.peek() === undefined) this.fail("an unclosed class");
      const from = this.classAtom();
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
        this.#i++;
        const to = this.classAtom();
        if (typeof from === "number" && typeof to === "number") {
          pieces.push({ set: [[from, to]], closed: false });
          continue;
        }
        // `[\d-z]` (web compatibility): the escape, a hyphen and the other end.
        pieces.push(typeof from === "number" ? { set: [[from, from]], closed: false } : from, {
          set: chars("-"),
          closed: false,
        });
        pieces.push(typeof to === "number" ? { set: [[to, to]], closed: false } : to);
        continue;
      }
      pieces.push(typeof from === "number" ? { set: [[from, from]], closed: false } : from);
    }
    this.#i++;
    const set = this.expand(pieces);
    return negated ? complement(set) : set;
  }

  classAtom(): number | Piece {
    if (this.peek() === "\\") {
      this.#i++;
      return this.escape(true);
    }
    return this.next();
  }

  /** Adds the characters JavaScript's `i` flag treats as equal (ASCII letters, and U+017F / U+212A in unicode mode). */
  expand(pieces: readonly Piece[]): CharSet {
    const sets = pieces.map((p) => p.set);
    if (!this.#ignoreCase) return union(...sets);
    const extra: (readonly [number, number])[] = [];
    for (const piece of pieces) {
      if (piece.closed) continue;
      for (const [lo, hi] of piece.set) {
        // ASCII letters: the other case.
        for (const [a, z, shift] of [
          [0x41, 0x5a, 32],
          [0x61, 0x7a, -32],
        ] as const) {
          const l = Math.max(lo, a);
          const h = Math.min(hi, z);
          if (l <= h) extra.push([l + shift, h + shift]);
        }
        if (hi < 0x80) continue;
        const start = Math.max(lo, 0x80);
        if (hi - start > 0x3000)
          this.fail("a case-insensitive range over many non-ASCII characters");
        for (let c = start; c <= hi; c++) {
          if (this.#unicode && (c === KELVIN || c === LONG_S)) continue;
          const s = String.fromCodePoint(c);
          if (s.toLowerCase() !== s || s.toUpperCase() !== s)
            this.fail("case-insensitive non-ASCII letters");
        }
      }
    }
    let set = union(...sets, extra);
    if (this.#unicode) {
      // Unicode simple case folding: K (U+212A) is k, ſ (U+017F) is s.
      const fold: (readonly [number, number[]])[] = [
        [KELVIN, [0x4b, 0x6b]],
        [LONG_S, [0x53, 0x73]],
      ];
      for (const [special, ascii] of fold) {
        if (has(set, special) || ascii.some((c) => has(set, c)))
          set = union(
            set,
            [[special, special]],
            ascii.map((c) => [c, c] as const),
          );
      }
    }
    return set;
  }

  /** A set as PostgreSQL text: a plain character when it is one, else a bracket of code point ranges. */
  emitSet(set: CharSet): string {
    // PostgreSQL text holds no NUL and no surrogates.
    const usable = normalise(
      set.flatMap(([lo, hi]) => {
        const parts: [number, number][] = [];
        const a = Math.max(lo, 1);
        if (a <= Math.min(hi, 0xd7ff)) parts.push([a, Math.min(hi, 0xd7ff)]);
        if (Math.max(a, 0xe000) <= hi) parts.push([Math.max(a, 0xe000), hi]);
        return parts;
      }),
    );
    if (usable.length === 0) return "[^\\U00000001-\\U0010FFFF]";
    const only = usable.length === 1 && usable[0]![0] === usable[0]![1] ? usable[0]![0] : undefined;
    if (only !== undefined) return literal(only);
    return `[${usable.map(([lo, hi]) => (lo === hi ? inBracket(lo) : `${inBracket(lo)}-${inBracket(hi)}`)).join("")}]`;
  }
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
 * The PostgreSQL ARE (for `~`) that matches exactly the strings the
 * JavaScript regular expression `/source/flags` finds a match in.
 * Throws QUERY_UNSUPPORTED for what has no faithful translation.
 */
export function toPostgresRegex(source: string, flags: string): string {
  return new Translator(source, flags).translate();
}
