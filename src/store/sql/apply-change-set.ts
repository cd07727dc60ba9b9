/**
 * A memory store's change set applied with batched statements, inside the
 * transaction the caller opened (so a failure rolls everything back):
 * - adds:    INSERT INTO t (...) SELECT ... FROM jsonb_to_recordset($1) ON CONFLICT (pk) DO UPDATE ...
 *            (records without an id get one from the column default, RETURNING it);
 * - changes: UPDATE t SET c = v.c, ... FROM jsonb_to_recordset($1) AS v(...) WHERE t.pk = v.pk;
 * - removes: DELETE FROM t WHERE pk = ANY(...);
 * - clear / replace: DELETE FROM t (then the records, for replace).
 * Consecutive changes of one kind share a statement; an id seen twice starts a new one
 * (a condensed set is first ordered removes, changes, adds, so each kind is one batch).
 */
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Change, ChangeSet, ChannelResponse, Id } from "../types.js";
import { copyRecord } from "../copy.js";
import {
  checkProperties,
  discriminatorColumn,
  discriminatorFilter,
  discriminatorOf,
  outsideModelsError,
  recordset,
  rowToRecord,
} from "./sql-rows.js";
import type { SqlTable } from "./sql-store.js";
import { checkedSqlType } from "./sql-values.js";
import type { SqlColumnSpec } from "./table-spec.js";

type Sql = RawBuilder<unknown>;
type Row = Record<string, unknown>;

/** Records per statement (each statement carries its batch as one jsonb parameter). */
const BATCH = 10_000;

export async function applyChangeSet(
  db: Kysely<any>,
  table: SqlTable,
  changeSet: ChangeSet<Row>,
): Promise<ChannelResponse<Row>> {
  const ids = new Map<Id, Id>();
  const written: Row[] = [];
  if (changeSet.mode === "replace") {
    await clear(db, table);
    await insertRows(
      db,
      table,
      (changeSet.records ?? []).map((r) => ({ id: r[table.spec.primaryKey] as Id, record: r })),
      ids,
      written,
    );
    return { ids, data: written };
  }
  const ordered =
    changeSet.mode === "condensed" ? condensedOrder(changeSet.changes) : changeSet.changes;
  for (const batch of batches(ordered)) {
    switch (batch.type) {
      case "clear":
        await clear(db, table);
        break;
      case "add":
        await insertRows(
          db,
          table,
          batch.changes.map((c) => c as { id: Id; record: Row }),
          ids,
          written,
        );
        break;
      case "change":
        await updateRows(
          db,
          table,
          batch.changes.map((c) => (c as { record: Row }).record),
          written,
        );
        break;
      case "remove":
        await deleteRows(
          db,
          table,
          batch.changes.map((c) => (c as { id: Id }).id),
        );
        break;
    }
  }
  return { ids, records: written };
}

interface Batch {
  readonly type: Change["type"];
  readonly changes: Change<Row>[];
}

/**
 * A condensed set holds one net change per record, so between two `clear`s the
 * order of records does not matter: removes first (freeing unique values),
 * then changes, then adds, each kind in one batch.
 */
function condensedOrder(changes: readonly Change<Row>[]): Change<Row>[] {
  const out: Change<Row>[] = [];
  const rank = { remove: 0, change: 1, add: 2 } as const;
  let segment: Change<Row>[] = [];
  const flush = () => {
    out.push(
      ...segment
        .map((c, i) => [c, i] as const)
        .sort(
          ([a, i], [b, j]) =>
            rank[a.type as keyof typeof rank] - rank[b.type as keyof typeof rank] || i - j,
        )
        .map(([c]) => c),
    );
    segment = [];
  };
  for (const change of changes) {
    if (change.type === "clear") {
      flush();
      out.push(change);
    } else segment.push(change);
  }
  flush();
  return out;
}

/** Runs of one change type with distinct ids, in order. */
function batches(changes: readonly Change<Row>[]): Batch[] {
  const out: Batch[] = [];
  let current: Batch | undefined;
  let seen = new Set<Id>();
  for (const change of changes) {
    const id = "id" in change ? change.id : undefined;
    if (
      current === undefined ||
      current.type !== change.type ||
      change.type === "clear" ||
      (id !== undefined && seen.has(id))
    ) {
      current = { type: change.type, changes: [] };
      out.push(current);
      seen = new Set();
    }
    current.changes.push(change);
    if (id !== undefined) seen.add(id);
  }
  return out;
}

