/**
 * The memory store (JSORM db): records in memory with hash and ordered
 * indexes, a journal of every mutation with exact undo (`reject`), and
 * `commit` through a channel in `replace`, `update` or `condensed` mode.
 * Every method of the store contract answers synchronously.
 */
import {
  ConflictError,
  NotFoundError,
  PerstoreError,
  QueryError,
  StoreError,
} from "../../errors/index.js";
import type { Query, SortKey } from "../../query/ast.js";
import { executeQuery, matches, parseQuery } from "../../query/index.js";
import { planFilter, type IndexPlan } from "../../query/plan/index.js";
import { buildChangeSet, responseIdPairs, type JournalEntry } from "../../transaction/index.js";
import { copyRecord, isPrototypeKey } from "../copy.js";
import type {
  Channel,
  ChannelResponse,
  CommitMode,
  Id,
  PutOptions,
  QueryInput,
  QueryOptions,
  Results,
  Store,
  StoreEventName,
  StoreListener,
} from "../types.js";
import { copyJournalEntry } from "./copy-journal-entry.js";
import { MemoryState, type IndexSpec, type Slot } from "./memory-state.js";
import { readLoadData } from "./read-load-data.js";
import { assertRecord, recordId } from "../record-id.js";
import { StoreEvents } from "./store-events.js";

export type { IndexSpec } from "./memory-state.js";

/** Options of `new MemoryStore(...)`. */
export interface MemoryStoreOptions<T> {
  /** The id property (default `"id"`); always indexed. */
  readonly idProperty?: string;
  /** Indexed fields: a name, or `{ fields, unique }` (several fields make a compound index). */
  readonly indexes?: readonly IndexSpec[];
  /** Where `commit` writes and `load()` reads. */
  readonly channel?: Channel<T>;
  /** Initial records (loaded, not journaled), in any form `load` accepts. */
  readonly data?: readonly T[] | string | object;
}

/** A sort for `find`: fields (`"name"`, `"-age"`, `{ field, descending }`) or a comparison function. */
export type FindSort<T> =
  | string
  | readonly (string | { readonly field: string; readonly descending?: boolean })[]
  | ((a: T, b: T) => number);

/** Options of `load`: `data` to load, or else options passed to the channel's `read`. */
export interface LoadOptions<T> {
  readonly data?: readonly T[] | string | object;
  readonly [option: string]: unknown;
}

/** What the planner did for a query (for tests and tuning). */
export interface QueryExplanation {
  readonly plan: IndexPlan;
  /** Records handed to the query engine. */
  readonly candidates: number;
}

/** An entry as the store keeps it: the public entry plus what exact undo needs. */
interface StoredEntry<T extends object> {
  readonly seq: number;
  readonly entry: JournalEntry<T>;
  /** `remove`: the removed records' places in the natural order. */
  readonly places?: readonly number[];
  /** `clear`/`load`: the whole state before, restored as is. */
  readonly previous?: MemoryState<T>;
}

type Undo = () => void;

/**
 * An in-memory store with indexes and a journal.
 * @example
 * const people = new MemoryStore<Person>({ indexes: ["country", { fields: ["email"], unique: true }] });
 * people.insert([{ id: 1, name: "Ann", country: "CA" }]);
 * people.update({ active: true }, "country=CA");
 * people.reject(); // undoes the update, then the insert
 */
export class MemoryStore<T extends object = Record<string, unknown>> implements Store<T> {
  private state: MemoryState<T>;
  private entries: StoredEntry<T>[] = [];
  private nextSeq = 0;
  private nextEntrySeq = 0;
  private commits: Promise<unknown> = Promise.resolve();
  private commitsInFlight = 0;
  /** Entries a commit is writing through the channel: `reject` cannot undo them. */
  private readonly writing = new Set<StoredEntry<T>>();
  /** Counts loads, so a commit can tell that a load replaced data and journal while it was in flight. */
  private generation = 0;
  private readonly events = new StoreEvents<T>("MemoryStore");
  private readonly channel: Channel<T> | undefined;
  /** Index plans of parameterless queries, per state and query object. */
  private readonly plans = new WeakMap<MemoryState<T>, WeakMap<Query, IndexPlan>>();

