/**
 * From a property's JSON Schema to its PropertyIR fields: the query/SQL type,
 * nullability, format and limits. `$ref`s are followed through `deref`.
 */
import type { FieldType } from "../../query/ast.js";
import type { PropertyIR } from "./types.js";

export type Deref = (schema: Record<string, unknown>) => Record<string, unknown>;

const JSON_TYPES = ["string", "integer", "number", "boolean", "array", "object"] as const;

/** The field type, nullability and format of a (dereferenced) schema. */
export function fieldTypeOf(schema: Record<string, unknown>): {
  type: FieldType;
  nullable: boolean;
  format?: string;
} {
  const declared = schema["type"];
  const types: string[] = Array.isArray(declared)
    ? declared.filter((t): t is string => typeof t === "string")
    : typeof declared === "string"
      ? [declared]
      : [];
  let nullable = types.includes("null");
  let main = types.find((t) => t !== "null");
  if (main === undefined && Array.isArray(schema["enum"])) {
    const values = schema["enum"] as unknown[];
    nullable ||= values.includes(null);
    const kinds = new Set(
      values
        .filter((v) => v !== null)
        .map((v) => (typeof v === "number" && Number.isInteger(v) ? "integer" : typeof v)),
    );
    if (kinds.size === 1) main = [...kinds][0];
  }
  if (
    main === undefined &&
    (schema["properties"] !== undefined || schema["additionalProperties"] !== undefined)
  )
    main = "object";
  if (main === undefined && schema["items"] !== undefined) main = "array";
  const format = typeof schema["format"] === "string" ? schema["format"] : undefined;
  let type: FieldType = (JSON_TYPES as readonly string[]).includes(main ?? "")
    ? (main as FieldType)
    : "any";
  if (type === "string" && format === "date-time") type = "date-time";
  if (type === "string" && format === "date") type = "date";
  if (types.filter((t) => t !== "null").length > 1) type = "any";
  return format === undefined ? { type, nullable } : { type, nullable, format };
}

/** Build one property's IR (without `required`/`inheritedFrom`, set by the caller). */
export function propertyIR(
  name: string,
  original: Record<string, unknown>,
  deref: Deref,
  pointer: string,
  required: boolean,
): PropertyIR {
  const schema = deref(original);
  const { type, nullable, format } = fieldTypeOf(schema);
  const ir: { -readonly [K in keyof PropertyIR]: PropertyIR[K] } = {
    name,
    type,
    required,
    nullable,
    readonly: original["readonly"] === true || schema["readonly"] === true,
    unique: original["unique"] === true,
    indexed: original["indexed"] === true || original["unique"] === true,
    pointer,
  };
  if (format !== undefined) ir.format = format;
  if (Array.isArray(schema["enum"])) ir.enum = schema["enum"] as PropertyIR["enum"];
  if (typeof schema["maxLength"] === "number") ir.maxLength = schema["maxLength"];
  if (typeof schema["minimum"] === "number") ir.minimum = schema["minimum"];
  if (typeof schema["maximum"] === "number") ir.maximum = schema["maximum"];
  if (type === "array" && schema["items"] !== null && typeof schema["items"] === "object") {
    const item = fieldTypeOf(deref(schema["items"] as Record<string, unknown>));
    ir.items =
      item.format === undefined ? { type: item.type } : { type: item.type, format: item.format };
  }
  const dflt = original["default"] ?? schema["default"];
  if (dflt !== undefined) ir.default = dflt;
  if (typeof original["renamedFrom"] === "string") ir.renamedFrom = original["renamedFrom"];
  return ir;
}
