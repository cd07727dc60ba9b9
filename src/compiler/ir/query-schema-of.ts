/** The QuerySchema a model's named queries and facet filters are checked against. */
import type { FieldType, QuerySchema } from "../../query/ast.js";
import type { ModelSource } from "./model-sources.js";
import { propertyIR, type Deref } from "./property-ir.js";
import type { PropertyIR } from "./types.js";

/**
 * Typed nested fields at most: below an `object` field any path is allowed
 * (untyped), so typing fewer is safe, and a schema of many shared or
 * recursive object properties cannot make the build exponential.
 */
const MAX_NESTED_FIELDS = 2000;

/**
 * Query fields: every property, plus nested object properties as `a/b`
 * (four levels at most, never back into a schema being expanded: a
 * recursive property's inside stays untyped).
 */
export function querySchemaOf(
  primaryKey: string,
  properties: readonly PropertyIR[],
  m: ModelSource,
  deref: Deref,
): QuerySchema {
  const fields: Record<string, FieldType> = {};
  let budget = MAX_NESTED_FIELDS;
  const open = new Set<object>();
  const nested = (prefix: string, schema: Record<string, unknown>, depth: number): void => {
    const resolved = deref(schema);
    const props = resolved["properties"];
    if (depth > 4 || props === null || typeof props !== "object" || open.has(resolved)) return;
    open.add(resolved);
    for (const [name, sub] of Object.entries(props as Record<string, Record<string, unknown>>)) {
      if (budget-- <= 0) break;
      const type = propertyIR(name, sub, deref, "", false).type;
      fields[`${prefix}/${name}`] = type;
      if (type === "object") nested(`${prefix}/${name}`, sub, depth + 1);
    }
    open.delete(resolved);
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
