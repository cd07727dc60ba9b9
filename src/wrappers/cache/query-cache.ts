/**
 * The query side of the cache: an LRU of frozen answers by query key. Any
 * write, through the wrapper or reported by the master, empties it; an answer
 * is kept only if no write began or ended while the master computed it.
 */
import { LRUCache } from "lru-cache";
import type { MaybePromise } from "../../store/types.js";
import { frozenResult, thawResult } from "./freeze-record.js";
import { lruOptions, type LruSettings } from "./record-cache.js";

/** lru-cache holds no `undefined` (e.g. `first()` of nothing). */
const UNDEFINED: object = Object.freeze({});

export class QueryCache {
  readonly #lru: LRUCache<string, {}>; // any value but undefined
  /** Bumped whenever a write begins or ends, so answers computed across one are dropped. */
  #epoch = 0;
  #writesInFlight = 0;
  hits = 0;
  misses = 0;

  constructor(settings: LruSettings) {
    this.#lru = new LRUCache(lruOptions(settings) as LRUCache.Options<string, {}, unknown>);
  }

  get size(): number {
    return this.#lru.size;
  }

  /** The answer for `key` (a fresh copy) from the cache, else from `load`. */
  async run(key: string, load: () => MaybePromise<unknown>): Promise<unknown> {
    const cached = this.#lru.get(key);
    if (cached !== undefined) {
      this.hits++;
      return cached === UNDEFINED ? undefined : thawResult(cached);
    }
    this.misses++;
    const epoch = this.#epoch;
    const value = await load();
    const frozen = value === undefined ? UNDEFINED : frozenResult(value);
    if (epoch === this.#epoch && this.#writesInFlight === 0) this.#lru.set(key, frozen as object);
    return value;
  }

  /** A write is about to reach the master: answers computed across it are not kept. */
  beginWrite(): void {
    this.#writesInFlight++;
    this.#epoch++;
  }

  /** A write finished; `changed` = it may have changed data (so every answer is dropped). */
  endWrite(changed: boolean): void {
    this.#writesInFlight--;
    if (changed) this.clear();
    else this.#epoch++;
  }

  /** Forget every answer, and drop those being computed. */
  clear(): void {
    this.#epoch++;
    this.#lru.clear();
  }
}
