import { randomUUID } from "node:crypto";
import { sql, type Kysely, type QueryExecutorProvider, type RawBuilder } from "kysely";
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
import { runQuery } from "./run-query.js";
import { applyChangeSet } from "./apply-change-set.js";
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
}

/** Everything the query and change-set compilers need about the table. */
export interface SqlTable {
  readonly spec: SqlTableSpec;
  /** The columns queries may name (the discriminator is not one of them). */
  readonly columns: ReadonlyMap<string, SqlColumnSpec>;
  /** The columns a stored record is read with: every column, then the discriminator of an inherited model. */
  readonly readColumns: readonly SqlColumnSpec[];
  readonly ref: RawBuilder<unknown>;
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
      dates: options.dates ?? "string",
      querySchema: options.querySchema ?? tableQuerySchema(spec),
    };
    this.#shared = shared ?? { events: new StoreEvents(`SqlStore(${spec.table})`) };
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
      >`select ${this.#selectList()} from ${this.#table.ref} where ${this.#whereId(key)}`.execute(
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
    const { spec, columns } = this.#table;
    assertRecord(object);
    const record = copyRecord(object) as Record<string, unknown>;
    checkProperties(record, columns, spec);
    // A record read through a base model's store names its sub-model: writing it back keeps that model.
    const type = discriminatorOf(record, spec);
    let id: Id | undefined = options.id ?? (record[spec.primaryKey] as Id | undefined) ?? undefined;
    if (id === undefined || id === null) id = this.#newId();
    if (id !== undefined) {
      // Text no store can keep is VALIDATION_FAILED at the id, as on every store.
      if (typeof id === "string") assertStorableRecord({ [spec.primaryKey]: id });
      const key = this.#normaliseId(id);
      if (key === undefined) throw this.#invalidId(id);
      record[spec.primaryKey] = key;
    }
    assertStorableRecord(record);
    const pk = sql.id(spec.primaryKey);
    try {
      if (options.overwrite === true) {
        const sets = spec.columns
          .filter((c) => c.name !== spec.primaryKey)
          .map((c) => sql`${sql.id(c.name)} = ${columnValue(c, record[c.name])}`);
        if (type !== undefined)
          sets.push(sql`${sql.id(spec.discriminator!.column)} = ${type}::text`);
        const { rows } = await sql<{
          id: unknown;
          type?: string;
        }>`update ${this.#table.ref} set ${sql.join(sets)} where ${this.#whereId(record[spec.primaryKey] as Id)} returning ${pk} as id${this.#returnType()}`.execute(
          this.#retrying(),
        );
        if (rows.length === 0)
          throw new NotFoundError(`${spec.table}: no record with id ${String(id)}`);
        if (spec.discriminator !== undefined) record[spec.discriminator.column] = rows[0]!.type;
        this.#emit({
          type: "change",
          ids: [record[spec.primaryKey] as Id],
          records: [this.#outRecord(record)],
        });
        return record[spec.primaryKey] as Id;
      }
      const written = spec.columns.filter(
        (c) => c.name !== spec.primaryKey || record[spec.primaryKey] !== undefined,
      );
      const names = written.map((c) => sql.id(c.name));
      const values = written.map((c) => columnValue(c, record[c.name]));
      const discriminator = spec.discriminator;
      if (discriminator !== undefined) {
        names.push(sql.id(discriminator.column));
        values.push(sql`${type ?? discriminator.value}::text`);
      }
      let conflict = sql``;
      if (options.overwrite === undefined) {
        const sets = written
          .filter((c) => c.name !== spec.primaryKey)
          .map((c) => sql`${sql.id(c.name)} = excluded.${sql.id(c.name)}`);
        // Without a discriminator in the record, a replaced row keeps its model.
        if (type !== undefined)
          sets.push(
            sql`${sql.id(discriminator!.column)} = excluded.${sql.id(discriminator!.column)}`,
          );
        const guard =
          discriminator === undefined
            ? sql``
            : sql` where ${discriminatorFilter(spec, this.#table.ref)}`;
        // A key-only table still "updates" the key, so RETURNING reports the row.
        if (sets.length === 0) sets.push(sql`${pk} = excluded.${pk}`);
        conflict = sql` on conflict (${pk}) do update set ${sql.join(sets)}${guard}`;
      }
      const { rows } = await sql<{
        id: unknown;
        inserted: boolean;
        type?: string;
      }>`insert into ${this.#table.ref} (${sql.join(names)}) values (${sql.join(values)})${conflict} returning ${pk} as id, (xmax = 0) as inserted${this.#returnType()}`.execute(
        this.#retrying(options.overwrite === undefined),
      );
      const row = rows[0];
      if (row === undefined) throw outsideModelsError(spec, id);
      const newId = this.#idOut(row.id);
      record[spec.primaryKey] = newId;
      if (discriminator !== undefined) record[discriminator.column] = row.type;
      this.#emit({
        type: row.inserted ? "add" : "change",
        ids: [newId],
        records: [this.#outRecord(record)],
      });
      return newId;
    } catch (error) {
      throw storeErrorOf(error, spec);
    }
  }

  add(object: T, options: Omit<PutOptions, "overwrite"> = {}): Promise<Id> {
    return this.put(object, { ...options, overwrite: false });
  }

  async delete(id: Id): Promise<boolean> {
    const key = this.#normaliseId(id);
    if (key === undefined) return false;
    let existed: boolean;
    try {
      const result = await sql`delete from ${this.#table.ref} where ${this.#whereId(key)}`.execute(
        this.#retrying(),
      );
      existed = (result.numAffectedRows ?? 0n) > 0n;
    } catch (error) {
      throw storeErrorOf(error, this.#table.spec);
    }
    if (existed) this.#emit({ type: "remove", ids: [key] });
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
    return this.#shared.events.on(event, listener);
  }

  /**
   * Applies a memory store's change set in one transaction with batched
   * statements; the channel (`sqlChannel`) calls this. Ids the database
   * assigned are returned by temporary id.
   */
  async applyChangeSet(changeSet: ChangeSet<T>): Promise<ChannelResponse<T>> {
    assertStorableRecord(changeSet);
    let started = false;
    let ran = false;
    const run = async (db: Kysely<any>) => {
      started = true;
      const response = await applyChangeSet(db, this.#table, changeSet as ChangeSet<any>);
      ran = true;
      return response;
    };
    try {
      const response = this.#db.isTransaction
        ? await run(this.#db)
        : await retryLostConnection(
            () => this.#db.transaction().execute(run),
            () => !started,
          );
      return response as ChannelResponse<T>;
    } catch (error) {
      throw storeErrorOf(
        error,
        this.#table.spec,
        ran && !this.#db.isTransaction ? "commit" : "statement",
      );
    }
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

  /** `, perstore_type as type` for an inherited model's table: which model a written row now holds. */
  #returnType(): RawBuilder<unknown> {
    const d = this.#table.spec.discriminator;
    return d === undefined ? sql`` : sql`, ${sql.id(d.column)} as type`;
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

  #idOut(value: unknown): Id {
    const pk = this.#table.columns.get(this.#table.spec.primaryKey)!;
    const out = rowToRecord({ [pk.name]: value }, [pk], "string")[pk.name];
    return out as Id;
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
      ...(rest.ids ? { ids: [...rest.ids] } : {}),
    }));
  }
}
