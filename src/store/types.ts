/**
 * The store contract. A store is an object with any of these methods; a
 * missing method means the store does not support it, and a wrapper must keep
 * that true (a wrapper over a store without `query` has no `query`).
 *
 * Rules every store must keep:
 * - Records go in and come out as copies: no caller can change stored state
 *   by mutating an object it passed in or got back.
 * - Keys `__proto__`, `constructor` and `prototype` never reach a prototype.
 * - A failed write leaves the store exactly as it was.
 * - The same query gives the same records in the same order on every store.
 * - Text is kept exactly or refused, never altered: a string holding U+0000 or
 *   a lone UTF-16 surrogate (which PostgreSQL text cannot hold) is refused in
 *   a record (id, value or property name, at any depth) with VALIDATION_FAILED
 *   and in a query value or parameter with QUERY_BAD_VALUE; `get`/`delete`
 *   of such an id find nothing (see storable-text.ts).
 * - Ids are typed and never converted. A store that knows its id type (SQL:
 *   the primary key column; memory and JSON-file: the `idType` option) refuses
 *   a write under an id of another type with STORE_INVALID_ID, and `get` or
 *   `delete` with one find nothing: on a string-keyed store `0` is never `"0"`,
 *   on an integer-keyed one `"7"` is never `7`. A store with no id type keeps
 *   an id's JavaScript type: `0` and `"0"` are two records (see `IdType`).
 * - `query`'s `start` must be a finite number >= 0 and `end` a number >= 0
 *   (Infinity: no end), fractions rounded down; anything else is
 *   QUERY_BAD_VALUE (see page-options.ts).
 * - Every error a method throws or rejects with is a PerstoreError with a
 *   stable `code`; `retryable` says whether trying again may succeed (e.g.
 *   STORE_CONNECTION_LOST when an SQL connection dropped).
 *
 * Methods may answer synchronously or with a promise; callers always `await`.
 */
import type { JsonQuery, Query, Results } from "../query/ast.js";

/** A record's primary key: a string or a finite number. */
export type Id = string | number;
/** A value a store may give at once or through a promise; callers always `await` it. */
export type MaybePromise<T> = T | Promise<T>;

/** Options of `put` and `add`. */
export interface PutOptions {
  /** The id to store under; wins over the record's id property. */
  readonly id?: Id;
  /** `false`: create only (ConflictError if present); `true`: must exist (NotFoundError otherwise). */
  readonly overwrite?: boolean;
}

/** Paging and parameters of `query`. */
export interface QueryOptions {
  /** Page start (0-based), applied after the query's own `limit`. */
  readonly start?: number;
  /** Page end (exclusive). */
  readonly end?: number;
  /** Values for `$1`, `$2`, ... */
  readonly parameters?: readonly unknown[];
  /**
   * Count matches only up to this many: `totalCount` is `min(matches,
   * maxCount)`, as with `limit()`'s third argument. A caller that needs no
   * exact total (a server asked for `Prefer: count=none`) passes one past
   * its page, so a store need not count a large table for every page.
   * A store may ignore it and count them all.
   */
  readonly maxCount?: number;
}

/** Records matching a query, with the number that matched before paging (defined by the query layer). */
export type { Results } from "../query/ast.js";

/** The events a store reports through `on`. */
export type StoreEventName = "add" | "change" | "remove" | "clear" | "load" | "commit" | "reject";

/** What a listener receives; each listener gets its own copies. */
export interface StoreEvent<T = unknown> {
  readonly type: StoreEventName;
  /** Records concerned (copies), where the event has them. */
  readonly records?: readonly T[];
  /** Ids concerned, where the event has them. */
  readonly ids?: readonly Id[];
  /** For `change`: the fields that were set. */
  readonly changes?: Readonly<Record<string, unknown>>;
  /**
   * For `change`, where the store knows them: the records as they were before,
   * in the order of `records` (a server tells a facet's listeners of a change
   * only when something the facet shows changed).
   */
  readonly previous?: readonly T[];
  /** For `commit`/`reject`: the number of journal entries concerned. */
  readonly count?: number;
}

/** A listener passed to `on`; one that throws never fails the write that raised the event. */
export type StoreListener<T = unknown> = (event: StoreEvent<T>) => void;

/** A query in any of its forms: an RQL string, a JSON query object, or a parsed `Query`. */
export type QueryInput = Query | string | JsonQuery;

/** What a store that answers `search(words)` itself indexes (an SQL table with a full-text column). */
export interface FullTextInfo {
  /** The properties whose text is searched. */
  readonly fields: readonly string[];
  /** The text-search configuration: "simple" (no stemming, no stop words) or a language, e.g. "english". */
  readonly language: string;
}

/** The store contract (see the rules at the top of this file); every method is optional. */
export interface Store<T extends object = Record<string, unknown>> {
  readonly idProperty?: string;
  /** Present when the store answers `search(words)` itself; the `fullText` wrapper then delegates to it. */
  readonly fullText?: FullTextInfo;
  get?(id: Id): MaybePromise<T | undefined>;
  put?(object: T, options?: PutOptions): MaybePromise<Id>;
  add?(object: T, options?: Omit<PutOptions, "overwrite">): MaybePromise<Id>;
  delete?(id: Id): MaybePromise<boolean>;
  /** Record queries give `Results<T>`; `count() sum() ... first() one()` give their value. */
  query?(query: QueryInput, options?: QueryOptions): MaybePromise<Results<T> | unknown>;
  transaction?<R>(fn: (store: this) => MaybePromise<R>): Promise<R>;
  on?(event: StoreEventName, listener: StoreListener<T>): () => void;
}

/* ---------- journal and channels (JSORM db) ---------- */

/** How `commit` writes the journal to a channel: the whole data set, every entry, or the net change per record. */
export type CommitMode = "replace" | "update" | "condensed";

/** One net change, as a channel receives it. Values are copies captured when the change happened. */
export type Change<T = Record<string, unknown>> =
  | { readonly type: "add"; readonly id: Id; readonly record: T }
  | {
      readonly type: "change";
      readonly id: Id;
      readonly changes: Readonly<Partial<T>>;
      readonly record: T;
    }
  | { readonly type: "remove"; readonly id: Id }
  | { readonly type: "clear" };

/** What `commit` hands a channel. */
export interface ChangeSet<T = Record<string, unknown>> {
  readonly mode: CommitMode;
  /** `replace`: empty; `update`/`condensed`: the changes in order. */
  readonly changes: readonly Change<T>[];
  /** `replace` only: the whole data set. */
  readonly records?: readonly T[];
}

/** What a channel may answer a write with; the memory store applies it. */
export interface ChannelResponse<T = Record<string, unknown>> {
  /** Authoritative ids for added records: temporary id -> assigned id. */
  readonly ids?: ReadonlyMap<Id, Id> | Readonly<Record<string, Id>>;
  /** Server-side values to merge into records (`update`/`condensed`), by id. */
  readonly records?: readonly T[];
  /** `replace`: the full data set as the channel now has it. */
  readonly data?: readonly T[];
}

/** Where a journaled store commits to and loads from (`storeChannel(store)` makes one of any store). */
export interface Channel<T = Record<string, unknown>> {
  /** Applies a change set; a rejection leaves the committing store's journal intact. */
  write(changeSet: ChangeSet<T>, mode: CommitMode): Promise<ChannelResponse<T> | void>;
  /** The records (or their JSON text) `load()` without data reads. */
  read?(options?: Record<string, unknown>): Promise<readonly T[] | string>;
}
