/** `contains` with a plain value: an element of an array, or a substring (or pattern) of a string. */
import { sql, type RawBuilder, type SqlBool } from "kysely";
import { equals, typedParam } from "./comparisons.js";
import { FALSE, nextAlias, type Operand } from "./filter-operand.js";
import { categoryOfSqlType, isComparable } from "./sql-values.js";
import { match, textTest } from "./text-match.js";

/** An array column tests its elements; a jsonb value tests array elements or a string's text. */
export function contains(operand: Operand, value: unknown): RawBuilder<SqlBool> {
  if (operand.kind === "json") {
    const e = operand.expr;
    const alias = nextAlias();
    const inArray = sql<SqlBool>`exists (select 1 from jsonb_array_elements(${e}) as ${alias}(v) where ${equals({ kind: "json", expr: sql`${alias}.v` }, value)})`;
    return sql<SqlBool>`(case jsonb_typeof(${e}) when 'array' then ${inArray} when 'string' then ${substring(operand, value)} else false end)`;
  }
  if (operand.category === "array") {
    if (value === null || value === undefined)
      return sql<SqlBool>`(array_position(${operand.expr}, null) is not null)`;
    const sqlType = operand.sqlType.replace(/\[\]$/, "");
    const elementCategory = categoryOfSqlType(sqlType);
    if (value instanceof RegExp || value instanceof Date) {
      const alias = nextAlias();
      const element: Operand = {
        kind: "typed",
        category: elementCategory,
        sqlType,
        expr: sql`${alias}.v`,
        dates: operand.dates,
      };
      return sql<SqlBool>`exists (select 1 from unnest(${operand.expr}) as ${alias}(v) where ${equals(element, value)})`;
    }
    if (!isComparable(elementCategory, value)) return FALSE;
    const param = typedParam({ category: elementCategory, sqlType }, value);
    return sql<SqlBool>`(array_position(${operand.expr}, ${param}) is not null)`;
  }
  return substring(operand, value);
}

/** `contains` on a string: a substring, or a pattern it finds. */
function substring(operand: Operand, value: unknown): RawBuilder<SqlBool> {
  if (value instanceof RegExp) return match(operand, value);
  return textTest(operand, value, (text, v) => sql<SqlBool>`strpos(${text}, ${v}::text) > 0`);
}
