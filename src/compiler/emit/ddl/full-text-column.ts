/**
 * The generated full-text column of a model with `fullText` (schema keyword):
 * a stored `tsvector` of its fields' text and its GIN index. The text goes
 * through `regexp_replace` first, turning ASCII punctuation into spaces, so
 * PostgreSQL's parser sees the same terms as perstore's own tokenizer
 * (`searchTerms`: runs of letters and digits) instead of keeping e-mail
 * addresses, URLs, paths, hyphenated words and decimals as single tokens.
 *
 * @example
 * fullTextColumnSql({ fields: ["title"], language: "simple" })
 * // to_tsvector('simple'::regconfig, regexp_replace(coalesce("title", ''), '[!-/:-@\[-`{-~]+', ' ', 'g'))
 */
import { sql, type RawBuilder } from "kysely";
import { PerstoreError } from "../../../errors/index.js";
import { constraintName } from "./constraint-name.js";

/** The full-text column every full-text table has (reserved: no property may use it). */
export const FULL_TEXT_COLUMN = "perstore_search";

/** ASCII punctuation and symbols: separators for perstore, but parts of tokens for PostgreSQL's parser. */
const ASCII_PUNCTUATION = "[!-/:-@\\[-`{-~]+";

const LANGUAGE = /^[a-z_]+$/;

/** What a table's full-text column is made of. */
export interface DdlFullText {
  /** The text properties, in schema order. */
  readonly fields: readonly string[];
  /** The text-search configuration: "simple" (the default) or a language such as "english". */
  readonly language: string;
}

/** Whether `language` may be written into SQL as a configuration name. */
export function isTextSearchConfig(language: string): boolean {
  return LANGUAGE.test(language);
}

/** The generation expression of the `tsvector` column. */
export function fullTextColumnSql(fullText: DdlFullText): RawBuilder<unknown> {
  if (!isTextSearchConfig(fullText.language))
    throw new PerstoreError(
      "MIGRATION_SQL_TYPE",
      `"${fullText.language}" is not a text-search configuration name`,
    );
  const text = sql.join(
    fullText.fields.map((field) => sql`coalesce(${sql.id(field)}, '')`),
    sql` || ' ' || `,
  );
  return sql`to_tsvector(${sql.lit(fullText.language)}::regconfig, regexp_replace(${text}, ${sql.lit(ASCII_PUNCTUATION)}, ' ', 'g'))`;
}

/** `<table>_perstore_search_idx`: the GIN index of the column. */
export function fullTextIndexName(table: string): string {
  return constraintName(table, [FULL_TEXT_COLUMN], "idx");
}
