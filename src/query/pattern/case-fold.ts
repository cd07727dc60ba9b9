/**
 * Case-insensitive matching (`re:`, `glob:`, the `i` flag): two characters
 * are equal when they have the same canonical form, JavaScript's rule for
 * regular expressions without the `u` flag: the character's uppercase when
 * that is one character, except that a non-ASCII character never becomes an
 * ASCII one (so the Kelvin sign is not `k`, and `ſ` is not `s`).
 */
import { hasCodePoint, union, type CharSet } from "./char-set.js";

/** The canonical form of `c` (see the module comment). */
export function canonical(c: number): number {
  const upper = String.fromCodePoint(c).toUpperCase();
  const u = upper.codePointAt(0)!;
  if (upper.length !== (u > 0xffff ? 2 : 1)) return c;
  return c >= 0x80 && u < 0x80 ? c : u;
}

/** The highest code point with a case (Adlam ends at U+1E94B; nothing cased lies above). */
const LAST_CASED = 0x1ffff;

let classes: readonly (readonly number[])[] | undefined;

/**
 * Every group of two or more characters that share a canonical form, built
 * once on first use (about 1,400 groups, a few tens of milliseconds).
 */
function caseClasses(): readonly (readonly number[])[] {
  if (classes !== undefined) return classes;
  const byCanonical = new Map<number, number[]>();
  for (let c = 0x80; c <= LAST_CASED; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const k = canonical(c);
    if (k === c) continue;
    let members = byCanonical.get(k);
    if (members === undefined) {
      members = canonical(k) === k ? [k] : [];
      byCanonical.set(k, members);
    }
    members.push(c);
  }
  classes = [...byCanonical.values()].filter((m) => m.length > 1);
  return classes;
}

/** ASCII letters: their other case (no non-ASCII character shares their canonical form). */
function asciiCases(set: CharSet): (readonly [number, number])[] {
  const extra: (readonly [number, number])[] = [];
  for (const [lo, hi] of set) {
    for (const [a, z, shift] of [
      [0x41, 0x5a, 32],
      [0x61, 0x7a, -32],
    ] as const) {
      const l = Math.max(lo, a);
      const h = Math.min(hi, z);
      if (l <= h) extra.push([l + shift, h + shift]);
    }
  }
  return extra;
}

/** `set` with every character that is case-insensitively equal to one of its members. */
export function caseClosure(set: CharSet): CharSet {
  const extra = asciiCases(set);
  if (set.length > 0 && set[set.length - 1]![1] >= 0x80) {
    for (const members of caseClasses()) {
      if (members.some((m) => hasCodePoint(set, m))) {
        for (const m of members) extra.push([m, m]);
      }
    }
  }
  return extra.length === 0 ? set : union(set, extra);
}
