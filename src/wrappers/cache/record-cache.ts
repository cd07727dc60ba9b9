/**
 * The record side of the cache: an LRU of frozen records by id (absence is
 * cached too), and the bookkeeping that keeps it from ever serving a value
 * older than an acknowledged write:
 * - a miss reads the master once for all concurrent callers of that id, and
 *   fills the cache only if no write to that id began or ended meanwhile;
 * - a write marks its id busy from before the master call until after it;
 *   when it ends alone it stores what it wrote, and when another write to the
 *   same id overlapped it (the master's order is unknown) it drops the entry.
 */
import { LRUCache } from "lru-cache";
import { copyRecord } from "../../store/copy.js";
import type { Id, MaybePromise } from "../../store/types.js";
import { deepFreeze } from "./freeze-record.js";

/** lru-cache holds no `undefined`: a cached "no such record". */
const ABSENT: object = Object.freeze({});

/** A master read in flight; `stale` once a write to its id began or ended after it started. */
interface Read<T> {
  stale: boolean;
  readonly promise: Promise<T | undefined>;
}

/** What a finished write leaves in the cache. */
export type WriteOutcome<T> =
  | { readonly kind: "record"; readonly record: T }
  | { readonly kind: "absent" }
  | { readonly kind: "invalidate" }
  | { readonly kind: "unchanged" };

export interface LruSettings {
  readonly max: number;
  readonly ttl?: number;
  readonly now?: () => number;
}

/** Options for lru-cache from the wrapper's settings (a custom clock is read on every check). */
export function lruOptions(settings: LruSettings): LRUCache.Options<never, never, unknown> {
  return {
    max: settings.max,
    ...(settings.ttl === undefined ? {} : { ttl: settings.ttl }),
    ...(settings.now === undefined ? {} : { perf: { now: settings.now }, ttlResolution: 0 }),
  };
}

export class RecordCache<T extends object> {
  readonly #lru: LRUCache<Id, object>;
  readonly #reads = new Map<Id, Read<T>>();
  readonly #writes = new Map<Id, { count: number; contended: boolean }>();
  hits = 0;
  misses = 0;

  constructor(settings: LruSettings) {
    this.#lru = new LRUCache<Id, object>(
      lruOptions(settings) as LRUCache.Options<Id, object, unknown>,
    );
  }

  get size(): number {
    return this.#lru.size;
  }

  /**
   * The record (a fresh copy) from the cache, at once; else, through a
   * promise, from `load` (which then fills the cache).
   */
  get(id: Id, load: (id: Id) => MaybePromise<T | undefined>): MaybePromise<T | undefined> {
    const cached = this.#lru.get(id);
    if (cached !== undefined) {
      this.hits++;
      return cached === ABSENT ? undefined : copyRecord(cached as T);
    }
    this.misses++;
    let read = this.#reads.get(id);
    if (read === undefined || read.stale) read = this.#startRead(id, load);
    return read.promise.then((value) => (value === undefined ? undefined : copyRecord(value)));
  }

  #startRead(id: Id, load: (id: Id) => MaybePromise<T | undefined>): Read<T> {
    const read: Read<T> = {
      stale: false,
      promise: Promise.resolve()
        .then(() => load(id))
        .then(
          (value) => {
            if (this.#reads.get(id) === read) this.#reads.delete(id);
            // Copy before freezing: a master that hands out its own objects must not get them frozen.
            const frozen = value === undefined ? ABSENT : deepFreeze(copyRecord(value));
            if (!read.stale && !this.#writes.has(id)) this.#lru.set(id, frozen);
            return frozen === ABSENT ? undefined : (frozen as T);
          },
          (error: unknown) => {
            if (this.#reads.get(id) === read) this.#reads.delete(id);
            throw error;
          },
        ),
    };
    this.#reads.set(id, read);
    return read;
  }

  /** A write to `id` is about to reach the master. */
  beginWrite(id: Id): void {
    this.#staleRead(id);
    const state = this.#writes.get(id);
    if (state === undefined) this.#writes.set(id, { count: 1, contended: false });
    else {
      state.count++;
      state.contended = true;
    }
  }

  /** A write to `id` finished (with or without `beginWrite`, for ids the master chose). */
  endWrite(id: Id, outcome: WriteOutcome<T>): void {
    this.#staleRead(id);
    const state = this.#writes.get(id);
    const alone = state === undefined || !state.contended;
    if (state !== undefined && --state.count === 0) this.#writes.delete(id);
    if (outcome.kind === "unchanged" && alone) return;
    if (!alone || outcome.kind === "invalidate" || outcome.kind === "unchanged")
      this.#lru.delete(id);
    else if (outcome.kind === "absent") this.#lru.set(id, ABSENT);
    else this.#lru.set(id, deepFreeze(copyRecord(outcome.record)));
  }

  /** Forget `id` (the master changed it behind the wrapper's back). */
  invalidate(id: Id): void {
    this.#staleRead(id);
    this.#lru.delete(id);
  }

  /** Forget everything. */
  clear(): void {
    for (const read of this.#reads.values()) read.stale = true;
    this.#reads.clear();
    this.#lru.clear();
  }

  #staleRead(id: Id): void {
    const read = this.#reads.get(id);
    if (read !== undefined) {
      read.stale = true;
      this.#reads.delete(id);
    }
  }
}
