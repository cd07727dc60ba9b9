import type { JsonQuery, Query } from "../ast.js";
import { setFilterFactory } from "../execute-query.js";
import { matches } from "../matches.js";
import { parseQuery } from "../parse-query.js";
import { emitPredicate } from "./emit-predicate.js";
import { HELPER_NAMES, queryHelpers } from "./helpers.js";

/** The shape of a compiled predicate, and of the ones the build emits ahead of time. */
export type CompiledPredicate = (record: any, parameters: readonly unknown[]) => boolean; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A query's filter compiled to JavaScript. */
export interface CompiledQuery {
  /** `function (record, parameters) { ... }`: references only its arguments and `helpers`. */
  readonly source: string;
  /** Tests one record; `parameters` bind `$1`, `$2`, ... */
  predicate(record: unknown, parameters?: readonly unknown[]): boolean;
  /** The `perstore` exports the source calls. */
  readonly helpers: readonly string[];
  /** The parsed query. */
  readonly query: Query;
}

const NO_PARAMETERS: readonly unknown[] = Object.freeze([]);
const byObject = new WeakMap<object, CompiledQuery>();
const byString = new Map<string, CompiledQuery>();
const bySource = new Map<string, CompiledPredicate>();
const CACHE_LIMIT = 1000;

function helpersUsed(source: string): string[] {
  return HELPER_NAMES.filter((helper) => source.includes(`${helper}(`));
}

/** Turns source into a function; where `new Function` is banned, falls back to the interpreter. */
function instantiate(source: string, helpers: readonly string[], query: Query): CompiledPredicate {
  const cached = bySource.get(source);
  if (cached) return cached;
  let fn: CompiledPredicate;
  try {
    const factory = new Function(...helpers, `"use strict";\nreturn (${source});`) as (
      ...fns: unknown[]
    ) => CompiledPredicate;
    fn = factory(...helpers.map((h) => queryHelpers[h]));
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    const filter = query.filter;
    fn = (record, parameters) => matches(filter, record, parameters);
  }
  if (bySource.size >= CACHE_LIMIT) bySource.clear();
  bySource.set(source, fn);
  return fn;
}

/**
 * Compiles a query's filter to a JavaScript predicate, through the safe
 * emitter (user values appear only as escaped literals). Cached per query
 * string and per frozen query object (parsed ASTs); a mutable JSON query is
 * parsed again each time, so changing it after a call is never missed.
 * @example compileQuery("age>=18").predicate({ age: 20 }) // true
 * @example compileQuery("name=Smith").source
 * // function (record, parameters) {\n  const v0 = queryOwn(record, "name");\n  return (v0 === "Smith");\n}
 */
export function compileQuery(input: Query | string | JsonQuery): CompiledQuery {
  const cached = typeof input === "string" ? byString.get(input) : Object.isFrozen(input) ? byObject.get(input) : undefined;
  if (cached) return cached;
  const query = parseQuery(input);
  const compiled = byObject.get(query) ?? build(query);
  if (typeof input === "string") {
    if (byString.size >= CACHE_LIMIT) byString.clear();
    byString.set(input, compiled);
  }
  byObject.set(query, compiled);
  return compiled;
}

function build(query: Query): CompiledQuery {
  const source = emitPredicate(query.filter);
  const helpers = helpersUsed(source);
  const fn = instantiate(source, helpers, query);
  return Object.freeze({
    source,
    helpers: Object.freeze(helpers),
    query,
    predicate: (record: unknown, parameters?: readonly unknown[]) => fn(record, parameters ?? NO_PARAMETERS),
  });
}

// executeQuery filters with the compiled predicate (the interpreter remains the reference).
setFilterFactory((query) => {
  const compiled = compileQuery(query);
  return compiled.predicate;
});
