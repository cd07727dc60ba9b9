/**
 * `SqlStore.insert`: many new records, INSERTed `INSERT_BATCH` at a time,
 * each batch one json parameter (batch-rows.ts). A plain INSERT: an id that
 * exists (in the table or twice in the batch) is a unique violation, which
 * the store reports as STORE_CONFLICT, and the caller's transaction undoes
 * the batches before it. Nothing is RETURNed but the ids the key column's
 * default assigns.
 */
import type { Kysely } from "kysely";
import type { Id } from "../types.js";
import {
  batchJson,
  columnList,
  idOut,
  numberedRecordset,
  recordsetText,
  selectText,
} from "./batch-rows.js";
import type { SqlTable } from "./sql-store.js";
import { Parameters, quoteId, runStatement, writeColumn } from "./write-sql.js";

type Row = Record<string, unknown>;

/** Records per statement. */
export const INSERT_BATCH = 5000;

/**
 * Inserts `records` (checked copies, ids normalised; without the key
 * property when the database assigns it); returns their ids in order.
 */
export async function insertRecords(
  db: Kysely<any>,
  table: SqlTable,
  records: readonly Row[],
): Promise<Id[]> {
  const pk = table.spec.primaryKey;
  const ids: Id[] = records.map((r) => r[pk] as Id);
  const pkSpec = table.columns.get(pk)!;
  const all = table.spec.columns.map(writeColumn);
  const rest = all.filter((c) => c.name !== pk);
  let batch: Row[] = [];
  let positions: number[] = [];
  let assigning = false;
  const flush = async () => {
    if (batch.length === 0) return;
    const columns = assigning ? rest : all;
    const params = new Parameters();
    const json = params.add(batchJson(table, columns, batch));
    const insert = `insert into ${table.refText} (${columnList(table, columns)}) select ${selectText(table, columns, params)} from `;
    if (!assigning) {
      await runStatement<Row>(db, insert + recordsetText(table, columns, json), params);
    } else {
      // The ids come back in the order the rows were inserted, which ORDER BY makes the batch's.
      const numbered = numberedRecordset(table, columns, json);
      const { rows } = await runStatement<Row>(
        db,
        `${insert}${numbered.text} order by ${numbered.position} returning ${quoteId(pk)}`,
        params,
      );
      rows.forEach((row, i) => (ids[positions[i]!] = idOut(pkSpec, row[pk])));
    }
    batch = [];
    positions = [];
  };
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const assigns = record[pk] === undefined;
    if (batch.length >= INSERT_BATCH || (batch.length > 0 && assigns !== assigning)) await flush();
    assigning = assigns;
    batch.push(record);
    positions.push(i);
  }
  await flush();
  return ids;
}
