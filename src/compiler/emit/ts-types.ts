/** TypeScript types of query fields, for generated signatures. */
import type { FieldType } from "../../query/ast.js";

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
