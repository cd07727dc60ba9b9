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
  /**
   * The records of `records` that match, in order, as a new array: the same
   * test as `predicate` in a loop made for this query alone, so the engine
   * inlines the test (a loop shared by every query calls it indirectly).
   * With `limit`, it stops once it holds that many; with `map`, each match
   * is kept as `map(match)`, made while the match is still in the cache.
   */
  filter<T>(
    records: readonly T[],
    parameters?: readonly unknown[],
    limit?: number,
    map?: (record: T) => T,
  ): T[];
  /** The `perstore` exports the source calls. */
  readonly helpers: readonly string[];
  /** The parsed query. */
  readonly query: Query;
}

const NO_PARAMETERS: readonly unknown[] = Object.freeze([]);
const byObject = new WeakMap<object, CompiledQuery>();
const byString = new Map<string, CompiledQuery>();
type FilterLoop = (
  records: readonly unknown[],
  parameters: readonly unknown[],
  limit?: number,
  map?: (record: unknown) => unknown,
) => unknown[];

interface Instance {
  readonly test: CompiledPredicate;
  readonly loop: FilterLoop;
}

const bySource = new Map<string, Instance>();
const CACHE_LIMIT = 1000;

// The loop's text is fixed; each query gets its own copy (its own call-site feedback) around its test.
// `limit` (how many matches are enough) is Infinity unless a page needs only its first matches;
// `map` (a store's copy) is applied to a match right after the test read it.
const LOOP_SOURCE =
  '"use strict";\nreturn function (records, parameters, limit = Infinity, map) {\n  const out = [];\n' +
  "  for (let i = 0; i < records.length; i++) {\n    const record = records[i];\n" +
  "    if (test(record, parameters) && out.push(map === undefined ? record : map(record)) >= limit) break;\n" +
  "  }\n  return out;\n};";

function helpersUsed(source: string): string[] {
  return HELPER_NAMES.filter((helper) => source.includes(`${helper}(`));
}

function plainLoop(test: CompiledPredicate): FilterLoop {
  return (records, parameters, limit = Infinity, map) => {
    const out: unknown[] = [];
    for (let i = 0; i < records.length && out.length < limit; i++)
      if (test(records[i], parameters)) out.push(map === undefined ? records[i] : map(records[i]));
    return out;
  };
}

/** Turns source into a function and its loop; where `new Function` is banned, falls back to the interpreter. */
function instantiate(source: string, helpers: readonly string[], query: Query): Instance {
  const cached = bySource.get(source);
  if (cached) return cached;
  let instance: Instance;
  try {
    const factory = new Function(...helpers, `"use strict";\nreturn (${source});`) as (
      ...fns: unknown[]
    ) => CompiledPredicate;
    const test = factory(...helpers.map((h) => queryHelpers[h]));
    instance = {
      test,
      loop: (new Function("test", LOOP_SOURCE) as (test: CompiledPredicate) => FilterLoop)(test),
    };
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    const filter = query.filter;
    const test: CompiledPredicate = (record, parameters) => matches(filter, record, parameters);
    instance = { test, loop: plainLoop(test) };
  }
  if (bySource.size >= CACHE_LIMIT) bySource.clear();
  bySource.set(source, instance);
  return instance;
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
  const cached =
    typeof input === "string"
      ? byString.get(input)
      : Object.isFrozen(input)
        ? byObject.get(input)
        : undefined;
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
  const { test, loop } = instantiate(source, helpers, query);
  return Object.freeze({
    source,
    helpers: Object.freeze(helpers),
    query,
    predicate: (record: unknown, parameters?: readonly unknown[]) =>
      test(record, parameters ?? NO_PARAMETERS),
    filter: <T>(
      records: readonly T[],
      parameters?: readonly unknown[],
      limit?: number,
      map?: (record: T) => T,
    ) =>
      loop(records, parameters ?? NO_PARAMETERS, limit, map as (record: unknown) => unknown) as T[],
  });
}

// executeQuery filters with the compiled loop (the interpreter remains the reference).
setFilterFactory((query) => compileQuery(query).filter);
