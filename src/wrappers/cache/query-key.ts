/**
 * The key a query's cached answer is stored under: an unambiguous encoding of
 * the query (RQL text, JSON query object or parsed AST) and its options.
 * Every value is tagged by its kind, so no user object can spell the encoding
 * of another (`{ "$date": 1 }` is not a Date). Values the encoding cannot
 * represent exactly (functions, class instances, cycles) make the query
 * uncacheable: it then always goes to the master.
 */
import type { QueryInput, QueryOptions } from "../../store/types.js";

class Uncacheable extends Error {}

/** The cache key for `query` with `options`, or undefined when it cannot be cached. */
export function queryKey(query: QueryInput, options: QueryOptions | undefined): string | undefined {
  try {
    const seen = new Set<object>();
    return JSON.stringify([
      encode(query, seen),
      encode(options?.start, seen),
      encode(options?.end, seen),
      encode(options?.parameters, seen),
      // A capped count is another answer (totalCount differs).
      encode(options?.maxCount, seen),
    ]);
  } catch (error) {
    if (error instanceof Uncacheable) return undefined;
    throw error;
  }
}

function encode(value: unknown, seen: Set<object>): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "undefined":
      return ["u"];
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? value : ["n", String(value)];
    case "object":
      break;
    default:
      throw new Uncacheable();
  }
  if (value === null) return null;
  if (value instanceof Date) return ["d", value.getTime()];
  if (value instanceof RegExp) return ["r", value.source, value.flags];
  if (seen.has(value)) throw new Uncacheable();
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value)) out = ["a", ...value.map((item) => encode(item, seen))];
  else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new Uncacheable();
    const keys = Object.keys(value).sort();
    out = ["o", ...keys.flatMap((k) => [k, encode((value as Record<string, unknown>)[k], seen)])];
  }
  seen.delete(value);
  return out;
}
