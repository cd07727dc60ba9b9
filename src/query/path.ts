import type { Path } from "./ast.js";

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Own property `key` of `target`, or `undefined`. Never reads a prototype, so
 * `constructor`, `toString` or `__proto__` are only ever a record's own data.
 * Used by compiled predicates, hence exported from `perstore`.
 */
export function queryOwn(target: unknown, key: string): unknown {
  return target !== null && typeof target === "object" && hasOwn.call(target, key)
    ? (target as Record<string, unknown>)[key]
    : undefined;
}

/**
 * The value at `path` inside `record`, following own properties only; `[]`
 * is the record itself, and a missing step gives `undefined`.
 * @example getPath({ a: { b: 1 } }, ["a", "b"]) // 1
 */
export function getPath(record: unknown, path: Path): unknown {
  let value = record;
  for (const key of path) {
    value = queryOwn(value, key);
    if (value === undefined) return undefined;
  }
  return value;
}
