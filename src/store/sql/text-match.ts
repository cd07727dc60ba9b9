/** Conditions on the text of a value: `starts`, `ends`, substrings and patterns. */
import { sql, type RawBuilder, type SqlBool } from "kysely";
import { FALSE, textOf, type Operand, type Sql } from "./filter-operand.js";
import { toPostgresRegex } from "./postgres-regex.js";

/** `test` on the operand's text; false when the value is not a string or the record never holds a string there. */
export function textTest(
  operand: Operand,
  value: unknown,
  test: (text: Sql, value: string) => RawBuilder<SqlBool>,
): RawBuilder<SqlBool> {
  if (typeof value !== "string") return FALSE;
  const text = textOf(operand);
  return text === undefined ? FALSE : test(text, value);
}

/** `%` + the suffix with LIKE's wildcards escaped. */
export function likeSuffix(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
}

/**
 * `match`, and a pattern as the value of `eq`, `in` or `contains`: the
 * pattern translated to a PostgreSQL ARE with the same meaning for `~`; a
 * plain string is read as `re:` (case-insensitive). A pattern outside the
 * pattern language is QUERY_BAD_VALUE, as in the interpreter.
 */
export function match(operand: Operand, value: unknown): RawBuilder<SqlBool> {
  let source: string;
  if (value instanceof RegExp) source = toPostgresRegex(value.source, value.flags);
  else if (typeof value === "string") source = toPostgresRegex(value, "i");
  else return FALSE;
  return textTest(operand, source, (text, v) => sql<SqlBool>`${text} ~ ${v}::text`);
}