  constructor(options: MemoryStoreOptions<T> = {}) {
    const idProperty = options.idProperty ?? "id";
    checkIdProperty(idProperty);
    this.state = new MemoryState<T>(idProperty, options.indexes ?? []);
    this.channel = options.channel;
    if (options.data !== undefined) this.loadData(options.data, false);
  }

  /** The id property. */
  get idProperty(): string {
    return this.state.idProperty;
  }

  /** The number of records. */
  get size(): number {
    return this.state.size;
  }

  /** The entries since the last commit, oldest first (copies). */
  get journal(): readonly JournalEntry<T>[] {
    return Object.freeze(this.entries.map((stored) => copyJournalEntry(stored.entry)));
  }

  /* ---------- store contract ---------- */

  /** A copy of the record with this id, or `undefined`. */
  get(id: Id): T | undefined {
    const slot = this.state.slots.get(id);
    return slot && copyRecord(slot.record);
  }

  /**
   * Stores a copy of `object` and returns its id (the `id` option, then the id
   * property, else a new UUID). `overwrite: false` only creates, `true` only replaces.
   */
  put(object: T, options: PutOptions = {}): Id {
    assertRecord(object);
    const record = copyRecord(object) as Record<string, unknown>;
    const id = recordId(record, this.idProperty, options.id);
    record[this.idProperty] = id;
    const after = record as T;
    const existing = this.state.slots.get(id);
    if (existing && options.overwrite === false) {
      throw new ConflictError(`a record with id ${String(id)} already exists`, "STORE_CONFLICT", {
        details: { id },
      });
    }
    if (!existing && options.overwrite === true)
      throw new NotFoundError(`no record with id ${String(id)} to overwrite`);
    if (existing) {
      const before = this.state.replace(id, after);
      this.record({ type: "change", changes: after, records: [{ id, before, after }] });
      this.events.emit("change", () => ({
        ids: [id],
        records: [copyRecord(after)],
        changes: copyRecord(after) as Record<string, unknown>,
      }));
    } else {
      this.state.insert(id, after, this.nextSeq++);
      this.record({ type: "add", records: [{ id, record: after }] });
      this.events.emit("add", () => ({ ids: [id], records: [copyRecord(after)] }));
    }
    return id;
  }

  /** `put` that only creates: ConflictError if the id exists. */
  add(object: T, options: Omit<PutOptions, "overwrite"> = {}): Id {
    return this.put(object, { ...options, overwrite: false });
  }

  /** Removes the record with this id; returns whether there was one. */
  delete(id: Id): boolean {
    const slot = this.state.remove(id);
    if (!slot) return false;
    this.record({ type: "remove", records: [{ id, record: slot.record }] }, { places: [slot.seq] });
    this.events.emit("remove", () => ({ ids: [id], records: [copyRecord(slot.record)] }));
    return true;
  }

  /**
   * Runs a query (RQL string, JSON query or AST): indexes narrow the
   * candidates, then the query engine filters, sorts, pages and projects them.
   * Record queries give `Results<T>` (copies, with `totalCount`).
   */
  query(query: QueryInput, options: QueryOptions = {}): Results<T> | unknown {
    const parsed = parseQuery(query);
    const result = executeQuery(this.candidateRecords(parsed, options.parameters), parsed, {
      parameters: options.parameters,
      idProperty: this.idProperty,
      start: options.start,
      end: options.end,
    });
    if (!Array.isArray(result)) return copyRecord(result);
    const copies = new Array(result.length) as Results<T>;
    for (let i = 0; i < result.length; i++) copies[i] = copyRecord(result[i] as T);
    copies.totalCount = (result as Partial<Results<T>>).totalCount ?? result.length;
    return copies;
  }

  /** How a query would be answered: the index plan and the number of candidate records. */
  explain(query: QueryInput, options: Pick<QueryOptions, "parameters"> = {}): QueryExplanation {
    const parsed = parseQuery(query);
    const plan = this.plan(parsed, options.parameters);
    const found = this.state.candidates(plan);
    return { plan, candidates: found ? found.records.length : this.state.size };
  }

