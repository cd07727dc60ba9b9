/**
 * The row a write replaces, read in the write's own statement: a CTE that
 * selects (and locks, FOR UPDATE) the row before the UPDATE or INSERT changes
 * it. A `change` event carries it as `previous`, so a server tells a facet of
 * a change only when something the facet shows changed. Only used when
 * someone listens: without listeners a write stays a plain statement.
 *
 * The CTE's columns are aliased ("previous 0", ...) so that they never clash
 * with the table's own columns in SET expressions or in RETURNING.
 */
import { rowToRecord } from "./sql-rows.js";
import type { SqlTable } from "./sql-store.js";
import type { SqlColumnSpec } from "./table-spec.js";
import { quoteId } from "./write-sql.js";

type Row = Record<string, unknown>;

/** The CTE's name: a space keeps it apart from any table a schema can name. */
export const PREVIOUS = `"perstore previous"`;

/** Per table's read columns: the aliases of the previous row's columns, unlike any column's name. */
const aliasesOf = new WeakMap<readonly SqlColumnSpec[], string[]>();

function aliases(table: SqlTable): string[] {
  const columns = table.readColumns;
  let out = aliasesOf.get(columns);
  if (out === undefined) {
    let prefix = "previous ";
    while (columns.some((c) => c.name.startsWith(prefix))) prefix = `_${prefix}`;
    out = columns.map((_, i) => `${prefix}${i}`);
    aliasesOf.set(columns, out);
  }
  return out;
}

/** `with "perstore previous" as (select ... from t where <where> for update) `. */
export function previousCte(table: SqlTable, whereText: string): string {
  const alias = (i: number) => aliases(table)[i]!;
  const list = table.readColumns.map((c, i) => `${quoteId(c.name)} as ${quoteId(alias(i))}`);
  return `with ${PREVIOUS} as (select ${list.join(", ")} from ${table.refText} where ${whereText} for update) `;
}

/** The CTE's (aliased) columns, for a RETURNING or SELECT list. */
export function previousColumns(table: SqlTable): string {
  return aliases(table)
    .map((a) => `${PREVIOUS}.${quoteId(a)}`)
    .join(", ");
}

/** The CTE's primary key column, to join the written row to it. */
export function previousKey(table: SqlTable): string {
  const i = table.readColumns.findIndex((c) => c.name === table.spec.primaryKey);
  return `${PREVIOUS}.${quoteId(aliases(table)[i]!)}`;
}

/** The record the CTE read from a returned row; undefined when there was no row before. */
export function previousOf(table: SqlTable, row: Row): Row | undefined {
  const columns = table.readColumns;
  const alias = (i: number) => aliases(table)[i]!;
  const key = columns.findIndex((c) => c.name === table.spec.primaryKey);
  const keyValue = row[alias(key)];
  if (keyValue === undefined || keyValue === null) return undefined;
  const named: Row = {};
  columns.forEach((c, i) =>
    Object.defineProperty(named, c.name, { value: row[alias(i)], enumerable: true }),
  );
  return rowToRecord(named, columns, table.dates);
}
