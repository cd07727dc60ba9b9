/**
 * The `$n` parameters of a named query, typed from the properties they are
 * compared with, so the generated wrapper can type its arguments.
 */
import type { FieldType, FilterNode, Query, QuerySchema, ValueNode } from "../../query/ast.js";
import type { NamedQueryIR } from "./types.js";

type Param = NamedQueryIR["parameters"][number];

/** Parameters sorted by index; throws a message when `$1..$n` has gaps. */
export function queryParameters(
  query: Query,
  schema: QuerySchema,
  itemTypes: ReadonlyMap<string, FieldType>,
): Param[] {
  const found = new Map<number, FieldType>();
  const note = (value: ValueNode | undefined, type: FieldType): void => {
    if (value === undefined) return;
    if (value.kind === "param") {
      if (!found.has(value.index) || found.get(value.index) === "any") found.set(value.index, type);
    } else if (value.kind === "list") {
      for (const item of value.items) note(item, type);
    } else if (value.kind === "subquery") walk(value.filter);
  };
  const walk = (node: FilterNode): void => {
    switch (node.kind) {
      case "and":
      case "or":
        node.terms.forEach(walk);
        return;
      case "not":
        walk(node.term);
        return;
      case "search":
        note(node.value, "string");
        return;
      case "condition": {
        const key = node.path.join("/");
        const field = schema.fields[key] ?? "any";
        if (node.op === "in" || node.op === "out") {
          if (node.value?.kind === "param") note(node.value, "array");
          else note(node.value, field);
        } else if (node.op === "contains" || node.op === "excludes") {
          note(
            node.value,
            field === "array"
              ? (itemTypes.get(key) ?? "any")
              : field === "string"
                ? "string"
                : "any",
          );
        } else if (node.op === "starts" || node.op === "ends") note(node.value, "string");
        else if (node.op === "match") note(node.value, "any");
        else note(node.value, field);
      }
    }
  };
  walk(query.filter);
  if (query.limit) {
    note(query.limit.count, "integer");
    note(query.limit.start, "integer");
    note(query.limit.maxCount, "integer");
  }
  const indexes = [...found.keys()].sort((a, b) => a - b);
  indexes.forEach((index, i) => {
    if (index !== i + 1)
      throw new Error(
        `parameters must be numbered $1 to $${indexes.length} without gaps (found $${index})`,
      );
  });
  return indexes.map((index) => ({ index, type: found.get(index)! }));
}