  /**
   * Runs `fn`; if it throws (or rejects), every journal entry made since `fn`
   * started is rejected and the error rethrown. The store does not isolate
   * callers: entries other code makes while an async `fn` awaits are undone too.
   */
  async transaction<R>(fn: (store: this) => R | Promise<R>): Promise<R> {
    const mark = this.nextEntrySeq;
    try {
      return await fn(this);
    } catch (error) {
      const count = this.entries.filter((stored) => stored.seq >= mark).length;
      if (count > 0) this.reject(count);
      throw error;
    }
  }

  /** Listens to `add change remove clear load commit reject`; returns the unsubscribe function. */
  on(event: StoreEventName, listener: StoreListener<T>): () => void {
    return this.events.on(event, listener);
  }

  /* ---------- JSORM API ---------- */

  /**
   * Adds records (one journal entry). With `append: false` the data set is
   * wiped and replaced instead (a `load` entry, undone by `reject` as a whole).
   * Returns the ids. Any conflict (duplicate id, unique index) changes nothing.
   */
  insert(records: T | readonly T[], options: { readonly append?: boolean } = {}): Id[] {
    const list: readonly T[] = Array.isArray(records) ? records : [records as T];
    if (options.append === false) return this.replaceAll(list);
    const added: { id: Id; record: T }[] = [];
    this.atomically((undo) => {
      for (const object of list) {
        const { id, record } = this.prepare(object);
        this.state.insert(id, record, this.nextSeq++);
        undo.push(() => this.state.remove(id));
        added.push({ id, record });
      }
    });
    if (added.length === 0) return [];
    this.record({ type: "add", records: added });
    this.events.emit("add", () => ({
      ids: added.map((a) => a.id),
      records: added.map((a) => copyRecord(a.record)),
    }));
    return added.map((a) => a.id);
  }

  /**
   * Sets `changes` on every record matching `where` (all records if omitted).
   * Only the filter part of `where` counts: its `sort`, `limit`, `select` and
   * result operators are ignored, so `update(c, "limit(1)")` changes every
   * record. One journal entry; returns how many records changed. The id
   * property cannot be changed (STORE_ID_IMMUTABLE).
   * @example store.update({ active: false }, "country=CA&age<18")
   */
  update(
    changes: Partial<T>,
    where?: QueryInput,
    options: Pick<QueryOptions, "parameters"> = {},
  ): number {
    assertRecord(changes);
    const set = copyRecord(changes) as Partial<T>;
    if (Object.hasOwn(set, this.idProperty)) {
      throw new StoreError(
        "STORE_ID_IMMUTABLE",
        `update cannot change the id property ${JSON.stringify(this.idProperty)}`,
      );
    }
    const slots = this.matching(where, options.parameters);
    const changed: { id: Id; before: T; after: T }[] = [];
    this.atomically((undo) => {
      for (const { record: before } of slots) {
        const id = (before as Record<string, unknown>)[this.idProperty] as Id;
        const after = { ...before, ...set } as T;
        this.state.replace(id, after);
        undo.push(() => this.state.replace(id, before));
        changed.push({ id, before, after });
      }
    });
    if (changed.length === 0) return 0;
    this.record({ type: "change", changes: set, records: changed });
    this.events.emit("change", () => ({
      ids: changed.map((c) => c.id),
      records: changed.map((c) => copyRecord(c.after)),
      changes: copyRecord(set) as Record<string, unknown>,
    }));
    return changed.length;
  }

  /**
   * Removes every record matching `where`; one journal entry; returns how many.
   * As for `update`, only the filter part of `where` counts (`sort`, `limit`
   * and the rest are ignored), and an empty query matches every record.
   * @example store.remove({ field: "active", compare: "equals", value: false })
   */
  remove(where: QueryInput, options: Pick<QueryOptions, "parameters"> = {}): number {
    const slots = this.matching(where, options.parameters);
    const removed: { id: Id; record: T }[] = [];
    for (const { record } of slots) {
      const id = (record as Record<string, unknown>)[this.idProperty] as Id;
      this.state.remove(id);
      removed.push({ id, record });
    }
    if (removed.length === 0) return 0;
    this.record({ type: "remove", records: removed }, { places: slots.map((slot) => slot.seq) });
    this.events.emit("remove", () => ({
      ids: removed.map((r) => r.id),
      records: removed.map((r) => copyRecord(r.record)),
    }));
    return removed.length;
  }

