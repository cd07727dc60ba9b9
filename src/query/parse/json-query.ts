/**
 * JSON query objects (JSORM db's `where`): `{ field, compare, value, not? }`
 * and `{ join, terms }`. Only own properties are read; every malformed
 * object is a QueryError, never a crash or a silent empty result.
 */
import { QueryError } from "../../errors/index.js";
import type { ConditionOperator, FilterNode, Path, Query, Scalar, ValueNode } from "../ast.js";
import { checkPattern } from "../pattern/index.js";
import { PARAMETER } from "../values.js";
import { MAX_QUERY_DEPTH } from "./max-query-depth.js";

const COMPARE: ReadonlyMap<string, ConditionOperator> = new Map<string, ConditionOperator>([
  ["equals", "eq"],
  ["in", "in"],
  ["gt", "gt"],
  ["ge", "ge"],
  ["lt", "lt"],
  ["le", "le"],
  ["starts", "starts"],
  ["ends", "ends"],
  ["contains", "contains"],
  ["isnull", "isnull"],
  ["notnull", "notnull"],
]);

function own(object: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key)
    ? (object as Record<string, unknown>)[key]
    : undefined;
}

function has(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

const JOIN_KEYS: ReadonlySet<string> = new Set(["join", "terms"]);
const CONDITION_KEYS: ReadonlySet<string> = new Set(["field", "compare", "value", "not"]);

/**
 * A misspelt or misplaced key (`nto`, `not` on a join) is an error, never
 * silently ignored. An own `__proto__` (what `JSON.parse` makes of one) is
 * data that is never read, so it is let through.
 */
function checkKeys(input: object, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(input)) {
    if (!allowed.has(key) && key !== "__proto__") {
      throw new QueryError(
        "QUERY_SYNTAX",
        `${where}: unknown key ${JSON.stringify(key)} (expected ${[...allowed].join(", ")})`,
      );
    }
  }
}

/** Parses a JSON query object into a (not yet frozen) Query. */
export function parseJsonQuery(input: unknown): Query {
  return { kind: "query", filter: toFilter(input, "$", 0), sort: [], distinct: false };
}

/** Deep (or cyclic) input would overflow the stack later; it is a QueryError instead. */
function checkDepth(depth: number, where: string): void {
  if (depth > MAX_QUERY_DEPTH) {
    throw new QueryError(
      "QUERY_SYNTAX",
      `${where.slice(0, 80)}…: the query nests deeper than ${MAX_QUERY_DEPTH} levels`,
    );
  }
}

function toFilter(input: unknown, where: string, depth: number): FilterNode {
  checkDepth(depth, where);
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new QueryError("QUERY_SYNTAX", `${where}: a JSON query must be an object`);
  }
  if (has(input, "join")) {
    checkKeys(input, JOIN_KEYS, where);
    const join = own(input, "join");
    if (join !== "and" && join !== "or") {
      throw new QueryError(
        "QUERY_UNKNOWN_OPERATOR",
        `${where}.join: unknown join ${JSON.stringify(join)} (use "and" or "or")`,
      );
    }
    const terms = own(input, "terms");
    if (!Array.isArray(terms))
      throw new QueryError("QUERY_SYNTAX", `${where}.terms: must be an array`);
    return {
      kind: join,
      terms: terms.map((t, i) => toFilter(t, `${where}.terms[${i}]`, depth + 1)),
    };
  }
  checkKeys(input, CONDITION_KEYS, where);
  const compare = own(input, "compare");
  const op = typeof compare === "string" ? COMPARE.get(compare) : undefined;
  if (op === undefined) {
    throw new QueryError(
      "QUERY_UNKNOWN_OPERATOR",
      `${where}.compare: unknown compare ${JSON.stringify(compare)}`,
    );
  }
  const path = toPath(own(input, "field"), `${where}.field`);
  const not = own(input, "not");
  if (not !== undefined && typeof not !== "boolean") {
    throw new QueryError("QUERY_BAD_VALUE", `${where}.not: must be a boolean`);
  }
  let node: FilterNode;
  if (op === "isnull" || op === "notnull") node = { kind: "condition", op, path };
  else {
    if (!has(input, "value"))
      throw new QueryError(
        "QUERY_BAD_VALUE",
        `${where}.value: missing (compare ${String(compare)} needs a value)`,
      );
    let value = toValue(own(input, "value"), `${where}.value`, depth + 1);
    if (op === "in" && value.kind === "literal") value = { kind: "list", items: [value] };
    node = { kind: "condition", op, path, value };
  }
  return not ? { kind: "not", term: node } : node;
}

function toPath(field: unknown, where: string): Path {
  if (typeof field === "string" && field !== "") return field.split("/");
  if (Array.isArray(field) && field.every((p) => typeof p === "string"))
    return [...(field as string[])];
  throw new QueryError("QUERY_BAD_VALUE", `${where}: missing or not a property name`);
}

/** JSON values: scalars, Dates, RegExps, arrays (lists); a string `"$1"` is parameter 1. */
function toValue(value: unknown, where: string, depth: number): ValueNode {
  checkDepth(depth, where);
  if (Array.isArray(value)) {
    return {
      kind: "list",
      items: value.map((v, i) => toValue(v, `${where}[${i}]`, depth + 1)),
    };
  }
  if (typeof value === "string") {
    const param = PARAMETER.exec(value);
    if (param) return { kind: "param", index: Number(param[1]) };
  }
  if (
    value === null ||
    value === undefined ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean"
  ) {
    return { kind: "literal", value };
  }
  if (value instanceof Date) return { kind: "literal", value: new Date(value.getTime()) };
  if (value instanceof RegExp) {
    checkPattern(value, where);
    return {
      kind: "literal",
      value: new RegExp(value.source, value.flags.replace(/[gy]/g, "")) as Scalar,
    };
  }
  throw new QueryError("QUERY_BAD_VALUE", `${where}: unsupported value of type ${typeof value}`);
}
