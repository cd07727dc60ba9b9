/**
 * `search(words)` on an SQL table with a full-text column (schema keyword
 * `fullText`): the words become terms exactly as the full-text wrapper reads
 * them (`searchTerms`: runs of letters and digits, lower-cased), and every
 * term must be in the record's `tsvector` (`plainto_tsquery` ANDs them; with
 * the "simple" configuration it neither stems nor drops stop words, so the
 * SQL store and the wrapper's index match the same records).
 *
 * @example
 * searchCondition(parseQuery("search(Dune)").filter, context)
 * // "perstore_search" @@ plainto_tsquery($1::regconfig, $2::text)   -- 'simple', 'dune'
 */
import { sql, type RawBuilder, type SqlBool } from "kysely";
import { StoreError } from "../../errors/index.js";
import type { FilterNode, SearchNode } from "../../query/ast.js";
import { rankingSearches, searchTerms, searchText } from "../../query/search-terms.js";
import { FALSE } from "./filter-operand.js";
import type { SqlColumnSpec, SqlFullTextSpec } from "./table-spec.js";
import { unsupported } from "./unsupported.js";

type Sql = RawBuilder<unknown>;

const LANGUAGE = /^[a-z_]+$/;

/** Checks a table's full-text spec: a known column name, a plain configuration name, text fields. */
export function checkFullText(
  spec: SqlFullTextSpec,
  table: string,
  columns: ReadonlyMap<string, SqlColumnSpec>,
): void {
  const bad = (why: string) =>
    new StoreError("STORE_BAD_OPTION", `table ${table}: fullText ${why}`);
  if (spec.column !== "perstore_search") throw bad(`column must be "perstore_search"`);
  if (!LANGUAGE.test(spec.language))
    throw bad(
      `language must be a text-search configuration name ([a-z_]+), not "${spec.language}"`,
    );
  if (spec.fields.length === 0) throw bad("needs at least one field");
  for (const field of spec.fields) {
    const column = columns.get(field);
    if (column === undefined || column.type !== "string")
      throw bad(`field "${field}" is not a string column`);
  }
  if (columns.has(spec.column)) throw bad(`a property may not be named "${spec.column}"`);
}

/** The tsquery of a search: every term of its words (a query with no term matches nothing). */
function tsQuery(node: SearchNode, spec: SqlFullTextSpec, parameters: readonly unknown[]) {
  const terms = searchTerms(searchText(node, parameters));
  if (terms.length === 0) return undefined;
  return sql`plainto_tsquery(${spec.language}::regconfig, ${terms.join(" ")}::text)`;
}

/** `search(words)` as a boolean SQL expression over the table's full-text column. */
export function searchCondition(
  node: SearchNode,
  spec: SqlFullTextSpec | undefined,
  parameters: readonly unknown[],
): RawBuilder<SqlBool> {
  if (spec === undefined)
    throw unsupported(
      "search() needs a full-text index: declare fullText in the model's schema, or wrap the store with fullText()",
    );
  const query = tsQuery(node, spec, parameters);
  if (query === undefined) return FALSE;
  return sql<SqlBool>`${sql.id(spec.column)} @@ ${query}`;
}

/**
 * The relevance of a record for the filter's selecting searches: the sum of
 * their `ts_rank`s, or undefined when there is none (then no ranking).
 */
export function relevance(
  filter: FilterNode,
  spec: SqlFullTextSpec | undefined,
  parameters: readonly unknown[],
): Sql | undefined {
  if (spec === undefined) return undefined;
  const ranks: Sql[] = [];
  for (const node of rankingSearches(filter)) {
    const query = tsQuery(node, spec, parameters);
    if (query !== undefined) ranks.push(sql`ts_rank(${sql.id(spec.column)}, ${query})`);
  }
  return ranks.length === 0 ? undefined : sql`(${sql.join(ranks, sql` + `)})`;
}
