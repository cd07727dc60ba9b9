/**
 * The JSON Schema of a nested object or array property as the OpenAPI
 * document shows it: the structure a client needs to build a form (nested
 * `properties`, `items`, `required`, enums, formats, limits), with `$ref`s
 * resolved in place and perstore's own keywords left out (`readonly` becomes
 * `readOnly`). A recursive schema stops at its first repeat, which becomes
 * `{}` (any value).
 */
import { getByPointer } from "../ir/json-pointer.js";
import type { ModelIR, ProjectIR, PropertyIR } from "../ir/types.js";

type Json = Record<string, unknown>;

/** Keywords copied as they are. */
const KEPT = [
  "type",
  "format",
  "enum",
  "const",
  "default",
  "description",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "required",
  "readOnly",
] as const;

const MAX_DEPTH = 16;

/** The property's schema as written (its model's, or the ancestor's that declares it), resolved. */
export function nestedSchema(property: PropertyIR, model: ModelIR, ir: ProjectIR): Json {
  const owner = ir.models.find((m) => m.name === (property.inheritedFrom ?? model.name)) ?? model;
  const raw = getByPointer(owner.schema, property.pointer);
  return isObject(raw) ? convert(raw, owner, ir, [], 0) : {};
}

function convert(
  schema: Json,
  owner: ModelIR,
  ir: ProjectIR,
  seen: readonly Json[],
  depth: number,
): Json {
  let current = schema;
  let from = owner;
  // $refs are `Model#/pointer` (or `#/pointer`) once the compiler has read the files.
  for (let hops = 0; typeof current["$ref"] === "string" && hops < 32; hops++) {
    const ref = current["$ref"];
    const hash = ref.indexOf("#");
    const name = hash < 0 ? ref : ref.slice(0, hash);
    const target = name === "" ? from : ir.models.find((m) => m.name === name);
    const found = target && getByPointer(target.schema, hash < 0 ? "" : ref.slice(hash + 1));
    if (!target || !isObject(found)) return {};
    current = found;
    from = target;
  }
  if (seen.includes(current) || depth > MAX_DEPTH) return {};
  const inner = [...seen, current];
  const next = (sub: unknown): unknown =>
    typeof sub === "boolean" ? sub : isObject(sub) ? convert(sub, from, ir, inner, depth + 1) : {};
  const out: Json = {};
  for (const keyword of KEPT) if (current[keyword] !== undefined) out[keyword] = current[keyword];
  if (current["readonly"] === true) out.readOnly = true;
  if (isObject(current["properties"]))
    out.properties = Object.fromEntries(
      Object.entries(current["properties"]).map(([name, sub]) => [name, next(sub)]),
    );
  if (current["items"] !== undefined) out.items = next(current["items"]);
  if (current["additionalProperties"] !== undefined)
    out.additionalProperties = next(current["additionalProperties"]);
  for (const keyword of ["anyOf", "oneOf", "allOf"] as const)
    if (Array.isArray(current[keyword])) out[keyword] = (current[keyword] as unknown[]).map(next);
  return out;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