  /** Removes every record: one `clear` entry, undone by `reject` in O(1). Returns how many there were. */
  removeAll(): number {
    const previous = this.state;
    this.state = previous.emptyLike();
    this.record({ type: "clear", count: previous.size }, { previous });
    this.events.emit("clear", () => ({ count: previous.size }));
    return previous.size;
  }

  /**
   * Records matching `where` (all if omitted), as copies. `sort` orders them:
   * by fields (`"name"`, `["-age", "name"]`; ties by id) replacing the query's
   * own sort, or by a comparison function applied last.
   */
  find(where?: QueryInput, sort?: FindSort<T>): Results<T> {
    let query = parseQuery(where ?? "");
    if (sort !== undefined && typeof sort !== "function")
      query = { ...query, sort: sortKeys(sort) } satisfies Query;
    const result = this.query(query);
    if (!Array.isArray(result))
      throw new QueryError("QUERY_NOT_RECORDS", "find needs a query that returns records");
    const records = result as Results<T>;
    if (typeof sort === "function") records.sort(sort);
    return records;
  }

  /**
   * Replaces the data with `options.data` (JSON text or a value: a bare array or
   * `{ meta: { id, root }, <root>: [...] }`), or with what the channel's `read`
   * returns when no data is given. A load starts a new transaction: the journal
   * is cleared. With data the load happens before this returns.
   */
  async load(options: LoadOptions<T> = {}): Promise<number> {
    const { data, ...readOptions } = options;
    if (data !== undefined) return this.loadData(data, true);
    if (!this.channel?.read)
      throw new StoreError("STORE_NO_CHANNEL", "load() without data needs a channel that can read");
    return this.loadData(await this.channel.read(readOptions), true);
  }

  /**
   * Undoes the last `count` journal entries (all if omitted), newest first,
   * indexes included. Costs what those entries touched, not the data size.
   * Returns how many entries were undone.
   */
  reject(count?: number): number {
    const n = count === undefined ? this.entries.length : count;
    if (!Number.isInteger(n) || n < 0) {
      throw new StoreError(
        "STORE_BAD_ARGUMENT",
        `reject: count must be a non-negative integer, got ${String(count)}`,
      );
    }
    const from = Math.max(0, this.entries.length - n);
    if (this.entries.slice(from).some((stored) => this.writing.has(stored))) {
      throw new StoreError(
        "STORE_COMMIT_IN_FLIGHT",
        `reject(${String(count)}): it would undo entries a commit is writing through the channel; wait for the commit, or reject only the ${this.entries.length - this.writing.size} entries made since it started`,
      );
    }
    const undone = this.entries.splice(from).reverse();
    for (const stored of undone) this.undo(stored);
    this.events.emit("reject", () => ({ count: undone.length }));
    return undone.length;
  }

  /**
   * Writes the journal through the channel (`mode`: `update`, the default, sends
   * every entry; `condensed` one net change per record; `replace` the whole
   * data set), applies the channel's response (assigned ids, server values,
   * or the full data set) and clears the journal. If the channel fails, data
   * and journal are left as they were. Without a channel the journal is
   * simply cleared, before this returns.
   *
   * Entries made while the write is in flight stay in the journal for the
   * next commit; the response is applied beneath them (they are re-keyed to
   * assigned ids and replayed on server values or the replaced data), and
   * `reject` cannot undo entries that are being written (STORE_COMMIT_IN_FLIGHT).
   * Commits run one at a time.
   */
  commit(options: { readonly mode?: CommitMode } = {}): Promise<void> {
    const mode = options.mode ?? "update";
    if (mode !== "replace" && mode !== "update" && mode !== "condensed") {
      return Promise.reject(
        new StoreError("STORE_BAD_MODE", `unknown commit mode ${JSON.stringify(mode)}`),
      );
    }
    if (!this.channel) {
      const count = this.entries.length;
      this.entries = [];
      this.events.emit("commit", () => ({ count }));
      return Promise.resolve();
    }
    const channel = this.channel;
    // One commit at a time: one asked for while another is in flight writes what
    // that one leaves. A commit that starts at once takes the journal as it is now.
    const start = () => this.commitThrough(channel, mode);
    const run = this.commitsInFlight === 0 ? start() : this.commits.then(start);
    this.commitsInFlight++;
    this.commits = run.then(
      () => void this.commitsInFlight--,
      () => void this.commitsInFlight--,
    );
    return run;
  }