async function clear(db: Kysely<any>, table: SqlTable): Promise<void> {
  await sql`delete from ${table.ref} where ${discriminatorFilter(table.spec)}`.execute(db);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A checked copy; an inherited model's record keeps a valid discriminator, if it names one. */
function prepared(table: SqlTable, record: Row): Row {
  const copy = copyRecord(record);
  checkProperties(copy, table.columns, table.spec);
  discriminatorOf(copy, table.spec);
  return copy;
}

/** `RETURNING` every column: the records as stored (server-side values) go back to the memory store. */
function returning(table: SqlTable, alias?: string): Sql {
  const ref = (name: string) => (alias === undefined ? sql.id(name) : sql.id(alias, name));
  return sql` returning ${sql.join(table.readColumns.map((c) => ref(c.name)))}`;
}

function collect(table: SqlTable, rows: readonly Row[], written: Row[]): void {
  for (const row of rows) written.push(rowToRecord(row, table.readColumns, table.dates));
}

async function insertRows(
  db: Kysely<any>,
  table: SqlTable,
  adds: readonly { id: Id; record: Row }[],
  ids: Map<Id, Id>,
  written: Row[],
): Promise<void> {
  const { spec } = table;
  const pk = spec.primaryKey;
  const withId = adds.filter((a) => a.record[pk] !== undefined && a.record[pk] !== null);
  const withoutId = adds.filter((a) => a.record[pk] === undefined || a.record[pk] === null);
  const all = spec.columns;
  const rest = all.filter((c) => c.name !== pk);
  // An add over an existing row replaces it (keeping its model), never a row of a model outside this store's.
  const sets = rest.map((c) => sql`${sql.id(c.name)} = excluded.${sql.id(c.name)}`);
  if (sets.length === 0) sets.push(sql`${sql.id(pk)} = excluded.${sql.id(pk)}`);
  const upsert = sql` on conflict (${sql.id(pk)}) do update set ${sql.join(sets)}${spec.discriminator === undefined ? sql`` : sql` where ${discriminatorFilter(table.spec, table.ref)}`}`;
  for (const chunk of chunks(withId, BATCH)) {
    const { rows } = await sql<Row>`insert into ${table.ref} (${names(table, all)}) ${selectRows(
      table,
      all,
      chunk.map((a) => prepared(table, a.record)),
    )}${upsert}${returning(table)}`.execute(db);
    if (rows.length < chunk.length) {
      const stored = new Set(rows.map((row) => String(row[pk])));
      const refused = chunk.find((a) => !stored.has(String(a.record[pk])));
      throw outsideModelsError(spec, refused?.record[pk]);
    }
    collect(table, rows, written);
  }
  // Ids from the column default, in VALUES order (RETURNING keeps it for a multi-row INSERT).
  for (const chunk of chunks(withoutId, BATCH)) {
    // RETURNING follows the order the SELECT produced the rows in, which is the batch order.
    const { rows } = await sql<Row>`insert into ${table.ref} (${names(table, rest)}) ${selectRows(
      table,
      rest,
      chunk.map((a) => prepared(table, a.record)),
    )}${returning(table)}`.execute(db);
    collect(table, rows, written);
    chunk.forEach((add, i) => {
      const assigned = rows[i]?.[pk];
      if (assigned !== undefined)
        ids.set(
          add.id,
          typeof assigned === "string" &&
            /^\d+$/.test(assigned) &&
            Number.isSafeInteger(Number(assigned))
            ? Number(assigned)
            : (assigned as Id),
        );
    });
  }
}

function names(table: SqlTable, columns: readonly SqlColumnSpec[]): Sql {
  const list = columns.map((c) => sql.id(c.name));
  if (table.spec.discriminator !== undefined) list.push(sql.id(table.spec.discriminator.column));
  return sql.join(list);
}

/** The columns a batch carries: the given ones, plus the discriminator a record may name. */
function batchColumns(
  table: SqlTable,
  columns: readonly SqlColumnSpec[],
): readonly SqlColumnSpec[] {
  const d = discriminatorColumn(table.spec);
  return d === undefined ? columns : [...columns, d];
}

function selectRows(
  table: SqlTable,
  columns: readonly SqlColumnSpec[],
  records: readonly Row[],
): Sql {
  const d = table.spec.discriminator;
  const values = columns.map((c) => sql`v.${sql.id(c.name)}`);
  // A record naming its model keeps it; others are this store's model.
  if (d !== undefined) values.push(sql`coalesce(v.${sql.id(d.column)}, ${d.value}::text)`);
  return sql`select ${sql.join(values)} from ${recordset(batchColumns(table, columns), records)}`;
}

async function updateRows(
  db: Kysely<any>,
  table: SqlTable,
  records: readonly Row[],
  written: Row[],
): Promise<void> {
  const { spec } = table;
  const pk = spec.primaryKey;
  const columns = spec.columns;
  const rest = columns.filter((c) => c.name !== pk);
  const sets = rest.map((c) => sql`${sql.id(c.name)} = v.${sql.id(c.name)}`);
  const d = spec.discriminator;
  if (d !== undefined)
    sets.push(sql`${sql.id(d.column)} = coalesce(v.${sql.id(d.column)}, t.${sql.id(d.column)})`);
  if (sets.length === 0) return;
  for (const chunk of chunks(records, BATCH)) {
    const updated = await sql<Row>`update ${table.ref} as t set ${sql.join(sets)} from ${recordset(
      batchColumns(table, columns),
      chunk.map((r) => prepared(table, r)),
    )} where t.${sql.id(pk)} = v.${sql.id(pk)} and ${discriminatorFilter(table.spec, sql.id("t"))}${returning(table, "t")}`.execute(
      db,
    );
    collect(table, updated.rows, written);
  }
}

async function deleteRows(db: Kysely<any>, table: SqlTable, ids: readonly Id[]): Promise<void> {
  const pk = table.columns.get(table.spec.primaryKey)!;
  const type = sql.raw(checkedSqlType(pk));
  for (const chunk of chunks(ids, 10_000)) {
    const list = sql`array(select jsonb_array_elements_text(${JSON.stringify(chunk)}::jsonb)::${type})`;
    await sql`delete from ${table.ref} where ${sql.id(pk.name)} = any(${list}) and ${discriminatorFilter(table.spec)}`.execute(
      db,
    );
  }
}
