/**
 * A memory store's change set applied with batched statements, inside the
 * transaction the caller opened (so a failure rolls everything back):
 * - adds:    INSERT INTO t (...) SELECT ... FROM json_to_recordset($1) ON CONFLICT (pk) DO UPDATE ...
 *            (records without an id get one from the column default, RETURNING it);
 * - changes: UPDATE t SET c = v.c, ... FROM json_to_recordset($1) AS v(...) WHERE t.pk = v.pk,
 *            setting only the columns a change touched (see `changedColumns`);
 * - removes: DELETE FROM t WHERE pk = ANY(...);
 * - clear / replace: DELETE FROM t (then the records, for replace).
 * Consecutive changes of one kind share a statement; an id seen twice starts a new one
 * (a condensed set is first ordered removes, changes, adds, so each kind is one batch).
 *
 * A batch is one JSON parameter: `JSON.stringify` of the records themselves
 * (a Date becomes its ISO text; NaN, infinities and bigints as `jsonScalar`
 * in write-sql.ts sends them, as every write does), which the server reads once. What the
 * database will give back for each value is worked out here (read-back.ts),
 * so the response names only values the database changed, and `RETURNING`
 * asks only for the columns whose value is not certain.
 */
import type { Kysely } from "kysely";
import type { Change, ChangeSet, ChannelResponse, Id } from "../types.js";
import { checkProperties, discriminatorOf, outsideModelsError, rowToRecord } from "./sql-rows.js";
import {
  batchJson,
  batchRow,
  columnList,
  idOut,
  numberedRecordset,
  recordsetText,
  selectText,
} from "./batch-rows.js";
import type { SqlTable } from "./sql-store.js";
import { checkedSqlType } from "./sql-values.js";
import { readBackOf, UNKNOWN } from "./read-back.js";
import {
  discriminatorText,
  Parameters,
  quoteId,
  runStatement,
  valueOf,
  writeColumn,
  type WriteColumn,
} from "./write-sql.js";

type Row = Record<string, unknown>;

/** Records per statement (each statement carries its batch as one json parameter). */
const BATCH = 10_000;

/** Where a statement's rows are reported: every record whole (`replace`), or only what the database changed. */
interface Report {
  readonly whole: boolean;
  readonly out: Row[];
}

