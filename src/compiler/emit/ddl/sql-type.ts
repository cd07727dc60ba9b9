/**
 * The one mapping from a property's JSON Schema type to its SQL column type.
 *
 * | property                                   | SQL                    |
 * | ------------------------------------------ | ---------------------- |
 * | string (maxLength n)                       | text (varchar(n))      |
 * | string, format uuid / date-time / date     | uuid / timestamptz / date |
 * | integer within [-2^31, 2^31-1] by min/max  | integer, else bigint   |
 * | number                                     | double precision       |
 * | boolean                                    | boolean                |
 * | array of strings / integers / numbers / booleans | text[] / bigint[] / double precision[] / boolean[] |
 * | object, any, arrays of anything else       | jsonb                  |
 *
 * Arrays of scalars are native SQL arrays (so `contains` is `= ANY(...)` and
 * the values keep their types); item formats are not used for arrays, so
 * date and uuid items are kept as the exact strings written (text[]).
 */
import type { FieldType } from "../../../query/ast.js";
import type { PropertyIR } from "../../ir/types.js";

const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;

/** The SQL type of a property's column. */
export function sqlTypeOf(
  property: Pick<PropertyIR, "type" | "format" | "maxLength" | "minimum" | "maximum" | "items">,
): string {
  switch (property.type) {
    case "string":
      if (property.format === "uuid") return "uuid";
      if (property.format === "date-time") return "timestamptz";
      if (property.format === "date") return "date";
      return property.maxLength === undefined ? "text" : `varchar(${property.maxLength})`;
    case "date-time":
      return "timestamptz";
    case "date":
      return "date";
    case "integer":
      return fitsInt4(property.minimum, property.maximum) ? "integer" : "bigint";
    case "number":
      return "double precision";
    case "boolean":
      return "boolean";
    case "array": {
      const item = property.items === undefined ? undefined : scalarArrayType(property.items.type);
      return item === undefined ? "jsonb" : `${item}[]`;
    }
    default:
      return "jsonb";
  }
}

function fitsInt4(minimum: number | undefined, maximum: number | undefined): boolean {
  return (
    minimum !== undefined && maximum !== undefined && minimum >= INT4_MIN && maximum <= INT4_MAX
  );
}

function scalarArrayType(type: FieldType): string | undefined {
  switch (type) {
    case "string":
    case "date":
    case "date-time":
      return "text";
    case "integer":
      return "bigint";
    case "number":
      return "double precision";
    case "boolean":
      return "boolean";
    default:
      return undefined;
  }
}
