/**
 * `aggregate(parts)`: vertical partitioning, as Perstore's Aggregate store.
 * Each part is a store holding some properties of every record (one part may
 * hold "the rest"); the aggregate joins them by id.
 */
import { StoreError } from "../../errors/index.js";
import { assertRecord, invalidIdError, isId } from "../../store/record-id.js";
import type {
  Id,
  MaybePromise,
  PutOptions,
  QueryInput,
  QueryOptions,
  Store,
  StoreEventName,
} from "../../store/types.js";
import { queryParts } from "./aggregate-query.js";
import { checkParts, joinRows, splitRecord, type AggregatePart, type Parts } from "./parts.js";
import { WriteEvents } from "./write-events.js";

/** Options of `aggregate`. */
export interface AggregateOptions {
  /**
   * Answer a query whose filter or sort spans parts by reading every part in
   * full and evaluating it over the joined records (default `true`); with
   * `false` such a query fails with AGGREGATE_QUERY_SPANS_PARTS.
   */
  readonly scan?: boolean;
}

type Row = Record<string, unknown>;
type Emit = (event: StoreEventName, record: Row, id: Id) => void;

/**
 * A store over `parts` joined by id. `get` joins the parts' rows; `put` and
 * `add` split the record (AGGREGATE_UNKNOWN_PROPERTY for a property no part
 * holds) and write every part under one id (generated once, by part 0);
 * `delete` removes the record from every part; `query` runs where the
 * queried properties live (see aggregate-query.ts). A write that fails on
 * one part is undone on the parts already written; if undoing fails too, the
 * error is AGGREGATE_PARTIAL_WRITE, naming the parts left changed. The
 * aggregate has a method only where every part has it, and needs `get` on
 * each (AGGREGATE_NEEDS_GET). Events (`on`) report the writes made through it.
 * @example
 * const people = aggregate([
 *   { store: new MemoryStore(), properties: ["name", "email"] },
 *   { store: new SqlStore({ db, table: profiles }), properties: "rest" },
 * ]);
 */
export function aggregate<T extends object = Record<string, unknown>>(
  parts: readonly AggregatePart[],
  options: AggregateOptions = {},
): Store<T> {
  const checked = checkParts(parts);
  checked.stores.forEach((store, i) => {
    if (typeof store.get !== "function")
      throw new StoreError(
        "AGGREGATE_NEEDS_GET",
        `aggregate: part ${i}'s store has no get(), which joining by id needs`,
      );
  });
  const events = new WriteEvents<T>("aggregate");
  return build<T>(
    checked,
    options.scan ?? true,
    (event, record, id) => events.emit(event, [record as T], [id]),
    events,
  );
}