  /* ---------- internals ---------- */

  private async commitThrough(channel: Channel<T>, mode: CommitMode): Promise<void> {
    const committed = this.entries.slice();
    if (committed.length === 0 && mode !== "replace") {
      this.events.emit("commit", () => ({ count: 0 }));
      return;
    }
    const changeSet = buildChangeSet(
      committed.map((stored) => stored.entry),
      mode,
      () => this.state.allRecords().slice(),
    );
    const generation = this.generation;
    for (const stored of committed) this.writing.add(stored);
    let response: ChannelResponse<T> | void;
    try {
      response = await channel.write(changeSet, mode);
    } catch (error) {
      if (error instanceof PerstoreError) throw error;
      throw new StoreError(
        "STORE_CHANNEL_FAILED",
        `commit: the channel write failed: ${(error as Error)?.message ?? String(error)}`,
        { cause: error },
      );
    } finally {
      for (const stored of committed) this.writing.delete(stored);
    }
    // A load while the write was in flight replaced data and journal: they no longer hold what was committed.
    if (generation === this.generation) {
      const later = this.entries.slice(committed.length);
      this.entries = response ? this.applyResponse(response, mode, later) : later;
    }
    this.events.emit("commit", () => ({ count: committed.length }));
  }

  /**
   * Applies the channel's response (assigned ids, server values, or in
   * `replace` mode the full data set) to the data as it was committed, then
   * replays the entries made while the write was in flight on top of it
   * (re-keyed, with the fields they set winning over server values). Returns
   * those entries as replayed. All or nothing: on failure data and journal
   * are as they were, and the error is STORE_CHANNEL_RESPONSE.
   */
  private applyResponse(
    response: ChannelResponse<T>,
    mode: CommitMode,
    later: readonly StoredEntry<T>[],
  ): StoredEntry<T>[] {
    const undo: Undo[] = [];
    try {
      for (let i = later.length - 1; i >= 0; i--) this.undo(later[i]!);
      // Registered first, so it runs last: back to the state the later entries made.
      undo.push(() => {
        for (const stored of later) this.replay(stored, new Map(), []);
      });
      const ids = new Map<Id, Id>();
      if (mode === "replace" && response.data !== undefined) {
        const previous = this.state;
        this.state = this.buildState(response.data, this.idProperty);
        undo.push(() => (this.state = previous));
      } else {
        for (const [from, to] of responseIdPairs(response.ids)) this.rekey(from, to, ids, undo);
        for (const server of response.records ?? []) this.mergeServerValues(server, undo);
      }
      return later.map((stored) => this.replay(stored, ids, undo));
    } catch (error) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
      throw new StoreError(
        "STORE_CHANNEL_RESPONSE",
        `commit: the channel's response could not be applied: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Moves a record to the id the channel assigned, keeping its place in the natural order. */
  private rekey(from: Id, to: Id, ids: Map<Id, Id>, undo: Undo[]): void {
    let source = from;
    // Plain-object id maps have string keys: "7" stands for the numeric id 7 too.
    if (!this.state.slots.has(source) && typeof from === "string" && String(Number(from)) === from)
      source = Number(from);
    const slot = this.state.remove(source);
    if (!slot) return;
    undo.push(() => this.state.insert(source, slot.record, slot.seq));
    const record = { ...slot.record, [this.idProperty]: to } as T;
    this.state.insert(to, record, slot.seq);
    undo.push(() => this.state.remove(to));
    ids.set(source, to);
  }

  /** Merges a record the channel returned into the stored record with its id (if there is one). */
  private mergeServerValues(server: unknown, undo: Undo[]): void {
    assertRecord(server);
    const id = recordId(server, this.idProperty, undefined);
    const slot = this.state.slots.get(id);
    if (!slot) return;
    const before = slot.record;
    this.state.replace(id, { ...before, ...copyRecord(server) } as T);
    undo.push(() => this.state.replace(id, before));
  }

  /**
   * Applies a journal entry again on the current data, with ids renamed by
   * `ids`, and returns it as now stored (same sequence number, values as they
   * are now). A change re-applies only what it changed: the fields whose
   * value differs between `before` and `after`, and the removal of fields
   * `after` lacks. Records that are gone are skipped.
   */
  private replay(stored: StoredEntry<T>, ids: ReadonlyMap<Id, Id>, undo: Undo[]): StoredEntry<T> {
    const { entry, seq } = stored;
    const rename = (id: Id) => ids.get(id) ?? id;
    const withId = (record: T, id: Id) =>
      Object.is((record as Record<string, unknown>)[this.idProperty], id)
        ? record
        : ({ ...record, [this.idProperty]: id } as T);
    switch (entry.type) {
      case "add": {
        const records = entry.records.map(({ id, record }) => ({
          id: rename(id),
          record: withId(record, rename(id)),
        }));
        for (const { id, record } of records) {
          this.state.insert(id, record, this.nextSeq++);
          undo.push(() => this.state.remove(id));
        }
        return { seq, entry: { type: "add", records } };
      }
      case "change": {
        const records: { id: Id; before: T; after: T }[] = [];
        for (const change of entry.records) {
          const id = rename(change.id);
          const before = this.state.slots.get(id)?.record;
          if (before === undefined) continue;
          const after =
            before === change.before
              ? change.after
              : withId(rebaseChange(before, change.before, change.after), id);
          this.state.replace(id, after);
          undo.push(() => this.state.replace(id, before));
          records.push({ id, before, after });
        }
        return { seq, entry: { type: "change", changes: entry.changes, records } };
      }
      case "remove": {
        const records: { id: Id; record: T }[] = [];
        const places: number[] = [];
        for (const { id: original } of entry.records) {
          const id = rename(original);
          const slot = this.state.remove(id);
          if (!slot) continue;
          undo.push(() => this.state.insert(id, slot.record, slot.seq));
          records.push({ id, record: slot.record });
          places.push(slot.seq);
        }
        return { seq, entry: { type: "remove", records }, places };
      }
      case "clear":
      case "load": {
        const previous = this.state;
        this.state =
          entry.type === "clear"
            ? previous.emptyLike()
            : this.buildState(
                entry.records.map((r) => r.record),
                this.idProperty,
              );
        undo.push(() => (this.state = previous));
        return { seq, entry: { ...entry, count: previous.size }, previous };
      }
    }
  }

  private undo(stored: StoredEntry<T>): void {
    const { entry } = stored;
    switch (entry.type) {
      case "add":
        for (let i = entry.records.length - 1; i >= 0; i--) this.state.remove(entry.records[i]!.id);
        break;
      case "change":
        for (let i = entry.records.length - 1; i >= 0; i--)
          this.state.replace(entry.records[i]!.id, entry.records[i]!.before);
        break;
      case "remove":
        for (let i = entry.records.length - 1; i >= 0; i--) {
          this.state.insert(entry.records[i]!.id, entry.records[i]!.record, stored.places![i]!);
        }
        break;
      case "clear":
      case "load":
        this.state = stored.previous!;
        break;
    }
  }

  private record(
    entry: JournalEntry<T>,
    extra: { places?: readonly number[]; previous?: MemoryState<T> } = {},
  ): void {
    this.entries.push({ seq: this.nextEntrySeq++, entry, ...extra });
  }

  /** Runs `fn`; if it throws, runs the undo steps it registered (newest first) and rethrows. */
  private atomically(fn: (undo: Undo[]) => void): void {
    const undo: Undo[] = [];
    try {
      fn(undo);
    } catch (error) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
      throw error;
    }
  }

  /** A copy of `object` with its id resolved and set. */
  private prepare(object: unknown, idProperty = this.idProperty): { id: Id; record: T } {
    assertRecord(object);
    const record = copyRecord(object) as Record<string, unknown>;
    const id = recordId(record, idProperty, undefined);
    record[idProperty] = id;
    return { id, record: record as T };
  }

  /** A fresh state holding `records`; throws (ConflictError...) without touching the current one. */
  private buildState(records: readonly unknown[], idProperty: string): MemoryState<T> {
    const state = new MemoryState<T>(idProperty, this.state.specs);
    for (const object of records) {
      const { id, record } = this.prepare(object, idProperty);
      state.insert(id, record, this.nextSeq++);
    }
    return state;
  }

  private replaceAll(records: readonly T[]): Id[] {
    const previous = this.state;
    const state = this.buildState(records, this.idProperty);
    this.state = state;
    const added = state.ordered().map((slot) => ({ id: slot.id, record: slot.record }));
    this.record({ type: "load", count: previous.size, records: added }, { previous });
    this.events.emit("load", () => ({ count: added.length, ids: added.map((a) => a.id) }));
    return added.map((a) => a.id);
  }

  private loadData(data: unknown, emit: boolean): number {
    const { records, idProperty } = readLoadData(data);
    if (idProperty !== undefined) checkIdProperty(idProperty);
    this.state = this.buildState(records, idProperty ?? this.idProperty);
    this.entries = [];
    this.generation++;
    if (emit) this.events.emit("load", () => ({ count: this.state.size }));
    return this.state.size;
  }

  /** The slots a query's filter selects, narrowed by indexes, in natural order (a new array). */
  private matching(
    where: QueryInput | undefined,
    parameters: readonly unknown[] | undefined,
  ): Slot<T>[] {
    const query = parseQuery(where ?? "");
    const found = this.state.candidates(this.plan(query, parameters));
    if (!found)
      return this.state.ordered().filter((slot) => matches(query.filter, slot.record, parameters));
    const slots: Slot<T>[] = [];
    for (const record of found.records) {
      if (!matches(query.filter, record, parameters)) continue;
      slots.push(this.state.slots.get((record as Record<string, unknown>)[this.idProperty] as Id)!);
    }
    return slots;
  }

  /** Candidate records for a query, in natural order (the engine sorts sorted queries itself). */
  private candidateRecords(query: Query, parameters: readonly unknown[] | undefined): readonly T[] {
    // Either array may be the state's or an index bucket's own: executeQuery never changes its input.
    return this.state.candidates(this.plan(query, parameters))?.records ?? this.state.allRecords();
  }

  /**
   * The index plan of a query's filter. A query without parameters always
   * gets the same plan on the same indexes, so it is kept per (frozen) query
   * object and per state (a load may bring another id property).
   */
  private plan(query: Query, parameters: readonly unknown[] | undefined): IndexPlan {
    if (parameters !== undefined && parameters.length > 0)
      return planFilter(query.filter, this.state, parameters);
    let plans = this.plans.get(this.state);
    if (!plans) this.plans.set(this.state, (plans = new WeakMap()));
    let plan = plans.get(query);
    if (!plan) plans.set(query, (plan = planFilter(query.filter, this.state, parameters)));
    return plan;
  }
}

/** `current` with the change from `before` to `after` applied: changed fields set, dropped fields deleted. */
function rebaseChange<T extends object>(current: T, before: T, after: T): T {
  const out = { ...current } as Record<string, unknown>;
  const was = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  for (const key of Object.keys(was)) if (!Object.hasOwn(now, key)) delete out[key];
  for (const key of Object.keys(now))
    if (!Object.hasOwn(was, key) || !Object.is(was[key], now[key])) out[key] = now[key];
  return out as T;
}

function checkIdProperty(idProperty: string): void {
  if (typeof idProperty !== "string" || idProperty === "" || isPrototypeKey(idProperty)) {
    throw new StoreError("STORE_BAD_OPTION", `invalid id property ${JSON.stringify(idProperty)}`);
  }
}

function sortKeys(sort: Exclude<FindSort<unknown>, (a: unknown, b: unknown) => number>): SortKey[] {
  const list = typeof sort === "string" ? [sort] : sort;
  return list.map((key) => {
    if (typeof key !== "string")
      return { path: key.field.split("/"), descending: key.descending === true };
    const descending = key.startsWith("-");
    const field = key.startsWith("-") || key.startsWith("+") ? key.slice(1) : key;
    return { path: field.split("/"), descending };
  });
}
