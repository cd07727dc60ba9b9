/**
 * The query AST: one frozen tree for both front ends (RQL strings and JSON
 * query objects) and every back end (interpreter, JS predicate compiler, SQL,
 * index planner). Nodes are plain readonly data, deep-frozen by the parsers.
 *
 * Evaluation order is fixed, whatever order the string wrote the operators in:
 *   filter -> recurse -> aggregate -> sort -> projection (select/unselect/values)
 *   -> distinct -> totalCount -> limit -> result (count/sum/mean/min/max/first/one)
 */

/** A property path into nested objects: `a/b/c` is `["a", "b", "c"]`; `[]` is the value itself. */
export type Path = readonly string[];

/** A scalar query value. RegExp covers `re:`, `RE:`, `glob:` and `match`. */
export type Scalar = null | undefined | boolean | number | string | Date | RegExp;

/** The explicit type prefixes of RQL values (`number:3`, `date:...`). */
export type ExplicitType =
  "number" | "string" | "boolean" | "date" | "epoch" | "isodate" | "re" | "RE" | "glob";

/** A value written in the query: `3`, `string:3`, `date:2024-01-01`, `re:^a`. */
export interface LiteralNode {
  readonly kind: "literal";
  readonly value: Scalar;
  /** The prefix it was written with; `undefined` means auto-typed (a schema may re-type it). */
  readonly type?: ExplicitType;
  /** The decoded text it was read from (RQL only): what schema re-typing and `glob` use. */
  readonly raw?: string;
}

/** `(a,b,c)`: the values of `in`, `out` and `between`. */
export interface ListNode {
  readonly kind: "list";
  readonly items: readonly ValueNode[];
}

/** `$1` is `{ kind: "param", index: 1 }`; bound from `options.parameters[index - 1]`. */
export interface ParamNode {
  readonly kind: "param";
  readonly index: number;
}

/** A nested query used as a value: `contains(kids, age=1)` tests each element. */
export interface SubqueryNode {
  readonly kind: "subquery";
  readonly filter: FilterNode;
}

/** Anything that stands where a condition takes a value. */
export type ValueNode = LiteralNode | ListNode | ParamNode | SubqueryNode;

/** The operators of a condition (QUERY.md defines each). */
export type ConditionOperator =
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "in"
  | "out"
  | "contains"
  | "excludes"
  | "starts"
  | "ends"
  | "match"
  | "between"
  | "isnull"
  | "notnull";

/** `op(path, value)`; `isnull`/`notnull` have no value; `between` has a two-item list. */
export interface ConditionNode {
  readonly kind: "condition";
  readonly op: ConditionOperator;
  readonly path: Path;
  readonly value?: ValueNode;
}

/** All terms hold; `and()` with no terms matches every record. */
export interface AndNode {
  readonly kind: "and";
  readonly terms: readonly FilterNode[];
}

/** At least one term holds; `or()` with no terms matches nothing. */
export interface OrNode {
  readonly kind: "or";
  readonly terms: readonly FilterNode[];
}

/** The term does not hold. */
export interface NotNode {
  readonly kind: "not";
  readonly term: FilterNode;
}

/** Full-text search; only stores with a full-text index answer it. */
export interface SearchNode {
  readonly kind: "search";
  readonly value: ValueNode;
}

/** A node of a query's filter tree. */
export type FilterNode = ConditionNode | AndNode | OrNode | NotNode | SearchNode;

/** One key of `sort(+a,-b)`. */
export interface SortKey {
  readonly path: Path;
  readonly descending: boolean;
}

/** `limit(count, start, maxCount)`. */
export interface LimitClause {
  readonly count: ValueNode;
  readonly start?: ValueNode;
  readonly maxCount?: ValueNode;
}

/** `select(a,b)`, `unselect(a)` or `values(a)`: what each result row holds. */
export type Projection =
  | { readonly kind: "select"; readonly paths: readonly Path[] }
  | { readonly kind: "unselect"; readonly paths: readonly Path[] }
  | { readonly kind: "values"; readonly paths: readonly Path[] };

/** The functions `aggregate()` computes per group. */
export type AggregateFunction = "count" | "sum" | "mean" | "min" | "max";

/** One computed column of `aggregate()`. */
export interface AggregateSpec {
  /** Output property name, e.g. `count` or `sum_price` unless written otherwise. */
  readonly name: string;
  readonly fn: AggregateFunction;
  readonly path?: Path;
}

/** `aggregate(country, count(), sum(price))`: group by paths, compute aggregates per group. */
export interface AggregateClause {
  readonly groupBy: readonly Path[];
  readonly aggregates: readonly AggregateSpec[];
}

/** A result operator: the query returns its value instead of records. */
export type ResultOperator =
  | { readonly kind: "count" }
  | { readonly kind: "sum" | "mean" | "min" | "max"; readonly path: Path }
  | { readonly kind: "first" }
  | { readonly kind: "one" };

/** A parsed, deep-frozen query; every back end evaluates it in the order at the top of this file. */
export interface Query {
  readonly kind: "query";
  /** `and()` with no terms when the query has no conditions. */
  readonly filter: FilterNode;
  readonly recurse?: Path;
  readonly aggregate?: AggregateClause;
  readonly sort: readonly SortKey[];
  readonly projection?: Projection;
  readonly distinct: boolean;
  readonly limit?: LimitClause;
  readonly result?: ResultOperator;
}

/** The `compare` values of JSORM-style JSON query conditions. */
export type JsonCompare =
  | "equals"
  | "in"
  | "gt"
  | "ge"
  | "lt"
  | "le"
  | "starts"
  | "ends"
  | "contains"
  | "isnull"
  | "notnull";

/** `{ field, compare, value, not? }`: one JSON query condition. */
export interface JsonCondition {
  readonly field: string;
  readonly compare: JsonCompare;
  readonly value?: unknown;
  readonly not?: boolean;
}

/** `{ join: "and" | "or", terms }`: JSON query conditions combined. */
export interface JsonJoin {
  readonly join: "and" | "or";
  readonly terms: readonly JsonQuery[];
}

/** A JSORM-style JSON query object. */
export type JsonQuery = JsonCondition | JsonJoin;

/** The type of a property as the query layer sees it. */
export type FieldType =
  "string" | "number" | "integer" | "boolean" | "date-time" | "date" | "array" | "object" | "any";

/**
 * What a schema tells the query layer about its properties: their types keyed
 * by path joined with "/". Auto-typed literals are re-typed to them; explicit
 * values of the wrong type are `QUERY_TYPE_MISMATCH`; unknown paths are
 * `QUERY_UNKNOWN_PROPERTY`.
 */
export interface QuerySchema {
  readonly primaryKey: string;
  readonly fields: Readonly<Record<string, FieldType>>;
}

/** Records matching a query, with the number that matched before paging. */
export type Results<T> = T[] & { totalCount: number };
