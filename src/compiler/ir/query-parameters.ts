/**
 * The `$n` parameters of a named query, typed from the properties they are
 * compared with (an enum property's values included), so the generated
 * wrapper can type its arguments and the runtime can check them.
 */
import type { FieldType, FilterNode, Query, QuerySchema, ValueNode } from "../../query/ast.js";
import type { QueryParameterIR } from "./types.js";

/** What is known of a property a parameter may be compared with. */
export interface ParameterHints {
  /** Item types of array properties, by path. */
  readonly itemTypes: ReadonlyMap<string, FieldType>;
  /** Allowed values of enum properties, by path. */
  readonly enums: ReadonlyMap<string, readonly (string | number | boolean | null)[]>;
}

type Found = Omit<QueryParameterIR, "index">;

/** Parameters sorted by index; throws a message when `$1..$n` has gaps. */
export function queryParameters(
  query: Query,
  schema: QuerySchema,
  hints: ParameterHints,
): QueryParameterIR[] {
  const found = new Map<number, Found>();
  const note = (value: ValueNode | undefined, type: Found): void => {
    if (value === undefined) return;
    if (value.kind === "param") {
      if (!found.has(value.index) || found.get(value.index)!.type === "any")
        found.set(value.index, type);
    } else if (value.kind === "list") {
      // An element of a written list: the element's own type.
      const { list: _list, ...element } = type;
      for (const item of value.items) note(item, element);
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
        note(node.value, { type: "string" });
        return;
      case "condition": {
        const key = node.path.join("/");
        const field = schema.fields[key] ?? "any";
        const values = hints.enums.get(key);
        const own: Found = values ? { type: field, enum: values } : { type: field };
        if (node.op === "in" || node.op === "out") {
          note(node.value, { ...own, list: true });
        } else if (node.op === "contains" || node.op === "excludes") {
          note(node.value, {
            type:
              field === "array"
                ? (hints.itemTypes.get(key) ?? "any")
                : field === "string"
                  ? "string"
                  : "any",
          });
        } else if (node.op === "starts" || node.op === "ends") note(node.value, { type: "string" });
        else if (node.op === "match") note(node.value, { type: "any" });
        else note(node.value, own);
      }
    }
  };
  walk(query.filter);
  if (query.limit) {
    note(query.limit.count, { type: "integer" });
    note(query.limit.start, { type: "integer" });
    note(query.limit.maxCount, { type: "integer" });
  }
  const indexes = [...found.keys()].sort((a, b) => a - b);
  indexes.forEach((index, i) => {
    if (index !== i + 1)
      throw new Error(
        `parameters must be numbered $1 to $${indexes.length} without gaps (found $${index})`,
      );
  });
  return indexes.map((index) => ({ index, ...found.get(index)! }));
}
