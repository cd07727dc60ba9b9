/** TypeScript types of query fields, for generated signatures. */
import type { FieldType } from "../../query/ast.js";
import type { QueryParameterIR } from "../ir/types.js";

/** The TS type a value compared with a field of this type has. */
export function tsTypeOfField(type: FieldType): string {
  switch (type) {
    case "string":
    case "date":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "date-time":
      return "string | Date";
    case "array":
      return "readonly unknown[]";
    case "object":
      return "Readonly<Record<string, unknown>>";
    default:
      return "unknown";
  }
}

/**
 * The TS type of a named query's parameter: the enum's literal union when the
 * property is an enum, else the field's type; a readonly array of it for a
 * whole-list parameter (`in(p,$1)`).
 */
export function tsTypeOfParameter(parameter: QueryParameterIR): string {
  const element = parameter.enum
    ? parameter.enum.map((value) => JSON.stringify(value)).join(" | ") || "never"
    : tsTypeOfField(parameter.type);
  if (!parameter.list) return element;
  return /^[\w.]+$/.test(element) ? `readonly ${element}[]` : `readonly (${element})[]`;
}
