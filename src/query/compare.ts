/**
 * The one equality and the one ordering every back end follows: strict typed
 * equality (no coercion, dates by instant), and a total order with null and
 * missing first, then by type, numbers numerically, strings by code point,
 * dates by instant.
 */
import { parseIsoInstant } from "./values.js";

/** True for `Date` values (a type guard compiled predicates rely on). */
export function queryIsDate(value: unknown): value is Date {
  return value instanceof Date;
}

/**
 * The instant a record value stands for when a query compares it with a
 * `Date`: a Date's time, or the time of a string that is an ISO-8601
 * date-time (JSON has no date type, so `format: date-time` properties hold
 * ISO strings); `NaN` for anything else, so every comparison with it is false.
 */
export function queryInstant(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string") return parseIsoInstant(value)?.getTime() ?? NaN;
  return NaN;
}

/**
 * Deep, strictly typed equality: `1` and `"1"` differ, `null` and `undefined`
 * are equal (both "no value"), `NaN` equals `NaN`, dates compare by instant,
 * arrays element-wise and plain objects by own keys.
 */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a !== typeof b) return false;
  if (typeof a === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== "object") return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  }
  if (a instanceof RegExp || b instanceof RegExp) {
    return (
      a instanceof RegExp && b instanceof RegExp && a.source === b.source && a.flags === b.flags
    );
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const key of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!valueEquals((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
      return false;
  }
  return true;
}

/**
 * Compares strings by Unicode code point (JavaScript's `<` compares UTF-16
 * code units, which orders astral characters before U+E000..U+FFFF).
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF: move them above U+E000..U+FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function rank(value: unknown): number {
  if (value == null) return 0;
  switch (typeof value) {
    case "boolean":
      return 1;
    case "number":
      return 2;
    case "bigint":
      return 2;
    case "string":
      return 3;
    case "object":
      if (value instanceof Date) return 4;
      return Array.isArray(value) ? 5 : 6;
    default:
      return 7;
  }
}

function compareNumbers(a: number, b: number): number {
  // NaN sorts first among numbers so the order stays total.
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The one total ordering (used by `sort`, `min`, `max`): null and missing
 * first, then booleans, numbers, strings, dates, arrays, objects; within a
 * type: numerically, by code point, by instant, arrays element-wise.
 * Returns a negative number, 0 or a positive number.
 */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return compareNumbers(Number(a), Number(b));
    case 3:
      return compareStrings(a as string, b as string);
    case 4:
      return compareNumbers((a as Date).getTime(), (b as Date).getTime());
    case 5: {
      const x = a as unknown[];
      const y = b as unknown[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    default:
      return 0;
  }
}

/**
 * The comparison the ordering operators (`lt le gt ge between`) use: a number
 * when both values are present and of the same type (number, string,
 * boolean or date), otherwise `NaN`, so every ordering test is false —
 * ordering never matches null, missing or a value of another type. A `Date`
 * query value also orders ISO-8601 date-time strings, by instant (`queryInstant`).
 */
export function queryOrder(actual: unknown, expected: unknown): number {
  if (actual == null || expected == null) return NaN;
  if (expected instanceof Date) {
    const a = queryInstant(actual);
    const b = expected.getTime();
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  }
  const t = typeof actual;
  if (t !== typeof expected) return NaN;
  if (t === "number") {
    const a = actual as number;
    const b = expected as number;
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  }
  if (t === "string") return compareStrings(actual as string, expected as string);
  if (t === "boolean") return actual === expected ? 0 : actual ? 1 : -1;
  return NaN;
}
