/**
 * The memory store (JSORM db): records in memory with hash and ordered
 * indexes, a journal of every mutation with exact undo (`reject`), and
 * `commit` through a channel in `replace`, `update` or `condensed` mode.
 * Every method of the store contract answers synchronously.
 *
 * This class keeps the journal and the current state; the state changes
 * themselves live beside it (`bulk-writes`, `stored-entry` for undo,
 * `response-application` for commit answers, `index-planner` for queries).
 */
import { NotFoundError, PerstoreError, QueryError, StoreError } from "../../errors/index.js";
import type { FilterNode, Query } from "../../query/ast.js";
import { executeQuery, parseQuery } from "../../query/index.js";
import { indexTerms, type IndexPlan } from "../../query/plan/index.js";
import { buildChangeSet, type JournalEntry } from "../../transaction/index.js";
import { copyRecord } from "../copy.js";
import { assertRecord, type IdType } from "../record-id.js";
import { pageOptions } from "../page-options.js";
import { copyStoredRecord } from "../stored-copy.js";
import { assertStorableQuery, assertStorableRecord } from "../storable-text.js";
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
import { changeRecords, insertRecords, removeRecords } from "./bulk-writes.js";
import { CommitQueue } from "./commit-queue.js";
import { copyJournalEntry } from "./copy-journal-entry.js";
import { entryEvent } from "./entry-event.js";
import { sortKeys, type FindSort } from "./find-sort.js";
import { indexOrderedCandidates } from "./index-ordered-page.js";
import { IndexPlanner } from "./index-planner.js";
import { MemoryState, type IndexSpec } from "./memory-state.js";
import { buildState, checkIdProperty, checkIdType, prepareRecord } from "./prepare-record.js";
import { readLoadData, type LoadShape } from "./read-load-data.js";
import { ResponseApplication } from "./response-application.js";
import { StoreEvents } from "./store-events.js";
import { undoEntry, type StoredEntry } from "./stored-entry.js";

export type { IndexSpec } from "./memory-state.js";
export type { FindSort } from "./find-sort.js";

/** Options of `new MemoryStore(...)`. */
export interface MemoryStoreOptions<T> {
  /** The id property (default `"id"`); always indexed. */
  readonly idProperty?: string;
  /**
   * The type of every id (see `IdType`): a write under an id of another type
   * is STORE_INVALID_ID, as on an SQL store whose key has that type. Without
   * it an id keeps its JavaScript type (`0` and `"0"` are two records).
   */
  readonly idType?: IdType;
  /** Indexed fields: a name, or `{ fields, unique }` (several fields make a compound index). */
  readonly indexes?: readonly IndexSpec[];
  /** Where `commit` writes and `load()` reads. */
  readonly channel?: Channel<T>;
  /** Initial records (loaded, not journaled), in any form `load` accepts. */
  readonly data?: readonly T[] | string | object;
}

/** Options of `load`: `data` to load, or else options passed to the channel's `read`. */
export interface LoadOptions<T> {
  readonly data?: readonly T[] | string | object;
  /** For data without `meta` (JSORM's third form): the property holding the records, e.g. `{ rows: [...] }`. */
  readonly root?: string;
  /** For data without `meta`: the id property the records use. */
  readonly id?: string;
  readonly [option: string]: unknown;
}

