import { QueryError } from "../errors/index.js";
import type { JsonQuery, Query, QuerySchema } from "./ast.js";
import { bindSchema } from "./bind-schema.js";
import { deepFreeze } from "./parse/freeze.js";
import { parseJsonQuery } from "./parse/json-query.js";
import { parseRql } from "./parse/rql-query.js";

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
export function parseQuery(input: string | JsonQuery | Query, options: ParseQueryOptions = {}): Query {
  let query: Query;
  if (typeof input === "string") query = parseRql(input);
  else if (input !== null && typeof input === "object" && (input as { kind?: unknown }).kind === "query") {
    query = Object.isFrozen(input) ? (input as Query) : cloneAst(input as Query);
  } else if (input !== null && typeof input === "object") query = parseJsonQuery(input);
  else throw new QueryError("QUERY_SYNTAX", `a query must be a string or an object, not ${input === null ? "null" : typeof input}`);
  return options.schema ? bindSchema(query, options.schema) : deepFreeze(query);
}

/** A copy of a hand-built AST, so freezing it never touches the caller's objects. */
function cloneAst<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value instanceof RegExp) return new RegExp(value.source, value.flags.replace(/[gy]/g, "")) as T;
  if (Array.isArray(value)) return value.map(cloneAst) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === "__proto__") continue;
    out[key] = cloneAst((value as Record<string, unknown>)[key]);
  }
  return out as T;
}
