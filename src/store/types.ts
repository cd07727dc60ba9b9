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
 *
 * Methods may answer synchronously or with a promise; callers always `await`.
 */
import type { JsonQuery, Query } from "../query/ast.js";

export type Id = string | number;
export type MaybePromise<T> = T | Promise<T>;

export interface PutOptions {
  /** The id to store under; wins over the record's id property. */
  readonly id?: Id;
  /** `false`: create only (ConflictError if present); `true`: must exist (NotFoundError otherwise). */
  readonly overwrite?: boolean;
}

export interface QueryOptions {
  /** Page start (0-based), applied after the query's own `limit`. */
  readonly start?: number;
  /** Page end (exclusive). */
  readonly end?: number;
  /** Values for `$1`, `$2`, ... */
  readonly parameters?: readonly unknown[];
}

/** Records matching a query, with the number that matched before paging. */
export type Results<T> = T[] & { totalCount: number };

export type StoreEventName = "add" | "change" | "remove" | "clear" | "load" | "commit" | "reject";

export interface StoreEvent<T = unknown> {
  readonly type: StoreEventName;
  /** Records concerned (copies), where the event has them. */
  readonly records?: readonly T[];
  /** Ids concerned, where the event has them. */
  readonly ids?: readonly Id[];
  /** For `change`: the fields that were set. */
  readonly changes?: Readonly<Record<string, unknown>>;
  /** For `commit`/`reject`: the number of journal entries concerned. */
  readonly count?: number;
}

export type StoreListener<T = unknown> = (event: StoreEvent<T>) => void;

export type QueryInput = Query | string | JsonQuery;

export interface Store<T extends object = Record<string, unknown>> {
  readonly idProperty?: string;
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

export interface ChangeSet<T = Record<string, unknown>> {
  readonly mode: CommitMode;
  /** `replace`: empty; `update`/`condensed`: the changes in order. */
  readonly changes: readonly Change<T>[];
  /** `replace` only: the whole data set. */
  readonly records?: readonly T[];
}

export interface ChannelResponse<T = Record<string, unknown>> {
  /** Authoritative ids for added records: temporary id -> assigned id. */
  readonly ids?: ReadonlyMap<Id, Id> | Readonly<Record<string, Id>>;
  /** Server-side values to merge into records (`update`/`condensed`), by id. */
  readonly records?: readonly T[];
  /** `replace`: the full data set as the channel now has it. */
  readonly data?: readonly T[];
}

export interface Channel<T = Record<string, unknown>> {
  write(changeSet: ChangeSet<T>, mode: CommitMode): Promise<ChannelResponse<T> | void>;
  read?(options?: Record<string, unknown>): Promise<readonly T[] | string>;
}
