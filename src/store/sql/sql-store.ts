import { randomUUID } from "node:crypto";
import {
  sql,
  type Kysely,
  type QueryExecutorProvider,
  type QueryResult,
  type RawBuilder,
} from "kysely";
import { NotFoundError, StoreError } from "../../errors/index.js";
import type { Query, QuerySchema } from "../../query/ast.js";
import { parseQuery } from "../../query/parse-query.js";
import { copyRecord } from "../copy.js";
import { assertRecord, idTypeRule, invalidIdError, isId, type IdType } from "../record-id.js";
import { assertStorableQuery, assertStorableRecord, isStorableText } from "../storable-text.js";
import type {
  ChangeSet,
  ChannelResponse,
  FullTextInfo,
  Id,
  MaybePromise,
  PutOptions,
  QueryInput,
  QueryOptions,
  Results,
  Store,
  StoreEvent,
  StoreEventName,
  StoreListener,
} from "../types.js";
import { StoreEvents } from "../memory/store-events.js";
import { isoTimesTag } from "./iso-times-tag.js";
import { runQuery } from "./run-query.js";
import { explainQuery, type SqlExplanation } from "./explain-query.js";
import { applyChangeSet } from "./apply-change-set.js";
import { PREVIOUS, previousColumns, previousCte, previousKey, previousOf } from "./previous-row.js";
import { checkFullText } from "./full-text.js";
import {
  checkProperties,
  columnValue,
  discriminatorFilter,
  discriminatorOf,
  outsideModelsError,
  readColumns,
  rowToRecord,
  type DateTimeMode,
} from "./sql-rows.js";
import { storeErrorOf } from "./sql-error.js";
import { retryLostConnection, retryingDatabase } from "./retry-lost-connection.js";
import { categoryOf, checkedSqlType } from "./sql-values.js";
import { tableQuerySchema, type SqlColumnSpec, type SqlTableSpec } from "./table-spec.js";
import { INSERT_BATCH, insertRecords } from "./insert-records.js";
import { idOut } from "./batch-rows.js";
import {
  discriminatorText,
  Parameters,
  quoteId,
  runStatement,
  tableText,
  valueOf,
  valueText,
  writeColumn,
  type WriteColumn,
} from "./write-sql.js";

/** Options of `new SqlStore(...)`. */
export interface SqlStoreOptions {
  /** A Kysely instance (see `openDatabase`), or a transaction. */
  readonly db: Kysely<any>;
  /** The table (from the model's generated definition: `Definition.sql`). */
  readonly table: SqlTableSpec;
  /** The PostgreSQL schema holding the table (default: the search path). */
  readonly schema?: string;
  /** The query schema queries are checked against (default: the table's columns; nested paths below jsonb are open). */
  readonly querySchema?: QuerySchema;
  /**
   * How `date-time` columns come back: `"string"` (default: the normalised ISO
   * string, as JSON Schema's `format: date-time` declares) or `"Date"`.
   */
  readonly dates?: DateTimeMode;
}

/** What a store and the stores of its transactions share. */
interface Shared {
  readonly events: StoreEvents<any>;
  /** Listeners per event, so a write builds what an event carries only when someone listens. */
  readonly listening: Map<StoreEventName, number>;
}

/** Everything the query and change-set compilers need about the table. */
export interface SqlTable {
  readonly spec: SqlTableSpec;
  /** The columns queries may name (the discriminator is not one of them). */
  readonly columns: ReadonlyMap<string, SqlColumnSpec>;
  /** The columns a stored record is read with: every column, then the discriminator of an inherited model. */
  readonly readColumns: readonly SqlColumnSpec[];
  readonly ref: RawBuilder<unknown>;
  /** The same table as SQL text (`"schema"."table"`), for statements built as text (write-sql.ts). */
  readonly refText: string;
  readonly dates: DateTimeMode;
  readonly querySchema: QuerySchema;
}

/**
 * The SQL store: the store contract over one table, through Kysely, on
 * PostgreSQL (a server through `pg`) or embedded PGlite. Queries compile to one
 * SELECT each (see compile-query.ts) with the memory store's exact results;
 * writes are single statements (a failed one changes nothing); `transaction`
 * is a database transaction.
 *
 * @example
 * const store = new SqlStore<Person>({ db: openDatabase("memory:"), table: PersonDefinition.sql });
 * await store.put({ id: "p1", name: "Ada" });
 * await store.query("name=Ada&sort(-age)&limit(10)"); // select ... where "name" = $1::text ...
 */