/** What the planner did for a query (for tests and tuning). */
export interface QueryExplanation {
  readonly plan: IndexPlan;
  /** Records handed to the query engine. */
  readonly candidates: number;
  /** Records in the store (every one a candidate when nothing is indexed). */
  readonly records: number;
  /** The filter's top-level terms an index narrows by. */
  readonly indexed: readonly FilterNode[];
  /** The terms checked on each candidate only (the residual filter). */
  readonly residual: readonly FilterNode[];
}

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
  private readonly commits = new CommitQueue();
  /** Entries a commit is writing through the channel: `reject` cannot undo them. */
  private readonly writing = new Set<StoredEntry<T>>();
  /** Counts loads, so a commit can tell that a load replaced data and journal while it was in flight. */
  private generation = 0;
  private readonly events = new StoreEvents<T>("MemoryStore");
  private readonly channel: Channel<T> | undefined;
  private readonly planner = new IndexPlanner<T>();
  /** Numbers new records in the natural order. */
  private readonly seq = (): number => this.nextSeq++;

  constructor(options: MemoryStoreOptions<T> = {}) {
    const idProperty = options.idProperty ?? "id";
    checkIdProperty(idProperty);
    checkIdType(options.idType);
    this.state = new MemoryState<T>(idProperty, options.indexes ?? [], options.idType);
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
    return slot && copyStoredRecord(slot.record);
  }

  /**
   * Stores a copy of `object` and returns its id (the `id` option, then the id
   * property, else a new UUID). `overwrite: false` only creates, `true` only replaces.
   */
  put(object: T, options: PutOptions = {}): Id {
    const { id, record } = prepareRecord<T>(object, this.idProperty, options.id, this.state.idType);
    const exists = this.state.slots.has(id);
    if (!exists && options.overwrite === true)
      throw new NotFoundError(`no record with id ${String(id)} to overwrite`);
    if (exists && options.overwrite !== false) {
      const before = this.state.replace(id, record);
      this.record({ type: "change", changes: record, records: [{ id, before, after: record }] });
    } else {
      // With `overwrite: false` and the id taken, this is what throws STORE_CONFLICT.
      this.state.insert(id, record, this.seq());
      this.record({ type: "add", records: [{ id, record }] });
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
    return true;
  }

  /**
   * Runs a query (RQL string, JSON query or AST): indexes narrow the
   * candidates, then the query engine filters, sorts, pages and projects them.
   * Record queries give `Results<T>` (copies, with `totalCount`).
   */
  query(query: QueryInput, options: QueryOptions = {}): Results<T> | unknown {
    const parsed = parseQuery(query);
    const { start, end, maxCount } = pageOptions(options);
    assertStorableQuery(parsed, options.parameters);
    const candidates = this.planner.candidateRecords(this.state, parsed, options.parameters);
    // A sorted page through the sort key's index: only the records up to the page are sorted.
    const ordered = indexOrderedCandidates(this.state, parsed, candidates, {
      ...options,
      end,
      maxCount,
    });
    const result = executeQuery(ordered?.records ?? candidates, parsed, {
      parameters: options.parameters,
      idProperty: this.idProperty,
      start,
      end,
      maxCount,
      ...(ordered ? { matched: ordered.matched } : {}),
      copy: copyStoredRecord,
    });
    // A result operator's value (count(), min(tags), first(), ...) is not a page of records.
    if (parsed.result !== undefined || !Array.isArray(result)) return copyRecord(result);
    return result as Results<T>;
  }

  /** How a query would be answered: the index plan and the number of candidate records. */
  explain(query: QueryInput, options: Pick<QueryOptions, "parameters"> = {}): QueryExplanation {
    const parsed = parseQuery(query);
    const plan = this.planner.plan(this.state, parsed, options.parameters);
    const found = this.state.candidates(plan);
    const size = this.state.size;
    const terms = indexTerms(parsed.filter, this.state, options.parameters);
    return { plan, candidates: found ? found.records.length : size, records: size, ...terms };
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

  /**
   * Stops `listener` listening to `event` (JSORM's API, beside the function
   * `on` returns): removes its latest subscription; returns whether it had one.
   */
  off(event: StoreEventName, listener: StoreListener<T>): boolean {
    return this.events.off(event, listener);
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
    const added = insertRecords(this.state, list, this.seq);
    if (added.length > 0) this.record({ type: "add", records: added });
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
    assertStorableRecord(set);
    if (Object.hasOwn(set, this.idProperty)) {
      throw new StoreError(
        "STORE_ID_IMMUTABLE",
        `update cannot change the id property ${JSON.stringify(this.idProperty)}`,
      );
    }
    const changed = changeRecords(this.state, this.matching(where, options.parameters), set);
    if (changed.length > 0) this.record({ type: "change", changes: set, records: changed });
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
    const removed = removeRecords(this.state, slots);
    if (removed.length === 0) return 0;
    this.record({ type: "remove", records: removed }, { places: slots.map((slot) => slot.seq) });
    return removed.length;
  }

  /** Removes every record: one `clear` entry, undone by `reject` in O(1). Returns how many there were. */
  removeAll(): number {
    const previous = this.state;
    this.state = previous.emptyLike();
    this.record({ type: "clear", count: previous.size }, { previous });
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
   * @internal Replaces the data with `records` the caller just parsed and
   * gives away (no copies are made; prototype keys must already be gone), as
   * `load` does otherwise: the journal is cleared and `load` is reported.
   * `textChecked`: the caller ruled out text no store can keep (U+0000, lone
   * surrogates), so records are not walked for it. For the JSON-file store,
   * whose open is dominated by these copies and walks.
   */
  loadOwned(records: readonly object[], textChecked = false): number {
    this.state = buildState<T>(
      records,
      this.idProperty,
      this.state.specs,
      this.seq,
      this.state.idType,
      {
        owned: true,
        textChecked,
      },
    );
    this.entries = [];
    this.generation++;
    this.events.emit("load", () => ({ count: this.state.size }));
    return this.state.size;
  }

  /**
   * The stored records themselves, in natural order (a new array, the records
   * not copied): for a store that writes a snapshot of this one while writes
   * go on, since a write replaces a stored record and never changes it in
   * place. Callers must not modify them.
   */
  storedRecords(): readonly T[] {
    return this.state.allRecords().slice();
  }

  /**
   * Replaces the data with `options.data` (JSON text or a value: a bare array,
   * `{ meta: { id, root }, <root>: [...] }`, or, given `options.root` and/or
   * `options.id`, data without `meta`: `{ <root>: [...] }` or an array whose
   * records use `id`), or with what the channel's `read` returns when no data
   * is given. A load starts a new transaction: the journal
   * is cleared. With data the load happens before this returns.
   */
  async load(options: LoadOptions<T> = {}): Promise<number> {
    const { data, ...readOptions } = options;
    const shape = { root: options.root, id: options.id };
    if (data !== undefined) return this.loadData(data, true, shape);
    if (!this.channel?.read)
      throw new StoreError("STORE_NO_CHANNEL", "load() without data needs a channel that can read");
    return this.loadData(await this.channel.read(readOptions), true, shape);
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
    for (const stored of undone) this.state = undoEntry(this.state, stored);
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
    return this.commits.run(() => this.commitThrough(channel, mode));
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

  /** See ResponseApplication; data and journal are unchanged if it fails. */
  private applyResponse(
    response: ChannelResponse<T>,
    mode: CommitMode,
    later: readonly StoredEntry<T>[],
  ): StoredEntry<T>[] {
    const application = new ResponseApplication(this.state, this.seq);
    try {
      return application.apply(response, mode, later);
    } finally {
      // Also on failure: undoing a replayed `load` ends on a new, equivalent state object.
      this.state = application.state;
    }
  }

  /** Journals `entry` and tells the listeners of its type. */
  private record(
    entry: JournalEntry<T>,
    extra: { places?: readonly number[]; previous?: MemoryState<T> } = {},
  ): void {
    this.entries.push({ seq: this.nextEntrySeq++, entry, ...extra });
    this.events.emit(entry.type, () => entryEvent(entry));
  }

  private replaceAll(records: readonly T[]): Id[] {
    const previous = this.state;
    const state = this.buildState(records, this.idProperty);
    this.state = state;
    const added = state.ordered().map((slot) => ({ id: slot.id, record: slot.record }));
    this.record({ type: "load", count: previous.size, records: added }, { previous });
    return added.map((a) => a.id);
  }

  private loadData(data: unknown, emit: boolean, shape?: LoadShape): number {
    const { records, idProperty } = readLoadData(data, shape);
    if (idProperty !== undefined) checkIdProperty(idProperty);
    this.state = this.buildState(records, idProperty ?? this.idProperty);
    this.entries = [];
    this.generation++;
    if (emit) this.events.emit("load", () => ({ count: this.state.size }));
    return this.state.size;
  }

  /** A fresh state with the current indexes holding `records`; throws without touching the current one. */
  private buildState(records: readonly unknown[], idProperty: string): MemoryState<T> {
    return buildState<T>(records, idProperty, this.state.specs, this.seq, this.state.idType);
  }

  /** The slots a query's filter selects, narrowed by indexes, in natural order (a new array). */
  private matching(where: QueryInput | undefined, parameters: readonly unknown[] | undefined) {
    const parsed = parseQuery(where ?? "");
    assertStorableQuery(parsed, parameters);
    return this.planner.matchingSlots(this.state, parsed, parameters);
  }
}
