/**
 * RQL conditions and their values to filter nodes. Filters and values are
 * mutually recursive: a value with conditions in it is a nested query
 * (`contains(kids,age=1)`).
 */
import { QueryError } from "../../errors/index.js";
import type {
  ConditionNode,
  ConditionOperator,
  FilterNode,
  ListNode,
  Path,
  ValueNode,
} from "../ast.js";
import { makeRegExp, readValue } from "../values.js";
import { at } from "./positions.js";
import { CLAUSES, CONDITION_OPERATORS, SUGAR, syntax } from "./rql-operators.js";
import { toPath } from "./rql-path.js";
import type { RqlItem } from "./rql-syntax.js";

/** One RQL item as a filter; QUERY_SYNTAX for a bare value, QUERY_UNKNOWN_OPERATOR for an unknown name. */
export function toFilter(item: RqlItem): FilterNode {
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

/** One RQL item as a value: a literal, a list, or a nested query when it holds conditions. */
export function toValue(item: RqlItem): ValueNode {
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
