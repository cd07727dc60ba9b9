/**
 * The memory store's order (`compareValues`) for JSON values in SQL: null and
 * missing first, then booleans, numbers, strings by code point, arrays
 * element-wise (a prefix first), objects (all equal). PostgreSQL's own jsonb
 * order ranks types differently, compares arrays by length first and strings
 * by the database collation, so it cannot be used.
 *
 * The key is the value flattened to a sequence of tokens `(rank, boolean,
 * number, text collate "C")` in document order, each array closed by a token
 * of rank -1, which sorts before any element: comparing two such sequences
 * (PostgreSQL compares arrays element by element, a prefix first) is exactly
 * the element-wise comparison, at every depth. Objects are one token, never
 * opened, since every object compares equal to every other.
 */
import { sql, type RawBuilder } from "kysely";
import { unsupported } from "./unsupported.js";
import { categoryOf, categoryOfSqlType, elementSqlType } from "./sql-values.js";
import type { SqlColumnSpec } from "./table-spec.js";

type Sql = RawBuilder<unknown>;

/** Array columns whose elements `to_jsonb` turns into the JSON values the record holds. */
const JSON_FAITHFUL_ELEMENTS = new Set(["text", "integer", "float", "boolean"]);

/**
 * A sort key for a jsonb value (SQL NULL counts as JSON null) that orders
 * exactly as `compareValues`; it is never NULL, so `asc`/`desc` need no
 * NULLS clause (null ranks lowest: first ascending, last descending).
 */
export function jsonOrderKey(value: Sql): Sql {
  return sql`(with recursive t(k, v) as (select array[]::int[], ${value} union all select t.k || e.i::int, e.v from t, jsonb_array_elements(case when jsonb_typeof(t.v) = 'array' then t.v else '[]'::jsonb end) with ordinality e(v, i)) select array_agg(row(x.r, x.b, x.n, x.s collate "C") order by x.k) from (select t.k, (case jsonb_typeof(t.v) when 'boolean' then 1 when 'number' then 2 when 'string' then 3 when 'array' then 5 when 'object' then 6 else 0 end) as r, (case when jsonb_typeof(t.v) = 'boolean' then t.v::boolean end) as b, (case when jsonb_typeof(t.v) = 'number' then t.v::numeric end) as n, (case when jsonb_typeof(t.v) = 'string' then t.v #>> '{}' end) as s from t union all select t.k || 2147483647, -1, null, null, null from t where jsonb_typeof(t.v) = 'array') x)`;
}

/**
 * A column's value as jsonb for `jsonOrderKey`: jsonb as it is, an array
 * column through `to_jsonb` when its elements become the same JSON values
 * (text, numbers, booleans); other array columns (dates, uuids, ...) are
 * QUERY_UNSUPPORTED, since the record's strings need not be what `to_jsonb`
 * prints.
 */
export function columnAsJson(spec: SqlColumnSpec, ref: Sql, what: string): Sql {
  const category = categoryOf(spec);
  if (category === "json") return ref;
  if (category === "array" && JSON_FAITHFUL_ELEMENTS.has(categoryOfSqlType(elementSqlType(spec))))
    return sql`to_jsonb(${ref})`;
  throw unsupported(`${what} on "${spec.name}" (${spec.sqlType}) has no SQL translation`);
}
