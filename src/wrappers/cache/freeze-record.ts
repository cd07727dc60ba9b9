/**
 * Cached values are deep-frozen copies: the cache never shares an object with
 * a caller (callers get `copyRecord` of the frozen value), and freezing makes
 * any slip inside the wrapper fail loudly instead of corrupting the cache.
 */
import { copyRecord } from "../../store/copy.js";
import type { Results } from "../../store/types.js";

/** Freezes `value` and everything reachable from it (plain data: objects, arrays, Dates). */
export function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A frozen copy of a query's answer (a Results array keeps its totalCount). */
export function frozenResult(value: unknown): unknown {
  if (!Array.isArray(value)) return deepFreeze(copyRecord(value));
  const copy = Object.assign(value.map(copyRecord), {
    totalCount: (value as Results<unknown>).totalCount,
  });
  return deepFreeze(copy);
}

/** A fresh, mutable copy of a frozen cached answer. */
export function thawResult(value: unknown): unknown {
  if (!Array.isArray(value)) return copyRecord(value);
  return Object.assign(value.map(copyRecord), {
    totalCount: (value as Results<unknown>).totalCount,
  });
}
