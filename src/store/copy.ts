/**
 * Copying records in and out of stores. A copy is a deep clone of plain data
 * (objects, arrays, Dates, primitives) into fresh objects; keys that could
 * reach a prototype (`__proto__`, `constructor`, `prototype`) are dropped, so
 * no input ever changes an object's prototype.
 */

const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** True for keys that must never be copied onto a stored record. */
export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key);
}

/** Deep copy of plain data; class instances other than Date/RegExp are copied as plain objects. */
export function copyRecord<T>(value: T): T {
  return copyValue(value) as T;
}

function copyValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyValue(value[i]);
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) continue;
    out[key] = copyValue((value as Record<string, unknown>)[key]);
  }
  return out;
}
