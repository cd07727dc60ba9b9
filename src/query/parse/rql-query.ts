/**
 * Turns the RQL syntax tree into the query AST: looks operator names up in
 * perstore's own tables (never on a prototype), reads values, and gathers
 * the result operators (`sort`, `limit`, `select`, ...) from the top level.
 */
import { QueryError } from "../../errors/index.js";
import type {
  AggregateClause,
  AggregateFunction,
  AggregateSpec,
  ConditionNode,
  ConditionOperator,
  FilterNode,
  LimitClause,
  ListNode,
  LiteralNode,
  Path,
  Projection,
  Query,
  ResultOperator,
  SortKey,
  ValueNode,
} from "../ast.js";
import { aggregateOutputNames } from "../aggregate-records.js";
import { decodeValue, makeRegExp, readValue } from "../values.js";
import { at, nodePositions, positionOf } from "./positions.js";
import { type RqlItem, parseRqlSyntax } from "./rql-syntax.js";

const CONDITION_OPERATORS: ReadonlySet<string> = new Set<ConditionOperator>([
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

const SUGAR: ReadonlyMap<string, ConditionOperator> = new Map<string, ConditionOperator>([
  ["=", "eq"],
  ["==", "eq"],
  ["!=", "ne"],
  ["<", "lt"],
  ["<=", "le"],
  [">", "gt"],
  [">=", "ge"],
]);

const AGGREGATES: ReadonlySet<string> = new Set<AggregateFunction>([
  "count",
  "sum",
  "mean",
  "min",
  "max",
]);

const CLAUSES: ReadonlySet<string> = new Set([
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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function syntax(message: string, position: number): QueryError {
  return new QueryError("QUERY_SYNTAX", message, { position });
}

/** Parses an RQL / URL query string into a (not yet frozen) Query. */
export function parseRql(input: string): Query {
  const top = parseRqlSyntax(input);
  const query: Mutable<Query> = {
    kind: "query",
    filter: { kind: "and", terms: [] },
    sort: [],
    distinct: false,
  };
  const terms: FilterNode[] = [];
  const items = top.join === "and" ? top.items : [top];
  for (const item of items) {
    if (item.t === "call" && CLAUSES.has(item.name) && !CONDITION_OPERATORS.has(item.name)) {
      addClause(query, item);
    } else {
      terms.push(toFilter(item));
    }
  }
  query.filter = terms.length === 1 ? terms[0]! : { kind: "and", terms };
  if (query.aggregate) nameAggregateOutputs(query, query.aggregate);
  return query;
}

/**
 * Sort, projection and result operators run after `aggregate()`, on its rows:
 * their paths must name its outputs, and become those single names (so
 * `sort(max_a/b)` is the output "max_a/b", not a path into it).
 */
function nameAggregateOutputs(query: Mutable<Query>, clause: AggregateClause): void {
  const outputs = new Set(aggregateOutputNames(clause));
  const output = (path: Path, node: object): Path => {
    const name = path.join("/");
    if (!outputs.has(name)) {
      throw new QueryError(
        "QUERY_UNKNOWN_PROPERTY",
        `${JSON.stringify(name)} is not an output of aggregate() (it gives ${[...outputs].map((o) => JSON.stringify(o)).join(", ")})`,
        positionOf(node),
      );
    }
    return [name];
  };
  query.sort = query.sort.map((key) =>
    moved(key, { path: output(key.path, key), descending: key.descending }),
  );
  const { projection, result } = query;
  if (projection)
    query.projection = moved(projection, {
      kind: projection.kind,
      paths: projection.paths.map((p) => output(p, projection)),
    });
  if (result && "path" in result)
    query.result = moved(result, { kind: result.kind, path: output(result.path, result) });
}

/** `replacement`, keeping the position recorded for `node`. */
function moved<T extends object>(node: object, replacement: T): T {
  const position = nodePositions.get(node);
  return position === undefined ? replacement : at(replacement, position);
}

function toFilter(item: RqlItem): FilterNode {
  switch (item.t) {
    case "word":
      throw syntax(
        `expected a condition, found the value ${JSON.stringify(item.raw)}`,
        item.position,
      );
    case "group": {
      const terms = item.items.map(toFilter);
      return terms.length === 1 ? terms[0]! : { kind: item.join, terms };
    }
    case "compare": {
      const op = item.fiql ? item.op : SUGAR.get(item.op);
      if (op === undefined || !CONDITION_OPERATORS.has(op)) {
        throw new QueryError(
          "QUERY_UNKNOWN_OPERATOR",
          `unknown operator ${JSON.stringify(item.op)}`,
          {
            position: item.opPosition,
          },
        );
      }
      return condition(op as ConditionOperator, toPath(item.lhs), item.value, item.position);
    }
    case "call":
      return callFilter(item);
  }
}

function callFilter(item: RqlItem & { t: "call" }): FilterNode {
  const { name, args, position } = item;
  if (name === "and" || name === "or") {
    return at(
      { kind: name, terms: args.filter((a) => !(a.t === "word" && a.raw === "")).map(toFilter) },
      position,
    );
  }
  if (name === "not") {
    if (args.length !== 1) throw syntax("not() takes exactly one query", position);
    return at({ kind: "not", term: toFilter(args[0]!) }, position);
  }
  if (name === "search") {
    if (args.length !== 1) throw syntax("search() takes one value", position);
    return at({ kind: "search", value: toValue(args[0]!) }, position);
  }
  if (CONDITION_OPERATORS.has(name)) {
    const op = name as ConditionOperator;
    const unary = op === "isnull" || op === "notnull";
    if (unary) {
      if (args.length > 1) throw syntax(`${op}() takes one property`, position);
      return condition(op, args[0] ? toPath(args[0]) : [], undefined, position);
    }
    if (args.length === 0) throw syntax(`${op}() needs a value`, position);
    // One argument: the value itself is tested (inside `contains(tags, ne(x))`).
    if (args.length === 1) return condition(op, [], args[0], position);
    const rest = args.slice(1);
    const value: RqlItem =
      rest.length === 1
        ? rest[0]!
        : { t: "group", items: rest, join: "and", position: rest[0]!.position };
    return condition(op, toPath(args[0]!), value, position);
  }
  if (CLAUSES.has(name))
    throw syntax(`${name}() is only allowed at the top level of a query`, position);
  throw new QueryError("QUERY_UNKNOWN_OPERATOR", `unknown operator ${JSON.stringify(name)}`, {
    position,
  });
}

function condition(
  op: ConditionOperator,
  path: Path,
  item: RqlItem | undefined,
  position: number,
): ConditionNode {
  if (item === undefined) return at({ kind: "condition", op, path }, position);
  let value = toValue(item);
  switch (op) {
    case "in":
    case "out":
      if (value.kind === "literal") value = at({ kind: "list", items: [value] }, item.position);
      break;
    case "between":
      if (value.kind === "list" && value.items.length !== 2) {
        throw new QueryError("QUERY_BAD_VALUE", "between() takes a list of two values (lo,hi)", {
          position: item.position,
        });
      }
      if (value.kind === "literal") {
        throw new QueryError("QUERY_BAD_VALUE", "between() takes a list of two values (lo,hi)", {
          position: item.position,
        });
      }
      break;
    case "starts":
    case "ends":
      // An auto-typed value is text here: `starts(code,12)` means the prefix "12".
      if (
        value.kind === "literal" &&
        value.type === undefined &&
        value.raw !== undefined &&
        value.value !== null
      ) {
        value = at({ kind: "literal", value: value.raw, raw: value.raw }, item.position);
      }
      break;
    case "match":
      // A plain value is a pattern, read as `re:` (case-insensitive).
      if (value.kind === "literal" && !(value.value instanceof RegExp)) {
        const text = value.raw ?? String(value.value);
        value = at(
          { kind: "literal", value: makeRegExp(text, "i", item.position), type: "re", raw: text },
          item.position,
        );
      }
      break;
    default:
      break;
  }
  if (value.kind === "subquery" && op !== "contains" && op !== "excludes") {
    throw new QueryError("QUERY_BAD_VALUE", `${op}() cannot take a query as its value`, {
      position: item.position,
    });
  }
  return at({ kind: "condition", op, path, value }, position);
}

function toValue(item: RqlItem): ValueNode {
  switch (item.t) {
    case "word":
      return at(readValue(item.raw, item.position), item.position);
    case "group": {
      if (item.items.some((i) => i.t === "compare" || i.t === "call")) {
        return at({ kind: "subquery", filter: toFilter(item) }, item.position);
      }
      if (item.join === "or") throw syntax("a list is separated by ',', not '|'", item.position);
      return at<ListNode>({ kind: "list", items: item.items.map(toValue) }, item.position);
    }
    case "compare":
    case "call":
      return at({ kind: "subquery", filter: toFilter(item) }, item.position);
  }
}

/** A property path: `a/b/c` or `(a,b,c)`; `%2F` inside a name is part of it. */
function toPath(item: RqlItem): Path {
  if (item.t === "word") {
    if (item.raw === "") throw syntax("expected a property name", item.position);
    let offset = item.position;
    return item.raw.split("/").map((part) => {
      const position = offset;
      offset += part.length + 1;
      if (part === "") throw syntax("empty property name in a path", position);
      return decodeValue(part, position);
    });
  }
  if (
    item.t === "group" &&
    item.join === "and" &&
    item.items.every((i) => i.t === "word" && i.raw !== "")
  ) {
    return item.items.map((i) => decodeValue((i as { raw: string }).raw, i.position));
  }
  throw syntax("expected a property name or a (list,of,names) path", item.position);
}

function addClause(query: Mutable<Query>, item: RqlItem & { t: "call" }): void {
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
