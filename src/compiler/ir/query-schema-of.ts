/** The QuerySchema a model's named queries and facet filters are checked against. */
import type { FieldType, QuerySchema } from "../../query/ast.js";
import type { ModelSource } from "./model-sources.js";
import { propertyIR, type Deref } from "./property-ir.js";
import type { PropertyIR } from "./types.js";

/** Query fields: every property, plus nested object properties as `a/b`. */
export function querySchemaOf(
  primaryKey: string,
  properties: readonly PropertyIR[],
  m: ModelSource,
  deref: Deref,
): QuerySchema {
  const fields: Record<string, FieldType> = {};
  const nested = (prefix: string, schema: Record<string, unknown>, depth: number): void => {
    const props = deref(schema)["properties"];
    if (depth > 4 || props === null || typeof props !== "object") return;
    for (const [name, sub] of Object.entries(props as Record<string, Record<string, unknown>>)) {
      const resolved = deref(sub);
      const type = propertyIR(name, sub, deref, "", false).type;
      fields[`${prefix}/${name}`] = type;
      if (type === "object") nested(`${prefix}/${name}`, resolved, depth + 1);
    }
  };
  for (const p of properties) {
    fields[p.name] = p.type;
    if (p.type === "object" && p.inheritedFrom === undefined) {
      const own = (m.normalized["properties"] as Record<string, Record<string, unknown>>)[p.name];
      if (own) nested(p.name, own, 0);
    }
  }
  return { primaryKey, fields };
}
