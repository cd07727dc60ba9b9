/**
 * perstore's own tables of RQL operator names. Names are looked up here,
 * never on an object's prototype, so `constructor()` or `__proto__()` is
 * just an unknown operator.
 */
import { QueryError } from "../../errors/index.js";
import type { AggregateFunction, ConditionOperator } from "../ast.js";

/** Operators that test a value: `op(path,value)`, or `op(value)` inside `contains`. */
export const CONDITION_OPERATORS: ReadonlySet<string> = new Set<ConditionOperator>([
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "in",
  "out",
  "contains",
  "excludes",
  "starts",
  "ends",
  "match",
  "between",
  "isnull",
  "notnull",
]);

/** Comparison symbols and the operators they stand for (`a<b` is `lt(a,b)`). */
export const SUGAR: ReadonlyMap<string, ConditionOperator> = new Map<string, ConditionOperator>([
  ["=", "eq"],
  ["==", "eq"],
  ["!=", "ne"],
  ["<", "lt"],
  ["<=", "le"],
  [">", "gt"],
  [">=", "ge"],
]);

/** The functions `aggregate()` may apply. */
export const AGGREGATES: ReadonlySet<string> = new Set<AggregateFunction>([
  "count",
  "sum",
  "mean",
  "min",
  "max",
]);

/** Operators that shape the result rather than filter; only allowed at the top level. */
export const CLAUSES: ReadonlySet<string> = new Set([
  "sort",
  "limit",
  "select",
  "unselect",
  "values",
  "distinct",
  "count",
  "sum",
  "mean",
  "min",
  "max",
  "first",
  "one",
  "aggregate",
  "recurse",
]);

/** A QUERY_SYNTAX error at `position` in the query string. */
export function syntax(message: string, position: number): QueryError {
  return new QueryError("QUERY_SYNTAX", message, { position });
}
