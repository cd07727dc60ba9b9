import { QueryError } from "../errors/index.js";
import type { JsonQuery, Query, QuerySchema } from "./ast.js";
import { bindSchema } from "./bind-schema.js";
import { deepFreeze } from "./parse/freeze.js";
import { parseJsonQuery } from "./parse/json-query.js";
import { parseRql } from "./parse/rql-query.js";

/** Options of `parseQuery`. */
export interface ParseQueryOptions {
  /** When given, the query is checked and typed against it (see `bindSchema`). */
  readonly schema?: QuerySchema;
}

/**
 * One deep-frozen AST from an RQL / URL string (raw, still percent-encoded),
 * a JSON query object, or an existing AST. Throws `QueryError` with a stable
 * code, and for strings the `position` of the offending character.
 * @example parseQuery("age>=18&sort(-age)&limit(10)")
 * @example parseQuery({ field: "age", compare: "ge", value: 18 })
 */
export function parseQuery(
  input: string | JsonQuery | Query,
  options: ParseQueryOptions = {},
): Query {
  if (typeof input === "string") return parseString(input, options.schema);
  let query: Query;
  if (
    input !== null &&
    typeof input === "object" &&
    (input as { kind?: unknown }).kind === "query"
  ) {
    query = Object.isFrozen(input) ? (input as Query) : cloneAst(input as Query);
  } else if (input !== null && typeof input === "object") query = parseJsonQuery(input);
  else
    throw new QueryError(
      "QUERY_SYNTAX",
      `a query must be a string or an object, not ${input === null ? "null" : typeof input}`,
    );
  return options.schema ? bindSchema(query, options.schema) : deepFreeze(query);
}

/**
 * Parsed strings, per schema (`unbound` without one). ASTs are deep-frozen, so
 * one parse can serve every caller; stores re-running the same query string
 * (a lookup by an indexed field, say) skip the parser and hit the compiled
 * predicate and index-plan caches keyed by the AST.
 */
const CACHE_SIZE = 512;
const unbound = new Map<string, Query>();
const bySchema = new WeakMap<QuerySchema, Map<string, Query>>();

function parseString(input: string, schema: QuerySchema | undefined): Query {
  let cache = unbound;
  if (schema !== undefined) {
    let forSchema = bySchema.get(schema);
    if (forSchema === undefined) bySchema.set(schema, (forSchema = new Map()));
    cache = forSchema;
  }
  let query = cache.get(input);
  if (query === undefined) {
    const parsed = parseRql(input);
    query = schema ? bindSchema(parsed, schema) : deepFreeze(parsed);
    // Oldest first out: a Map iterates in insertion order.
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(input, query);
  }
  return query;
}

/** A copy of a hand-built AST, so freezing it never touches the caller's objects. */
function cloneAst<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value instanceof RegExp)
    return new RegExp(value.source, value.flags.replace(/[gy]/g, "")) as T;
  if (Array.isArray(value)) return value.map(cloneAst) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === "__proto__") continue;
    out[key] = cloneAst((value as Record<string, unknown>)[key]);
  }
  return out as T;
}
