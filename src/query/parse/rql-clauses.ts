/**
 * The top-level clauses of an RQL query: `sort`, `limit`, projections,
 * `distinct`, `recurse`, `aggregate` and the result operators. Each may
 * appear once.
 */
import { QueryError } from "../../errors/index.js";
import type {
  AggregateFunction,
  AggregateSpec,
  LimitClause,
  LiteralNode,
  Path,
  Projection,
  Query,
  ResultOperator,
  SortKey,
} from "../ast.js";
import { readValue } from "../values.js";
import { at } from "./positions.js";
import { AGGREGATES, syntax } from "./rql-operators.js";
import { toPath } from "./rql-path.js";
import type { RqlItem } from "./rql-syntax.js";

/** `T` without its readonly modifiers: the Query while the parser fills it in. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Sets the clause `item` names on `query`; QUERY_SYNTAX when it is already set. */
export function addClause(query: Mutable<Query>, item: RqlItem & { t: "call" }): void {
  const { name, args, position } = item;
  const once = (taken: boolean, what: string) => {
    if (taken) throw syntax(`a query can have only one ${what}`, position);
  };
  switch (name) {
    case "sort":
      once(query.sort.length > 0, "sort()");
      query.sort = args.filter((a) => !(a.t === "word" && a.raw === "")).map(sortKey);
      return;
    case "limit":
      once(query.limit !== undefined, "limit()");
      query.limit = limitClause(args, position);
      return;
    case "select":
    case "unselect":
    case "values": {
      once(query.projection !== undefined, "projection (select, unselect or values)");
      if (args.length === 0 && name === "values")
        throw syntax("values() needs at least one property", position);
      query.projection = at<Projection>({ kind: name, paths: args.map(toPath) }, position);
      return;
    }
    case "distinct":
      if (args.length > 0) throw syntax("distinct() takes no arguments", position);
      query.distinct = true;
      return;
    case "recurse":
      once(query.recurse !== undefined, "recurse()");
      if (args.length !== 1) throw syntax("recurse() takes one property", position);
      query.recurse = toPath(args[0]!);
      return;
    case "aggregate":
      once(query.aggregate !== undefined, "aggregate()");
      query.aggregate = aggregateClause(args, position);
      return;
    default: {
      once(query.result !== undefined, "result operator (count, sum, mean, min, max, first, one)");
      query.result = resultOperator(name, args, position);
    }
  }
}

function resultOperator(name: string, args: readonly RqlItem[], position: number): ResultOperator {
  if (name === "count" || name === "first" || name === "one") {
    if (args.length > 0) throw syntax(`${name}() takes no arguments`, position);
    return at({ kind: name }, position);
  }
  if (args.length !== 1) throw syntax(`${name}() takes one property`, position);
  return at({ kind: name as "sum" | "mean" | "min" | "max", path: toPath(args[0]!) }, position);
}

function sortKey(item: RqlItem): SortKey {
  if (item.t !== "word") throw syntax("sort() takes property names like +a or -b", item.position);
  const sign = item.raw[0];
  const descending = sign === "-";
  const rest = sign === "+" || sign === "-" ? item.raw.slice(1) : item.raw;
  return at(
    {
      path: toPath({
        t: "word",
        raw: rest,
        position: item.position + item.raw.length - rest.length,
      }),
      descending,
    },
    item.position,
  );
}

function limitClause(args: readonly RqlItem[], position: number): LimitClause {
  if (args.length < 1 || args.length > 3)
    throw syntax("limit() takes count, start and maxCount", position);
  const [count, start, maxCount] = args.map((arg) => {
    const value = arg.t === "word" ? readValue(arg.raw, arg.position) : undefined;
    if (value === undefined || !isPageNumber(value)) {
      throw new QueryError(
        "QUERY_BAD_VALUE",
        "limit() takes non-negative whole numbers or $n parameters",
        {
          position: arg.position,
        },
      );
    }
    return at(value, arg.position);
  });
  return at(
    { count: count!, ...(start ? { start } : {}), ...(maxCount ? { maxCount } : {}) },
    position,
  );
}

function isPageNumber(value: LiteralNode | { kind: "param" }): boolean {
  if (value.kind === "param") return true;
  const n = value.value;
  return typeof n === "number" && n >= 0 && (Number.isInteger(n) || n === Infinity);
}

function aggregateClause(args: readonly RqlItem[], position: number) {
  const groupBy: Path[] = [];
  const aggregates: AggregateSpec[] = [];
  const outputs = new Set<string>();
  for (const arg of args) {
    if (arg.t === "call") {
      if (!AGGREGATES.has(arg.name)) {
        throw new QueryError(
          "QUERY_UNKNOWN_OPERATOR",
          `unknown aggregate ${JSON.stringify(arg.name)}`,
          {
            position: arg.position,
          },
        );
      }
      const fn = arg.name as AggregateFunction;
      if (fn === "count") {
        if (arg.args.length > 0) throw syntax("count() takes no arguments", arg.position);
        aggregates.push(at({ name: "count", fn }, arg.position));
      } else {
        if (arg.args.length !== 1) throw syntax(`${fn}() takes one property`, arg.position);
        const path = toPath(arg.args[0]!);
        aggregates.push(at({ name: `${fn}_${path.join("/")}`, fn, path }, arg.position));
      }
    } else {
      groupBy.push(toPath(arg));
    }
    // Each output is a property of the rows: two of one name would overwrite each other.
    const output =
      arg.t === "call"
        ? aggregates[aggregates.length - 1]!.name
        : groupBy[groupBy.length - 1]!.join("/");
    if (outputs.has(output)) {
      throw new QueryError(
        "QUERY_BAD_VALUE",
        `aggregate() would give two outputs named ${JSON.stringify(output)}`,
        {
          position: arg.position,
        },
      );
    }
    outputs.add(output);
  }
  if (aggregates.length === 0)
    throw syntax("aggregate() needs at least one count/sum/mean/min/max", position);
  return at({ groupBy, aggregates }, position);
}
