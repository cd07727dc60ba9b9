/**
 * Data to a JS expression, for emitting query ASTs and other literals: like
 * JSON, plus `undefined`, non-finite numbers, Dates and RegExps. Keys and
 * strings are always JSON-escaped, so no input can become code.
 */
export function toCode(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return Object.is(value, -0) ? "-0" : String(value);
  }
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (value instanceof Date) return `new Date(${JSON.stringify(value.toISOString())})`;
  if (value instanceof RegExp)
    return `new RegExp(${JSON.stringify(value.source)}, ${JSON.stringify(value.flags)})`;
  if (Array.isArray(value)) return `[${value.map(toCode).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined || true,
    );
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${toCode(v)}`).join(", ")} }`;
  }
  throw new TypeError(`cannot emit a ${typeof value} as a literal`);
}