function build<T extends object>(
  parts: Parts,
  scan: boolean,
  emit: Emit,
  events: WriteEvents<T>,
  journal?: Map<Id, readonly (Row | undefined)[]>,
): Store<T> {
  const { stores, idProperty } = parts;
  const every = (method: keyof Store) =>
    stores.every((store) => typeof store[method] === "function");
  const store: { -readonly [K in keyof Store<T>]: Store<T>[K] } = { idProperty };
  const rowsOf = (id: Id) =>
    Promise.all(stores.map((s) => s.get!(id) as MaybePromise<Row | undefined>));
  const locks = new Map<Id, Promise<unknown>>();
  /** Writes to one id run one after another, so an undo never races another write. */
  const exclusive = <R>(id: Id, fn: () => Promise<R>): Promise<R> => {
    const run = (locks.get(id) ?? Promise.resolve()).then(fn);
    const settled = run.catch(() => undefined);
    locks.set(id, settled);
    void settled.then(() => locks.get(id) === settled && locks.delete(id));
    return run;
  };

  store.get = async (id: Id) => joinRows(parts, await rowsOf(id)) as T | undefined;

  const write = async (object: T, options: PutOptions, method: "put" | "add"): Promise<Id> => {
    assertRecord(object);
    const rows = splitRecord(parts, object as Row, undefined);
    const given = options.id ?? (object as Row)[idProperty];
    if (given !== undefined && !isId(given)) throw invalidIdError(given, idProperty);
    const writePart = (i: number, id: Id | undefined) => {
      const row = id === undefined ? rows[i]! : { ...rows[i], [idProperty]: id };
      const opts = id === undefined ? {} : { id };
      return method === "add"
        ? (stores[i]!.add!(row, opts) as Promise<Id>)
        : (stores[i]!.put!(
            row,
            i === 0 ? { ...opts, overwrite: options.overwrite } : opts,
          ) as Promise<Id>);
    };
    const writeAll = async (id: Id, priors: readonly (Row | undefined)[], from: number) => {
      if (journal !== undefined && !journal.has(id)) journal.set(id, priors);
      for (let i = from; i < stores.length; i++) {
        try {
          await writePart(i, id);
        } catch (error) {
          await undo(parts, id, priors.slice(0, i), error);
          throw error;
        }
      }
      const existed = priors.some((p) => p !== undefined && p !== null);
      emit(
        existed ? "change" : "add",
        joinRows(
          parts,
          rows.map((r) => ({ ...r, [idProperty]: id })),
        )!,
        id,
      );
      return id;
    };
    if (given === undefined) {
      // Part 0 generates the id (an SQL identity column, a UUID ...); the other parts take it.
      const id = await writePart(0, undefined);
      return exclusive(id, () =>
        writeAll(
          id,
          stores.map(() => undefined),
          1,
        ),
      );
    }
    return exclusive(given as Id, async () => writeAll(given as Id, await rowsOf(given as Id), 0));
  };
  if (every("put"))
    store.put = (object: T, options: PutOptions = {}) => write(object, options, "put");
  if (every("add"))
    store.add = (object: T, options: Omit<PutOptions, "overwrite"> = {}) =>
      write(object, { ...options, overwrite: false }, "add");

  if (every("delete")) {
    store.delete = (id: Id) =>
      exclusive(id, async () => {
        const priors = await rowsOf(id);
        if (journal !== undefined && !journal.has(id)) journal.set(id, priors);
        for (let i = 0; i < stores.length; i++) {
          try {
            await stores[i]!.delete!(id);
          } catch (error) {
            await undo(parts, id, priors.slice(0, i), error, true);
            throw error;
          }
        }
        const existed = joinRows(parts, priors);
        if (existed !== undefined) emit("remove", existed, id);
        return existed !== undefined;
      });
  }
  if (every("query"))
    store.query = (query: QueryInput, options?: QueryOptions) =>
      queryParts(parts, scan, query, options);
  if (every("transaction")) {
    store.transaction = async <R>(fn: (tx: Store<T>) => MaybePromise<R>): Promise<R> => {
      // Not the parts' own transactions: two parts in one database (one PGlite connection) cannot nest
      // theirs. Each record's rows are kept as they were before its first write; a throw puts them back.
      const pending: Parameters<Emit>[] = [];
      const journal = new Map<Id, readonly (Row | undefined)[]>();
      const tx = build<T>(parts, scan, (...event) => pending.push(event), events, journal);
      let result: R;
      try {
        result = await fn(tx);
      } catch (error) {
        for (const [id, priors] of [...journal].reverse()) await undo(parts, id, priors, error);
        throw error;
      }
      for (const event of pending) emit(...event);
      return result;
    };
  }
  store.on = (event, listener) => events.on(event, listener);
  return store as Store<T>;
}

/**
 * Puts back each part's row as it was before a failed write (deleting rows
 * the write created); if that fails, AGGREGATE_PARTIAL_WRITE names the parts
 * left changed, with the write's error as cause.
 */
async function undo(
  parts: Parts,
  id: Id,
  priors: readonly (Row | undefined)[],
  cause: unknown,
  deleted = false,
): Promise<void> {
  const left: string[] = [];
  for (let i = priors.length - 1; i >= 0; i--) {
    const store = parts.stores[i]!;
    const prior = priors[i];
    try {
      if (prior !== undefined && prior !== null) await store.put!(prior, { id });
      else if (!deleted) await store.delete!(id);
    } catch {
      left.push(String(i));
    }
  }
  if (left.length > 0)
    throw new StoreError(
      "AGGREGATE_PARTIAL_WRITE",
      `aggregate: a write of ${JSON.stringify(id)} failed and could not be undone on part(s) ${left.join(", ")}, ` +
        "which now differ from the others",
      { cause },
    );
}