export class SqlStore<T extends object = Record<string, unknown>> implements Store<T> {
  readonly idProperty: string;
  readonly #db: Kysely<any>;
  readonly #table: SqlTable;
  readonly #options: SqlStoreOptions;
  readonly #shared: Shared;
  /** Events of a running transaction, delivered once it commits. */
  readonly #pending: StoreEvent<T>[] | undefined;

  constructor(options: SqlStoreOptions, shared?: Shared, pending?: StoreEvent<T>[]) {
    const spec = options.table;
    const columns = new Map(spec.columns.map((c) => [c.name, c] as const));
    if (!columns.has(spec.primaryKey))
      throw new StoreError(
        "STORE_BAD_OPTION",
        `table ${spec.table} has no column for its primary key "${spec.primaryKey}"`,
      );
    // Type names are written into statements as SQL text: check each once, here.
    for (const column of spec.columns) checkedSqlType(column);
    if (spec.discriminator !== undefined && columns.has(spec.discriminator.column)) {
      throw new StoreError(
        "STORE_BAD_OPTION",
        `table ${spec.table}: a property may not be named "${spec.discriminator.column}", the discriminator column`,
      );
    }
    if (spec.fullText !== undefined) checkFullText(spec.fullText, spec.table, columns);
    this.idProperty = spec.primaryKey;
    this.#db = options.db;
    this.#options = options;
    this.#table = {
      spec,
      columns,
      readColumns: readColumns(spec),
      ref: options.schema === undefined ? sql.id(spec.table) : sql.id(options.schema, spec.table),
      refText: tableText(spec, options.schema),
      dates: options.dates ?? "string",
      querySchema: options.querySchema ?? tableQuerySchema(spec),
    };
    this.#shared = shared ?? {
      events: new StoreEvents(`SqlStore(${spec.table})`),
      listening: new Map(),
    };
    this.#pending = pending;
  }

  /** The table this store works over. */
  get table(): SqlTableSpec {
    return this.#table.spec;
  }

  /** The table's full-text index (schema keyword `fullText`), which answers `search(words)`; undefined without one. */
  get fullText(): FullTextInfo | undefined {
    const spec = this.#table.spec.fullText;
    return spec === undefined ? undefined : { fields: spec.fields, language: spec.language };
  }

  async get(id: Id): Promise<T | undefined> {
    const key = this.#normaliseId(id);
    if (key === undefined) return undefined;
    let row: Record<string, unknown> | undefined;
    try {
      const { rows } = await sql<
        Record<string, unknown>
      >`${isoTimesTag(this.#table.dates)}select ${this.#selectList()} from ${this.#table.ref} where ${this.#whereId(key)}`.execute(
        this.#retrying(),
      );
      row = rows[0];
    } catch (error) {
      throw storeErrorOf(error, this.#table.spec);
    }
    return row === undefined
      ? undefined
      : (rowToRecord(row, this.#table.readColumns, this.#table.dates) as T);
  }

  async put(object: T, options: PutOptions = {}): Promise<Id> {
    const { spec } = this.#table;
    const { record, type } = this.#prepared(object, options.id);
    try {
      if (options.overwrite === true) {
        const id = record[spec.primaryKey] as Id | undefined;
        const overwritten = id === undefined ? false : await this.#overwrite(id, record, type);
        if (overwritten === false)
          throw new NotFoundError(`${spec.table}: no record with id ${String(options.id ?? id)}`);
        this.#emit({
          type: "change",
          ids: [id!],
          records: [this.#outRecord(record)],
          ...previousField(overwritten.previous),
        });
        return id!;
      }
      const { id, inserted, previous } = await this.#insertOne(
        record,
        type,
        options.overwrite === false,
      );
      this.#emit({
        type: inserted ? "add" : "change",
        ids: [id],
        records: [this.#outRecord(record)],
        ...(inserted ? {} : previousField(previous)),
      });
      return id;
    } catch (error) {
      throw storeErrorOf(error, spec);
    }
  }

  /**
   * A checked copy of `object` with its id as the key column holds it (none
   * when the database's default assigns it), and the model it names.
   */
  #prepared(object: T, optionId?: Id): { record: Record<string, unknown>; type?: string } {
    const { spec, columns } = this.#table;
    assertRecord(object);
    const record = copyRecord(object) as Record<string, unknown>;
    checkProperties(record, columns, spec);
    // A record read through a base model's store names its sub-model: writing it back keeps that model.
    const type = discriminatorOf(record, spec);
    let id: Id | undefined = optionId ?? (record[spec.primaryKey] as Id | undefined) ?? undefined;
    if (id === undefined || id === null) id = this.#newId();
    if (id !== undefined) {
      // Text no store can keep is VALIDATION_FAILED at the id, as on every store.
      if (typeof id === "string") assertStorableRecord({ [spec.primaryKey]: id });
      const key = this.#normaliseId(id);
      if (key === undefined) throw this.#invalidId(id);
      record[spec.primaryKey] = key;
    } else delete record[spec.primaryKey];
    assertStorableRecord(record);
    return { record, type };
  }

  /**
   * UPDATE of every column of an existing row; false when there is none (of
   * this store's models). With `change` listeners it reads the row it replaces.
   */
  async #overwrite(
    id: Id,
    record: Record<string, unknown>,
    type?: string,
  ): Promise<false | { previous?: Record<string, unknown> }> {
    const { spec } = this.#table;
    const d = spec.discriminator;
    const params = new Parameters();
    const pk = this.#pkColumn();
    const sets = this.#writeColumns()
      .filter((c) => c !== pk)
      .map((c) => `${c.quoted} = ${valueText(c, valueOf(record, c), params)}`);
    if (type !== undefined) sets.push(`${quoteId(d!.column)} = ${params.add(type)}::text`);
    if (sets.length === 0) sets.push(`${pk.quoted} = ${pk.quoted}`);
    if (this.#listens("change")) {
      const { rows } = await this.#updateReadingPrevious(id, sets, params);
      if (rows.length === 0) return false;
      if (d !== undefined) record[d.column] = rows[0]![d.column];
      return { previous: previousOf(this.#table, rows[0]!) };
    }
    const result = await runStatement<{ type?: string }>(
      this.#retrying(),
      `update ${this.#table.refText} set ${sets.join(", ")} where ${this.#whereIdText(id, params)}${d === undefined ? "" : ` returning ${quoteId(d.column)} as type`}`,
      params,
    );
    if (d === undefined) return (result.numAffectedRows ?? 0n) > 0n && {};
    if (result.rows.length === 0) return false;
    record[d.column] = result.rows[0]!.type;
    return {};
  }

  /**
   * UPDATE of one row (`sets` over `params`) that RETURNs the row as now
   * stored (its read columns) and, aliased, as it was (see previous-row.ts).
   */
  #updateReadingPrevious(
    id: Id,
    sets: readonly string[],
    params: Parameters,
  ): Promise<QueryResult<Record<string, unknown>>> {
    const table = this.#table;
    const now = table.readColumns.map((c) => `t.${quoteId(c.name)}`).join(", ");
    return runStatement(
      this.#retrying(),
      `${previousCte(table, this.#whereIdText(id, params))}update ${table.refText} as t set ${sets.join(", ")} from ${PREVIOUS} where t.${this.#pkColumn().quoted} = ${previousKey(table)} returning ${now}, ${previousColumns(table)}`,
      params,
    );
  }

  /**
   * INSERT of one record; unless `addOnly`, over an existing row (keeping its
   * model). Sets the id the row got (and its model) on `record`.
   */
  async #insertOne(
    record: Record<string, unknown>,
    type: string | undefined,
    addOnly: boolean,
  ): Promise<{ id: Id; inserted: boolean; previous?: Record<string, unknown> }> {
    const { spec } = this.#table;
    const d = spec.discriminator;
    const pk = this.#pkColumn();
    const params = new Parameters();
    const written = this.#writeColumns().filter(
      (c) => c !== pk || record[spec.primaryKey] !== undefined,
    );
    const names = written.map((c) => c.quoted);
    const values = written.map((c) => valueText(c, valueOf(record, c), params));
    if (d !== undefined) {
      names.push(quoteId(d.column));
      values.push(`${params.add(type ?? d.value)}::text`);
    }
    let conflict = "";
    if (!addOnly) {
      const sets = written.filter((c) => c !== pk).map((c) => `${c.quoted} = excluded.${c.quoted}`);
      // Without a discriminator in the record, a replaced row keeps its model.
      if (type !== undefined) sets.push(`${quoteId(d!.column)} = excluded.${quoteId(d!.column)}`);
      // A key-only table still "updates" the key, so RETURNING reports the row.
      if (sets.length === 0) sets.push(`${pk.quoted} = excluded.${pk.quoted}`);
      const guard =
        d === undefined ? "" : ` where ${discriminatorText(spec, params, this.#table.refText)}`;
      conflict = ` on conflict (${pk.quoted}) do update set ${sets.join(", ")}${guard}`;
    }
    const insert = `insert into ${this.#table.refText} (${names.join(", ")}) values (${values.join(", ")})${conflict} returning ${pk.quoted} as id, (xmax = 0) as inserted${d === undefined ? "" : `, ${quoteId(d.column)} as type`}`;
    // A replaced row is a change: its listeners are told what it was (read in the same statement).
    const key = record[spec.primaryKey] as Id | undefined;
    const reading = !addOnly && key !== undefined && this.#listens("change");
    // The row is read (and locked) before the INSERT writes it: a row this statement changed is not read.
    const insertReading = `insert into ${this.#table.refText} (${names.join(", ")}) select ${values.join(", ")} where (select count(*) from ${PREVIOUS}) >= 0${conflict} returning ${pk.quoted} as id, (xmax = 0) as inserted${d === undefined ? "" : `, ${quoteId(d.column)} as type`}`;
    const { rows } = await runStatement<Record<string, unknown>>(
      this.#retrying(!addOnly),
      reading
        ? `${previousCte(this.#table, this.#whereIdText(key, params))}, "perstore written" as (${insertReading}) select "perstore written".*, ${previousColumns(this.#table)} from "perstore written" left join ${PREVIOUS} on true`
        : insert,
      params,
    );
    const row = rows[0];
    if (row === undefined) throw outsideModelsError(spec, record[spec.primaryKey]);
    const id = idOut(this.#table.columns.get(spec.primaryKey)!, row.id);
    record[spec.primaryKey] = id;
    if (d !== undefined) record[d.column] = row.type;
    const inserted = row.inserted as boolean;
    return {
      id,
      inserted,
      ...(reading && !inserted ? { previous: previousOf(this.#table, row) } : {}),
    };
  }

  /**
   * Adds many records at once, all or nothing: one INSERT per 5,000 records
   * carrying them as one json parameter (in one transaction when there are
   * more). An id that exists is STORE_CONFLICT, as for `add`. Ids come back
   * in the order of `records`; one `add` event names them all.
   *
   * @example
   * await people.insert([{ id: 1, name: "Ada" }, { id: 2, name: "Alan" }]); // [1, 2]
   */
  async insert(records: T | readonly T[]): Promise<Id[]> {
    const list: readonly T[] = Array.isArray(records) ? records : [records as T];
    const prepared = list.map((object) => this.#prepared(object));
    if (prepared.length === 0) return [];
    const run = (db: Kysely<any>) =>
      insertRecords(
        db,
        this.#table,
        prepared.map((p) => p.record),
      );
    // One statement is atomic by itself: a batch whose ids all come from the records, or all from the default.
    const pk = this.#table.spec.primaryKey;
    const assigned = prepared.filter((p) => p.record[pk] === undefined).length;
    const single =
      prepared.length <= INSERT_BATCH && (assigned === 0 || assigned === prepared.length);
    const ids = await this.#atomically(run, single);
    if (this.#listens("add")) {
      const d = this.#table.spec.discriminator;
      prepared.forEach(({ record, type }, i) => {
        record[pk] = ids[i];
        if (d !== undefined) record[d.column] = type ?? d.value;
      });
      this.#emit({
        type: "add",
        ids,
        records: prepared.map(({ record }) => this.#outRecord(record)),
      });
    }
    return ids;
  }

  /**
   * Sets some properties of an existing record and leaves the others as they
   * are: one UPDATE of just those columns. A property set to `undefined` or
   * `null` is removed. Unknown id: NotFoundError (STORE_NOT_FOUND). The id
   * property cannot change (STORE_ID_IMMUTABLE). The `change` event carries
   * the record as now stored (read back only when someone listens).
   *
   * @example
   * await people.patch(7, { age: 37 }); // update "person" set "age" = $1::integer where "id" = $2::bigint
   */
  async patch(id: Id, changes: Partial<T>): Promise<Id> {
    const { spec, columns } = this.#table;
    const key = this.#normaliseId(id);
    if (key === undefined) throw this.#invalidId(id);
    assertRecord(changes);
    const set = copyRecord(changes) as Record<string, unknown>;
    if (Object.hasOwn(set, spec.primaryKey)) {
      if (!Object.is(this.#normaliseId(set[spec.primaryKey] as Id), key))
        throw new StoreError(
          "STORE_ID_IMMUTABLE",
          `patch cannot change the id property ${JSON.stringify(spec.primaryKey)}`,
        );
      delete set[spec.primaryKey];
    }
    checkProperties(set, columns, spec);
    const type = discriminatorOf(set, spec);
    assertStorableRecord(set);
    const d = spec.discriminator;
    const params = new Parameters();
    const pk = this.#pkColumn();
    const sets = this.#writeColumns()
      .filter((c) => c !== pk && Object.hasOwn(set, c.name))
      .map((c) => `${c.quoted} = ${valueText(c, valueOf(set, c), params)}`);
    if (type !== undefined) sets.push(`${quoteId(d!.column)} = ${params.add(type)}::text`);
    if (sets.length === 0) sets.push(`${pk.quoted} = ${pk.quoted}`);
    const listens = this.#listens("change");
    let result: QueryResult<Record<string, unknown>>;
    try {
      result = listens
        ? await this.#updateReadingPrevious(key, sets, params)
        : await runStatement(
            this.#retrying(),
            `update ${this.#table.refText} set ${sets.join(", ")} where ${this.#whereIdText(key, params)}`,
            params,
          );
    } catch (error) {
      throw storeErrorOf(error, spec);
    }
    const found = listens ? result.rows.length > 0 : (result.numAffectedRows ?? 0n) > 0n;
    if (!found) throw new NotFoundError(`${spec.table}: no record with id ${String(id)}`);
    if (listens) {
      this.#emit({
        type: "change",
        ids: [key],
        records: [rowToRecord(result.rows[0]!, this.#table.readColumns, this.#table.dates) as T],
        ...previousField(previousOf(this.#table, result.rows[0]!)),
        changes: set,
      });
    }
    return key;
  }

  add(object: T, options: Omit<PutOptions, "overwrite"> = {}): Promise<Id> {
    return this.put(object, { ...options, overwrite: false });
  }

  async delete(id: Id): Promise<boolean> {
    const key = this.#normaliseId(id);
    if (key === undefined) return false;
    // With `remove` listeners the removed record is RETURNed: the event carries it.
    const listens = this.#listens("remove");
    let removed: Record<string, unknown> | undefined;
    let existed: boolean;
    try {
      const result = await sql<
        Record<string, unknown>
      >`delete from ${this.#table.ref} where ${this.#whereId(key)}${listens ? sql` returning ${this.#selectList()}` : sql``}`.execute(
        this.#retrying(),
      );
      existed = listens ? result.rows.length > 0 : (result.numAffectedRows ?? 0n) > 0n;
      if (listens && existed)
        removed = rowToRecord(result.rows[0]!, this.#table.readColumns, this.#table.dates);
    } catch (error) {
      throw storeErrorOf(error, this.#table.spec);
    }
    if (existed)
      this.#emit({ type: "remove", ids: [key], ...(removed ? { records: [removed as T] } : {}) });
    return existed;
  }

  /** Record queries give `Results<T>`; `count() sum() ... first() one()` give their value. */
  async query(input: QueryInput, options: QueryOptions = {}): Promise<Results<T> | unknown> {
    const query: Query = parseQuery(input, { schema: this.#table.querySchema });
    assertStorableQuery(query, options.parameters);
    try {
      return await runQuery(this.#retrying(), this.#table, query, options);
    } catch (error) {
      throw storeErrorOf(error, this.#table.spec);
    }
  }

  /** The statement a query runs and PostgreSQL's generic plan of it (placeholders, never values). */
  async explain(input: QueryInput, options: QueryOptions = {}): Promise<SqlExplanation> {
    const query: Query = parseQuery(input, { schema: this.#table.querySchema });
    assertStorableQuery(query, options.parameters);
    try {
      return await explainQuery(this.#db, this.#table, query, options);
    } catch (error) {
      throw storeErrorOf(error, this.#table.spec);
    }
  }

  /**
   * Runs `fn` in one database transaction; the store it gets works inside it.
   * Events are delivered after COMMIT. What `fn` throws is rethrown as it is
   * (after ROLLBACK); a failure of BEGIN, COMMIT or ROLLBACK themselves is a
   * PerstoreError (a lost connection: STORE_CONNECTION_LOST, see sql-error.ts).
   */
  async transaction<R>(fn: (store: this) => MaybePromise<R>): Promise<R> {
    if (this.#db.isTransaction) return await fn(this);
    const pending: StoreEvent<T>[] = [];
    let thrown: { error: unknown } | undefined;
    let started = false;
    let ran = false;
    let result: R;
    try {
      // A dead pooled connection fails at BEGIN, before `fn` runs: then another one is tried.
      result = await retryLostConnection(
        () =>
          this.#db.transaction().execute(async (trx) => {
            started = true;
            const inner = new SqlStore<T>(
              { ...this.#options, db: trx },
              this.#shared,
              pending,
            ) as this;
            try {
              const value = await fn(inner);
              ran = true;
              return value;
            } catch (error) {
              thrown = { error };
              throw error;
            }
          }),
        () => !started,
      );
    } catch (error) {
      if (thrown !== undefined && error === thrown.error) throw error;
      throw storeErrorOf(error, this.#table.spec, ran ? "commit" : "statement");
    }
    for (const event of pending) this.#deliver(event);
    return result;
  }

  /** A listener that throws never fails the write that raised the event (it is reported as a process warning). */
  on(event: StoreEventName, listener: StoreListener<T>): () => void {
    const off = this.#shared.events.on(event, listener);
    const listening = this.#shared.listening;
    listening.set(event, (listening.get(event) ?? 0) + 1);
    let on = true;
    return () => {
      if (on) listening.set(event, listening.get(event)! - 1);
      on = false;
      off();
    };
  }

  /**
   * Applies a memory store's change set in one transaction with batched
   * statements; the channel (`sqlChannel`) calls this. Ids the database
   * assigned are returned by temporary id.
   */
  async applyChangeSet(changeSet: ChangeSet<T>): Promise<ChannelResponse<T>> {
    assertStorableRecord(changeSet);
    const response = await this.#atomically((db) =>
      applyChangeSet(db, this.#table, changeSet as ChangeSet<any>),
    );
    return response as ChannelResponse<T>;
  }

  /**
   * Runs `run` in one database transaction (the running one, if any; none
   * when `single` says it is one statement, which is atomic by itself).
   * Errors become PerstoreErrors; a transaction whose body has not started is
   * tried again on another connection when the pool lent a dead one.
   */
  async #atomically<R>(run: (db: Kysely<any>) => Promise<R>, single = false): Promise<R> {
    let started = false;
    let ran = false;
    const body = async (db: Kysely<any>) => {
      started = true;
      const result = await run(db);
      ran = true;
      return result;
    };
    const inTransaction = this.#db.isTransaction || single;
    try {
      return inTransaction
        ? await body(this.#db)
        : await retryLostConnection(
            () => this.#db.transaction().execute(body),
            () => !started,
          );
    } catch (error) {
      throw storeErrorOf(error, this.#table.spec, ran && !inTransaction ? "commit" : "statement");
    }
  }

  #listens(event: StoreEventName): boolean {
    return (this.#shared.listening.get(event) ?? 0) > 0;
  }

  #pkColumn(): WriteColumn {
    return writeColumn(this.#table.columns.get(this.#table.spec.primaryKey)!);
  }

  #writeColumns(): readonly WriteColumn[] {
    return this.#table.spec.columns.map(writeColumn);
  }

  /** `"id" = $n::bigint` (and the model filter of an inherited model's table). */
  #whereIdText(id: Id, params: Parameters): string {
    const pk = this.#pkColumn();
    return `${pk.quoted} = ${valueText(pk, id, params)} and ${discriminatorText(this.#table.spec, params)}`;
  }

  /**
   * The database a single statement runs on. Outside a transaction a
   * statement that is safe to repeat (`repeatable`) is tried again on another
   * connection when the pool lent it a dead one (see retry-lost-connection.ts);
   * inside one, the transaction's connection is the only one.
   */
  #retrying(repeatable = true): QueryExecutorProvider {
    if (this.#db.isTransaction || !repeatable) return this.#db;
    return retryingDatabase(this.#db);
  }

  #selectList(): RawBuilder<unknown> {
    return sql.join(this.#table.readColumns.map((c) => sql.id(c.name)));
  }

  #whereId(id: Id): RawBuilder<unknown> {
    const { spec, columns } = this.#table;
    const pk = columns.get(spec.primaryKey)!;
    const byId = sql`${sql.id(spec.primaryKey)} = ${columnValue(pk, id)}`;
    return spec.discriminator === undefined ? byId : sql`${byId} and ${discriminatorFilter(spec)}`;
  }

  /**
   * The id as the primary key column holds it, or undefined when no record can
   * have it. Ids are typed by the column (see `IdType`) and never converted
   * between types: a text key takes strings only, an integer key safe
   * integers (or the decimal string of one beyond 2^53, as it gives those
   * back), a float key numbers; a uuid key takes the UUID form (any case).
   */
  #normaliseId(id: Id): Id | undefined {
    if (!isId(id)) return undefined;
    if (typeof id === "string" && !isStorableText(id)) return undefined;
    const category = categoryOf(this.#table.columns.get(this.#table.spec.primaryKey)!);
    if (category === "integer") {
      if (typeof id === "number") return Number.isSafeInteger(id) ? id : undefined;
      return /^-?\d+$/.test(id) && !Number.isSafeInteger(Number(id)) ? id : undefined;
    }
    if (category === "float") return typeof id === "number" ? id : undefined;
    if (typeof id !== "string") return undefined;
    if (category === "uuid")
      return /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(id) ? id.toLowerCase() : undefined;
    return id;
  }

  /** The type of this table's ids: decided by its primary key column. */
  get idType(): IdType {
    const category = categoryOf(this.#table.columns.get(this.#table.spec.primaryKey)!);
    return category === "integer" ? "integer" : category === "float" ? "number" : "string";
  }

  /** STORE_INVALID_ID, as every store says it, naming what this primary key column takes. */
  #invalidId(id: unknown): Error {
    const pk = this.#table.columns.get(this.#table.spec.primaryKey)!;
    if (!isId(id)) return invalidIdError(id, pk.name);
    if (categoryOf(pk) === "uuid" && typeof id === "string")
      return invalidIdError(id, pk.name, "must be a UUID");
    return invalidIdError(id, pk.name, idTypeRule(this.idType));
  }

  /** A new id made here, or undefined to let the database's default assign it (integer keys). */
  #newId(): Id | undefined {
    const pk = this.#table.columns.get(this.#table.spec.primaryKey)!;
    return categoryOf(pk) === "integer" ? undefined : randomUUID();
  }

  #outRecord(record: Record<string, unknown>): T {
    const out: Record<string, unknown> = {};
    for (const c of this.#table.readColumns) out[c.name] = record[c.name] ?? null;
    return out as T;
  }

  #emit(event: StoreEvent<T>): void {
    if (this.#pending !== undefined) this.#pending.push(event);
    else this.#deliver(event);
  }

  #deliver(event: StoreEvent<T>): void {
    // Each listener gets its own copies, so none can change what another (or the store) sees.
    const { type, ...rest } = event;
    this.#shared.events.emit(type, () => ({
      ...rest,
      ...(rest.records ? { records: rest.records.map((r) => copyRecord(r)) } : {}),
      ...(rest.previous ? { previous: rest.previous.map((r) => copyRecord(r)) } : {}),
      ...(rest.ids ? { ids: [...rest.ids] } : {}),
    }));
  }
}

/** `{ previous: [record] }` for a change event, when the record before is known. */
function previousField<T>(previous: Record<string, unknown> | undefined): { previous?: T[] } {
  return previous === undefined ? {} : { previous: [previous as T] };
}
