/**
 * `formatRql(query)`: a parsed query written back as an RQL string that
 * parses to the same query, so any query (a JSON query object, a parsed AST,
 * parameters included) can travel in a URL. Every name and value is
 * percent-encoded; values keep their types (`string:3` stays a string).
 */
import { QueryError } from "../errors/index.js";
import type { FilterNode, LiteralNode, Path, Query, Scalar, ValueNode } from "./ast.js";

/** Options of `formatRql`. */
export interface FormatRqlOptions {
  /** Values for `$1`, `$2`, …: written in place of the placeholders. Omitted: `$n` stays. */
  readonly parameters?: readonly unknown[];
}

/** Characters `encodeURIComponent` leaves that RQL reads as structure. */
const encode = (text: string): string =>
  encodeURIComponent(text).replace(
    /[!'()*~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** RQL words that are not strings when written bare. */
const KEYWORDS = new Set(["true", "false", "null", "undefined", "Infinity", "-Infinity"]);

/** The RQL string of `query`. */
export function formatRql(query: Query, options: FormatRqlOptions = {}): string {
  const parts: string[] = [];
  const value = (node: ValueNode) => formatValue(node, options.parameters);
  const filter = query.filter;
  // A top-level and is the query's `&`-joined terms, as it is usually written.
  if (filter.kind === "and") parts.push(...filter.terms.map((term) => formatFilter(term, value)));
  else parts.push(formatFilter(filter, value));
  if (query.recurse) parts.push(`recurse(${formatPath(query.recurse)})`);
  if (query.aggregate) {
    const items = [
      ...query.aggregate.groupBy.map(formatPath),
      ...query.aggregate.aggregates.map((a) => `${a.fn}(${a.path ? formatPath(a.path) : ""})`),
    ];
    parts.push(`aggregate(${items.join(",")})`);
  }
  if (query.sort.length > 0)
    parts.push(
      `sort(${query.sort.map((k) => `${k.descending ? "-" : "+"}${formatPath(k.path)}`).join(",")})`,
    );
  if (query.projection)
    parts.push(`${query.projection.kind}(${query.projection.paths.map(formatPath).join(",")})`);
  if (query.distinct) parts.push("distinct()");
  if (query.limit) {
    const args = [value(query.limit.count)];
    if (query.limit.start || query.limit.maxCount)
      args.push(query.limit.start ? value(query.limit.start) : "0");
    if (query.limit.maxCount) args.push(value(query.limit.maxCount));
    parts.push(`limit(${args.join(",")})`);
  }
  if (query.result)
    parts.push(
      `${query.result.kind}(${"path" in query.result ? formatPath(query.result.path) : ""})`,
    );
  return parts.join("&");
}

function formatFilter(node: FilterNode, value: (node: ValueNode) => string): string {
  switch (node.kind) {
    case "and":
    case "or":
      return `${node.kind}(${node.terms.map((term) => formatFilter(term, value)).join(",")})`;
    case "not":
      return `not(${formatFilter(node.term, value)})`;
    case "search":
      return `search(${value(node.value)})`;
    case "condition": {
      const args: string[] = [];
      if (node.path.length > 0) args.push(formatPath(node.path));
      if (node.value !== undefined)
        args.push(
          node.value.kind === "subquery"
            ? formatFilter(node.value.filter, value)
            : value(node.value),
        );
      return `${node.op}(${args.join(",")})`;
    }
  }
}

function formatPath(path: Path): string {
  return path.map(encode).join("/");
}

function formatValue(node: ValueNode, parameters: readonly unknown[] | undefined): string {
  switch (node.kind) {
    case "list":
      return `(${node.items.map((item) => formatValue(item, parameters)).join(",")})`;
    case "param":
      if (parameters === undefined) return `$${node.index}`;
      if (node.index > parameters.length)
        throw new QueryError("QUERY_BAD_VALUE", `no value given for $${node.index}`);
      return formatParameter(parameters[node.index - 1]);
    case "subquery":
      throw new QueryError(
        "QUERY_BAD_VALUE",
        "a nested query can only stand inside contains/excludes",
      );
    case "literal":
      return formatLiteral(node);
  }
}

function formatParameter(value: unknown): string {
  if (Array.isArray(value)) return `(${value.map(formatParameter).join(",")})`;
  return formatScalar(value as Scalar);
}

function formatLiteral(node: LiteralNode): string {
  // Written with a type prefix (re:, glob:, date:, ...): keep the prefix and the text it was read from.
  if (node.type !== undefined && node.raw !== undefined) return `${node.type}:${encode(node.raw)}`;
  if (node.type === undefined && node.raw !== undefined && typeof node.value === "string")
    return encode(node.raw);
  return formatScalar(node.value);
}

function formatScalar(value: Scalar): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) throw new QueryError("QUERY_BAD_VALUE", "NaN cannot be a query value");
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return String(value);
  }
  if (value instanceof Date) return `date:${encode(value.toISOString())}`;
  if (value instanceof RegExp) {
    const flags = value.flags.replace(/[gu]/g, "");
    if (flags !== "" && flags !== "i")
      throw new QueryError(
        "QUERY_BAD_VALUE",
        `regular expression flags "${value.flags}" cannot be written in RQL`,
      );
    return `${flags === "i" ? "re" : "RE"}:${encode(value.source)}`;
  }
  // A string that would read back as another type (or as nothing) says it is a string.
  if (typeof value === "string")
    return KEYWORDS.has(value) || value === "" || String(Number(value)) === value
      ? `string:${encode(value)}`
      : encode(value);
  throw new QueryError("QUERY_BAD_VALUE", `a ${typeof value} cannot be a query value`);
}