export async function applyChangeSet(
  db: Kysely<any>,
  table: SqlTable,
  changeSet: ChangeSet<Row>,
): Promise<ChannelResponse<Row>> {
  const ids = new Map<Id, Id>();
  const pk = table.spec.primaryKey;
  if (changeSet.mode === "replace") {
    await clear(db, table);
    const data: Row[] = [];
    await insertRows(
      db,
      table,
      (changeSet.records ?? []).map((r) => ({ id: r[pk] as Id, record: r })),
      ids,
      { whole: true, out: data },
    );
    return { ids, data };
  }
  const written: Row[] = [];
  const report: Report = { whole: false, out: written };
  const ordered =
    changeSet.mode === "condensed" ? condensedOrder(changeSet.changes) : changeSet.changes;
  for (const batch of batches(ordered)) {
    switch (batch.type) {
      case "clear":
        await clear(db, table);
        break;
      case "add":
        await insertRows(db, table, batch.changes as AddChange[], ids, report);
        break;
      case "change":
        await updateRows(db, table, batch.changes as ChangeChange[], report);
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

type AddChange = { readonly id: Id; readonly record: Row };
type ChangeChange = { readonly id: Id; readonly changes?: Readonly<Row>; readonly record: Row };

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
  const params = new Parameters();
  await runStatement(
    db,
    `delete from ${table.refText} where ${discriminatorText(table.spec, params)}`,
    params,
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  if (items.length <= size) return [items as T[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Checks a record (no copy: it is only read, into the batch's JSON); returns the model it names, if any. */
function checked(table: SqlTable, record: Row): string | undefined {
  checkProperties(record, table.columns, table.spec);
  return discriminatorOf(record, table.spec);
}

/**
 * What the rows of a statement report: per row, the values the database will
 * hold that differ from the record's (all of them when `whole`), and the
 * columns whose value only the database can tell (to be RETURNed).
 */
class RowReport {
  readonly rows: (Row | undefined)[] = [];
  readonly unknown = new Set<WriteColumn>();
  /** Per column: what it gives back for a value (decided once per statement, not per cell). */
  readonly #readBacks: ((value: unknown) => unknown)[];

  constructor(
    private readonly table: SqlTable,
    private readonly whole: boolean,
    private readonly columns: readonly WriteColumn[],
  ) {
    this.#readBacks = columns.map((c) => readBackOf(c, table.dates));
  }

  /** `typeAfter`: the model the row will name (UNKNOWN: only the database knows). */
  add(record: Row, typeAfter: unknown): void {
    const columns = this.columns;
    let diff: Row | undefined;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const value = valueOf(record, c);
      const after = this.#readBacks[i]!(value);
      if (after === UNKNOWN) this.unknown.add(c);
      // An array read back is the record's own: the report gets a copy, never shared with the caller.
      else if (this.whole || !Object.is(after, value))
        (diff ??= {})[c.name] = Array.isArray(after) ? after.slice() : after;
    }
    const d = this.table.spec.discriminator;
    if (d !== undefined) {
      if (typeAfter === UNKNOWN) this.unknown.add(this.discriminator());
      else if (this.whole || typeAfter !== record[d.column]) (diff ??= {})[d.column] = typeAfter;
    }
    this.rows.push(diff);
  }

  discriminator(): WriteColumn {
    return writeColumn(this.table.readColumns[this.table.readColumns.length - 1]!);
  }

  /** `returning "id", ...` for the unknown columns (and the key, when `key` or any is unknown). */
  returning(qualifier: string, key: boolean): string {
    if (this.unknown.size === 0 && !key) return "";
    const pk = writeColumn(this.table.columns.get(this.table.spec.primaryKey)!);
    const names = [pk, ...[...this.unknown].filter((c) => c !== pk)].map(
      (c) => `${qualifier}${c.quoted}`,
    );
    return ` returning ${names.join(", ")}`;
  }

  /**
   * Adds each row's report to `out`, with its id as stored (`ids[i]`) and the
   * unknown values from `returned` (matched by id).
   */
  finish(ids: readonly unknown[], returned: readonly Row[], out: Row[]): void {
    const pkName = this.table.spec.primaryKey;
    const pk = this.table.columns.get(pkName)!;
    let byId: Map<string, Row> | undefined;
    let read: ((row: Row) => Row) | undefined;
    if (this.unknown.size > 0) {
      byId = new Map(returned.map((row) => [String(row[pkName]), row]));
      const columns = [pk, ...[...this.unknown].map((c) => c.spec).filter((c) => c !== pk)];
      read = (row) => rowToRecord(row, columns, this.table.dates);
    }
    const pkAfter = readBackOf(writeColumn(pk), this.table.dates);
    for (let i = 0; i < this.rows.length; i++) {
      let diff = this.rows[i];
      const after = pkAfter(ids[i]);
      const id = after === UNKNOWN ? ids[i] : after;
      if (byId !== undefined) {
        const row = byId.get(String(id));
        if (row !== undefined) diff = { ...diff, ...read!(row) };
      }
      if (diff !== undefined) out.push({ ...diff, [pkName]: id });
    }
  }
}

async function insertRows(
  db: Kysely<any>,
  table: SqlTable,
  adds: readonly AddChange[],
  ids: Map<Id, Id>,
  report: Report,
): Promise<void> {
  const { spec } = table;
  const pk = spec.primaryKey;
  const d = spec.discriminator;
  const hasId = (a: AddChange) => a.record[pk] !== undefined && a.record[pk] !== null;
  const withId = adds.filter(hasId);
  const withoutId = adds.filter((a) => !hasId(a));
  const all = spec.columns.map(writeColumn);
  const rest = all.filter((c) => c.name !== pk);
  const refText = table.refText;
  for (const chunk of chunks(withId, BATCH)) {
    const rows = new RowReport(table, report.whole, all);
    const records = chunk.map((a) => a.record);
    // Over an existing row the add keeps that row's model: only the database knows which it was.
    for (const record of records) {
      checked(table, record);
      rows.add(record, UNKNOWN);
    }
    const params = new Parameters();
    const recordset = recordsetText(table, all, params.add(batchJson(table, all, records)));
    const select = selectText(table, all, params);
    // An add over an existing row replaces it (keeping its model), never a row of a model outside this store's.
    const sets = rest.map((c) => `${c.quoted} = excluded.${c.quoted}`);
    if (sets.length === 0) sets.push(`${quoteId(pk)} = excluded.${quoteId(pk)}`);
    const guard = d === undefined ? "" : ` where ${discriminatorText(spec, params, refText)}`;
    // With a discriminator, the ids RETURNed tell which rows the guard refused.
    const { rows: returned } = await runStatement<Row>(
      db,
      `insert into ${refText} (${columnList(table, all)}) select ${select} from ${recordset} on conflict (${quoteId(pk)}) do update set ${sets.join(", ")}${guard}${rows.returning("", d !== undefined)}`,
      params,
    );
    if (d !== undefined && returned.length < chunk.length) {
      const stored = new Set(returned.map((row) => String(row[pk])));
      const refused = chunk.find((a) => !stored.has(String(a.record[pk])));
      throw outsideModelsError(spec, refused?.record[pk]);
    }
    rows.finish(
      records.map((r) => r[pk]),
      returned,
      report.out,
    );
  }
  // Ids from the column default, in the batch's order: ORDER BY the row's position in the batch
  // makes the insert's order, and so RETURNING's, the batch's.
  for (const chunk of chunks(withoutId, BATCH)) {
    const rows = new RowReport(table, report.whole, rest);
    const records = chunk.map((a) => a.record);
    for (const record of records) rows.add(record, checked(table, record) ?? d?.value);
    const params = new Parameters();
    const numbered = numberedRecordset(table, rest, params.add(batchJson(table, rest, records)));
    const { rows: returned } = await runStatement<Row>(
      db,
      `insert into ${refText} (${columnList(table, rest)}) select ${selectText(table, rest, params)} from ${numbered.text} order by ${numbered.position}${rows.returning("", true)}`,
      params,
    );
    const pkSpec = table.columns.get(pk)!;
    const assigned = returned.map((row) => idOut(pkSpec, row[pk]));
    chunk.forEach((add, i) => {
      if (assigned[i] !== undefined) ids.set(add.id, assigned[i]!);
    });
    rows.finish(assigned, returned, report.out);
  }
}

/**
 * The columns a change writes: those its `changes` set, and those the record
 * lacks (a `put` over the record may have removed them). The others hold what
 * the database already holds. A change without `changes` writes every column.
 */
function changedColumns(
  columns: readonly WriteColumn[],
  change: ChangeChange,
): readonly WriteColumn[] {
  const set = change.changes;
  if (set === null || typeof set !== "object") return columns;
  const record = change.record;
  return columns.filter((c) => Object.hasOwn(set, c.name) || valueOf(record, c) == null);
}

async function updateRows(
  db: Kysely<any>,
  table: SqlTable,
  changes: readonly ChangeChange[],
  report: Report,
): Promise<void> {
  const { spec } = table;
  const pk = spec.primaryKey;
  const d = spec.discriminator;
  const pkColumn = writeColumn(table.columns.get(pk)!);
  const rest = spec.columns.map(writeColumn).filter((c) => c !== pkColumn);
  // Changes that write the same columns (and name their model or not) share a statement.
  const groups = new Map<
    string,
    { columns: readonly WriteColumn[]; typed: boolean; rows: Row[] }
  >();
  for (const change of changes) {
    const type = checked(table, change.record);
    const columns = changedColumns(rest, change);
    const key = `${type !== undefined}:${columns.map((c) => c.name).join("\u0000")}`;
    let group = groups.get(key);
    if (group === undefined)
      groups.set(key, (group = { columns, typed: type !== undefined, rows: [] }));
    group.rows.push(change.record);
  }
  for (const { columns, typed, rows: records } of groups.values()) {
    if (columns.length === 0 && !typed) continue;
    for (const chunk of chunks(records, BATCH)) {
      const rows = new RowReport(table, report.whole, columns);
      for (const record of chunk) rows.add(record, typed ? record[d!.column] : UNKNOWN);
      const written = [pkColumn, ...columns];
      const json = JSON.stringify(
        chunk.map((record) => {
          const row = batchRow(record, written);
          if (typed) row[d!.column] = record[d!.column];
          return row;
        }),
      );
      const params = new Parameters();
      const recordset = recordsetText(table, written, params.add(json));
      const sets = columns.map((c) => `${c.quoted} = v.${c.quoted}`);
      if (typed) sets.push(`${quoteId(d!.column)} = v.${quoteId(d!.column)}`);
      const { rows: returned } = await runStatement<Row>(
        db,
        `update ${table.refText} as t set ${sets.join(", ")} from ${recordset} where t.${pkColumn.quoted} = v.${pkColumn.quoted} and ${discriminatorText(spec, params, "t")}${rows.returning("t.", false)}`,
        params,
      );
      rows.finish(
        chunk.map((r) => r[pk]),
        returned,
        report.out,
      );
    }
  }
}

async function deleteRows(db: Kysely<any>, table: SqlTable, ids: readonly Id[]): Promise<void> {
  const pk = table.columns.get(table.spec.primaryKey)!;
  for (const chunk of chunks(ids, BATCH)) {
    const params = new Parameters();
    const list = `array(select jsonb_array_elements_text(${params.add(JSON.stringify(chunk))}::jsonb)::${checkedSqlType(pk)})`;
    await runStatement(
      db,
      `delete from ${table.refText} where ${quoteId(pk.name)} = any(${list}) and ${discriminatorText(table.spec, params)}`,
      params,
    );
  }
}
