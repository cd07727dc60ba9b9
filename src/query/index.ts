/**
 * The query engine: one frozen AST from RQL strings and JSON query objects,
 * an interpreter, a JS predicate compiler, and the shared building blocks
 * (paths, equality, ordering, sorting) every store back end reuses.
 */
export { parseQuery } from "./parse-query.js";
export type { ParseQueryOptions } from "./parse-query.js";
export { bindSchema } from "./bind-schema.js";
export { matches } from "./matches.js";
export { executeQuery } from "./execute-query.js";
export type { ExecuteQueryOptions } from "./execute-query.js";
export { getPath, queryOwn } from "./path.js";
export {
  valueEquals,
  compareValues,
  compareStrings,
  queryOrder,
  queryIsDate,
  queryInstant,
} from "./compare.js";
export { sortRecords } from "./sort-records.js";
export { resolveValue } from "./resolve-value.js";
export { distinctValues } from "./distinct-values.js";
export { parseIsoInstant, globToRegExp } from "./values.js";
export { compileQuery } from "./compile/compile-query.js";
export type { CompiledPredicate, CompiledQuery } from "./compile/compile-query.js";
export {
  queryHelpers,
  queryTest,
  queryEq,
  queryIn,
  queryLt,
  queryLe,
  queryGt,
  queryGe,
  queryContains,
  queryStarts,
  queryEnds,
  queryMatch,
  queryBetween,
  queryCompareStrings,
  queryParameter,
  queryElementTest,
} from "./compile/helpers.js";
export { formatRql } from "./format-rql.js";
export type { FormatRqlOptions } from "./format-rql.js";
export { decodeParameters, encodeParameters, PARAMETERS_HEADER } from "./parameters-codec.js";
