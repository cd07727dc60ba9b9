/**
 * Checking a query against a model's schema: unknown properties are
 * QUERY_UNKNOWN_PROPERTY; auto-typed literals take the property's type
 * (`zip=02139` on a string property stays "02139", `age=30` on a string
 * property becomes "30"); explicitly typed values of the wrong type are
 * QUERY_TYPE_MISMATCH.
 */
import { QueryError } from "../errors/index.js";
import type {
  ConditionNode,
  FieldType,
  FilterNode,
  LiteralNode,
  Path,
  Query,
  QuerySchema,
  ValueNode,
} from "./ast.js";
import { aggregateOutputNames } from "./aggregate-records.js";
import { deepFreeze } from "./parse/freeze.js";
import { nodePositions, positionOf } from "./parse/positions.js";
import { parseIsoInstant, readNumber } from "./values.js";

// Fields whose inside is free-form: any path below them is allowed, untyped.
const OPEN_TYPES: ReadonlySet<FieldType> = new Set(["any", "object", "array"]);

/** The type of `path` in `schema`, "any" below open fields; throws QUERY_UNKNOWN_PROPERTY. */
function fieldType(schema: QuerySchema, path: Path, node: object): FieldType {
  if (path.length === 0) return "any";
  const fields = schema.fields;
  const key = path.join("/");
  if (Object.prototype.hasOwnProperty.call(fields, key)) return fields[key]!;
  for (let i = path.length - 1; i > 0; i--) {
    const prefix = path.slice(0, i).join("/");
    if (Object.prototype.hasOwnProperty.call(fields, prefix) && OPEN_TYPES.has(fields[prefix]!))
      return "any";
  }
  if (key === schema.primaryKey) return "any";
  throw new QueryError("QUERY_UNKNOWN_PROPERTY", `unknown property ${JSON.stringify(key)}`, {
    // The name itself where the parser recorded it, else the term that names it.
    ...positionOf(node),
    ...positionOf(path),
  });
}

/** Returns a new deep-frozen query whose literals are typed by `schema`; the input is not changed. */
export function bindSchema(query: Query, schema: QuerySchema): Query {
  const check = (path: Path, node: object) => fieldType(schema, path, node);
  const bound: Query = {
    ...query,
    filter: bindFilter(query.filter, schema, []),
  };
  if (query.recurse) check(query.recurse, query);
  // Sort, projection and result run after aggregate(), on its rows: they name its outputs, not schema fields.
  let after = check;
  if (query.aggregate) {
    for (const path of query.aggregate.groupBy) check(path, query.aggregate);
    for (const spec of query.aggregate.aggregates) if (spec.path) check(spec.path, spec);
    const outputs = new Set(aggregateOutputNames(query.aggregate));
    after = (path, node) => {
      if (outputs.has(path.join("/"))) return "any";
      throw new QueryError(
        "QUERY_UNKNOWN_PROPERTY",
        `${JSON.stringify(path.join("/"))} is not an output of aggregate()`,
        positionOf(node),
      );
    };
  }
  for (const key of query.sort) after(key.path, key);
  if (query.projection) for (const path of query.projection.paths) after(path, query.projection);
  if (query.result && "path" in query.result) after(query.result.path, query.result);
  return deepFreeze(bound);
}

function bindFilter(filter: FilterNode, schema: QuerySchema, prefix: Path): FilterNode {
  switch (filter.kind) {
    case "and":
    case "or":
      return { kind: filter.kind, terms: filter.terms.map((t) => bindFilter(t, schema, prefix)) };
    case "not":
      return { kind: "not", term: bindFilter(filter.term, schema, prefix) };
    case "search":
      return filter;
    case "condition":
      return bindCondition(filter, schema, prefix);
  }
}

function bindCondition(node: ConditionNode, schema: QuerySchema, prefix: Path): ConditionNode {
  const full = prefix.length > 0 ? [...prefix, ...node.path] : node.path;
  const type = prefix.length > 0 && node.path.length === 0 ? "any" : fieldType(schema, full, node);
  if (node.value === undefined) return node;
  let value: ValueNode;
  if (node.value.kind === "subquery") {
    value = { kind: "subquery", filter: bindFilter(node.value.filter, schema, full) };
  } else if (type === "array" && (node.op === "contains" || node.op === "excludes")) {
    value = node.value; // elements of an array field have no declared type here
  } else {
    // `match`, `starts` and `ends` test text whatever the field's type.
    const target = node.op === "match" || node.op === "starts" || node.op === "ends" ? "any" : type;
    value = bindValue(node.value, target);
  }
  const bound: ConditionNode = { kind: "condition", op: node.op, path: node.path, value };
  const position = nodePositions.get(node);
  if (position !== undefined) nodePositions.set(bound, position);
  return bound;
}

function bindValue(value: ValueNode, type: FieldType): ValueNode {
  if (value.kind === "list")
    return { kind: "list", items: value.items.map((v) => bindValue(v, type)) };
  if (value.kind !== "literal") return value;
  return value.type === undefined ? retype(value, type) : checkExplicit(value, type);
}

function mismatch(node: LiteralNode, type: FieldType): QueryError {
  const written =
    node.type === undefined
      ? JSON.stringify(node.raw ?? String(node.value))
      : `${node.type}:${node.raw ?? ""}`;
  return new QueryError(
    "QUERY_TYPE_MISMATCH",
    `${written} is not a valid ${type} value`,
    positionOf(node),
  );
}

function retype(node: LiteralNode, type: FieldType): LiteralNode {
  const { value } = node;
  if (value === null || value === undefined) return node;
  const text = node.raw ?? (typeof value === "string" ? value : undefined);
  const make = (v: LiteralNode["value"]): LiteralNode => {
    const out: LiteralNode =
      text === undefined ? { kind: "literal", value: v } : { kind: "literal", value: v, raw: text };
    const position = nodePositions.get(node);
    if (position !== undefined) nodePositions.set(out, position);
    return out;
  };
  switch (type) {
    case "string":
    case "date":
      // JSON Schema `format: date` values are strings ("2009-05-01").
      if (typeof value === "string") return node;
      return text === undefined || value instanceof Date || value instanceof RegExp
        ? node
        : make(text);
    case "number":
    case "integer": {
      if (typeof value === "number") return node;
      const n = text === undefined ? undefined : readNumber(text);
      if (n === undefined || Number.isNaN(n)) throw mismatch(node, type);
      return make(n);
    }
    case "boolean":
      if (typeof value === "boolean") return node;
      throw mismatch(node, type);
    case "date-time": {
      if (value instanceof Date) return node;
      const d = text === undefined ? undefined : parseIsoInstant(text);
      if (!d) throw mismatch(node, type);
      return make(d);
    }
    default:
      return node;
  }
}

function checkExplicit(node: LiteralNode, type: FieldType): LiteralNode {
  const explicit = node.type!;
  const ok = (() => {
    switch (type) {
      case "any":
      case "object":
      case "array":
        return true;
      case "string":
        return (
          explicit === "string" || explicit === "re" || explicit === "RE" || explicit === "glob"
        );
      case "date":
        return (
          explicit === "string" || explicit === "re" || explicit === "RE" || explicit === "glob"
        );
      case "number":
        return explicit === "number";
      case "integer":
        return explicit === "number" && Number.isInteger(node.value);
      case "boolean":
        return explicit === "boolean";
      case "date-time":
        return explicit === "date" || explicit === "epoch" || explicit === "isodate";
    }
  })();
  if (!ok) throw mismatch(node, type);
  return node;
}
