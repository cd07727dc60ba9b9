/**
 * Sets of code points, the one kind of "character" a pattern knows: sorted,
 * disjoint, inclusive intervals, and the fixed sets behind `.`, `\d`, `\w`
 * and `\s`.
 */

/** A set of code points: sorted, disjoint, inclusive intervals. */
export type CharSet = readonly (readonly [number, number])[];

/** The largest code point. */
export const MAX_CODE_POINT = 0x10ffff;

/** Sorts and merges intervals into a set. */
export function normalise(ranges: readonly (readonly [number, number])[]): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function union(...sets: CharSet[]): CharSet {
  return normalise(sets.flat());
}

export function complement(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** Whether `c` is in `set` (binary search). */
export function hasCodePoint(set: CharSet, c: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = set[mid]!;
    if (c < a) hi = mid - 1;
    else if (c > b) lo = mid + 1;
    else return true;
  }
  return false;
}

const chars = (...cs: string[]): CharSet =>
  normalise(cs.map((c) => [c.codePointAt(0)!, c.codePointAt(0)!]));
const range = (lo: string, hi: string): CharSet => [[lo.codePointAt(0)!, hi.codePointAt(0)!]];

export const ANY: CharSet = [[0, MAX_CODE_POINT]];
export const DIGITS: CharSet = range("0", "9");
export const WORD: CharSet = union(range("A", "Z"), range("a", "z"), DIGITS, chars("_"));
/** JavaScript's WhiteSpace and LineTerminator. */
export const SPACE: CharSet = union(
  chars("\t", "\n", "\v", "\f", "\r", " ", "\u00a0", "\u1680"),
  chars("\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"),
  range("\u2000", "\u200a"),
);
/** What `.` skips without the `s` flag. */
export const LINE_TERMINATORS: CharSet = chars("\n", "\r", "\u2028", "\u2029");
