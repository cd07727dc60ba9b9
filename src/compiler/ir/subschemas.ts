/**
 * Which keywords of a JSON Schema (draft 2020-12, plus draft-07's
 * `definitions`, `dependencies` and `additionalItems`) hold schemas, so a
 * walk touches schema positions only: a `$ref` inside `const`, `enum`,
 * `default` or `examples` is data, never a reference.
 */
import { escapePointer } from "../../errors/json-pointer.js";

/**
 * How a subschema relates to its parent: `in-place` ones apply to the same
 * instance (a `$ref` loop through them never ends), `descend` ones to a part
 * of it (a loop through them is ordinary recursion), `container` ones are
 * not applied at all (`$defs`).
 */
export type SubschemaKind = "in-place" | "descend" | "container";

type Shape = "one" | "list" | "map";

const KEYWORDS: Readonly<Record<string, readonly [Shape, SubschemaKind]>> = {
  allOf: ["list", "in-place"],
  anyOf: ["list", "in-place"],
  oneOf: ["list", "in-place"],
  not: ["one", "in-place"],
  if: ["one", "in-place"],
  then: ["one", "in-place"],
  else: ["one", "in-place"],
  dependentSchemas: ["map", "in-place"],
  dependencies: ["map", "in-place"],
  properties: ["map", "descend"],
  patternProperties: ["map", "descend"],
  additionalProperties: ["one", "descend"],
  unevaluatedProperties: ["one", "descend"],
  propertyNames: ["one", "descend"],
  prefixItems: ["list", "descend"],
  items: ["one", "descend"],
  additionalItems: ["one", "descend"],
  unevaluatedItems: ["one", "descend"],
  contains: ["one", "descend"],
  $defs: ["map", "container"],
  definitions: ["map", "container"],
};

/** One subschema of a schema object: where it is and how it applies. */
export interface Subschema {
  readonly keyword: string;
  readonly pointer: string;
  readonly schema: unknown;
  readonly kind: SubschemaKind;
}

/** Whether `value` can be a subschema: an object (boolean schemas hold no keywords to walk). */
function isSchemaObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The object subschemas directly inside `schema` (at `pointer`), in keyword order. */
export function subschemasOf(schema: Record<string, unknown>, pointer: string): Subschema[] {
  const out: Subschema[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const rule = Object.hasOwn(KEYWORDS, keyword) ? KEYWORDS[keyword] : undefined;
    if (rule === undefined) continue;
    const [shape, kind] = rule;
    const at = `${pointer}/${escapePointer(keyword)}`;
    // draft-07 `items: [...]` is the tuple form of `prefixItems`.
    if (shape === "list" || (keyword === "items" && Array.isArray(value))) {
      if (Array.isArray(value))
        value.forEach((item, i) => {
          if (isSchemaObject(item))
            out.push({ keyword, pointer: `${at}/${i}`, schema: item, kind });
        });
    } else if (shape === "map") {
      if (isSchemaObject(value))
        for (const [key, item] of Object.entries(value))
          if (isSchemaObject(item))
            out.push({ keyword, pointer: `${at}/${escapePointer(key)}`, schema: item, kind });
    } else if (isSchemaObject(value)) out.push({ keyword, pointer: at, schema: value, kind });
  }
  return out;
}

/** Whether `schema[key]` is a schema-valued keyword (so its value is walked as schemas). */
export function isSubschemaKeyword(key: string): boolean {
  return Object.hasOwn(KEYWORDS, key);
}
