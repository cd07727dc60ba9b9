/**
 * `cache(master, options)`: a read-through, write-through cache in front of a
 * slower store.
 *
 * - `get` answers from an LRU of records (with an optional TTL) and fills it
 *   from the master on a miss; concurrent misses on one id share one read.
 * - `put` / `add` / `delete` go to the master first, then update the cache
 *   with what was written; a failed master write leaves the cache as it was.
 * - `query` answers may be cached too (`queries: true`); any write through the
 *   wrapper, and any change the master reports through `on`, empties them.
 * - Records go in and come out as copies; cached values are frozen copies.
 * - The wrapper has exactly the master's methods, plus `stats()`, `clear()`
 *   and `close()` (which stops listening to the master).
 *
 * Writes made to the master behind the wrapper's back are seen only where the
 * master reports them through `on`; otherwise they show once an entry expires.
 *
 * @example
 * const people = cache(new SqlStore({ db, table }), { max: 10_000, ttl: 60_000 });
 * await people.get("p1"); // master
 * await people.get("p1"); // cache: people.stats().hits === 1
 */
import { PerstoreError } from "../../errors/index.js";
import { copyRecord } from "../../store/copy.js";
import type { Id, PutOptions, QueryInput, QueryOptions, Store } from "../../store/types.js";
import { toStore, type LegacyStore } from "../../store/adapt-store.js";
import { cacheSettings, type CacheOptions } from "./cache-options.js";
import { cacheTransaction } from "./cache-transaction.js";
import { listenToMaster } from "./master-events.js";
import { QueryCache } from "./query-cache.js";
import { queryKey } from "./query-key.js";
import { RecordCache, type WriteOutcome } from "./record-cache.js";

export type { CacheOptions } from "./cache-options.js";

/** What `stats()` reports. */
export interface CacheStats {
  /** `get` calls answered from the cache. */
  readonly hits: number;
  /** `get` calls that went to the master (or joined a read of the same id already under way). */
  readonly misses: number;
  /** Records (and cached absences) held. */
  readonly size: number;
  readonly queryHits: number;
  readonly queryMisses: number;
  /** Query answers held (0 when query caching is off). */
  readonly querySize: number;
}

/** A cached store: the master's contract methods, plus the cache's own. */
export type CachedStore<T extends object> = Store<T> & {
  /** Hit and miss counters and sizes. */
  stats(): CacheStats;
  /** Empties the cache (the master is untouched). */
  clear(): void;
  /** Stops listening to the master's change events. */
  close(): void;
};

const isId = (id: unknown): id is Id =>
  typeof id === "string" || (typeof id === "number" && Number.isFinite(id));

/** Wraps `master` in a read-through, write-through cache (see the module comment). */
export function cache<T extends object>(
  store: Store<T> | LegacyStore,
  options: CacheOptions = {},
): CachedStore<T> {
  const master = toStore<T>(store);
  const settings = cacheSettings(options);
  const records = new RecordCache<T>(settings.records);
  const queries = settings.queries === undefined ? undefined : new QueryCache(settings.queries);
  const idProperty = master.idProperty;
  const stopListening = listenToMaster(master, idProperty, records, queries);

  /** The id a write will land on, where the caller says it. */
  const predict = (object: T, options?: PutOptions): Id | undefined => {
    if (options?.id !== undefined) return isId(options.id) ? options.id : undefined;
    if (idProperty === undefined || object === null || typeof object !== "object") return undefined;
    const own = Object.hasOwn(object, idProperty)
      ? (object as Record<string, unknown>)[idProperty]
      : undefined;
    return isId(own) ? own : undefined;
  };

  /** Runs a master write with the bookkeeping around it (see RecordCache). */
  const write = async <R>(
    predicted: Id | undefined,
    run: () => unknown,
    after: (result: R) => readonly [Id, WriteOutcome<T>],
  ): Promise<R> => {
    if (predicted !== undefined) records.beginWrite(predicted);
    queries?.beginWrite();
    let result: R;
    try {
      result = (await run()) as R;
    } catch (error) {
      // A store's own failures leave it as it was; anything else may have written.
      const known = error instanceof PerstoreError;
      if (predicted !== undefined)
        records.endWrite(predicted, { kind: known ? "unchanged" : "invalidate" });
      queries?.endWrite(!known);
      throw error;
    }
    const [id, outcome] = after(result);
    if (predicted !== undefined && predicted !== id)
      records.endWrite(predicted, { kind: "invalidate" });
    records.endWrite(id, outcome);
    queries?.endWrite(true);
    return result;
  };

  /** What a successful put leaves in the cache. */
  const written = (object: T, id: Id): readonly [Id, WriteOutcome<T>] => {
    if (!settings.writeThrough || idProperty === undefined) return [id, { kind: "invalidate" }];
    const record = copyRecord(object) as Record<string, unknown>;
    record[idProperty] = id;
    return [id, { kind: "record", record: record as T }];
  };

  const wrapper: Record<string, unknown> = {
    idProperty,
    stats: (): CacheStats => ({
      hits: records.hits,
      misses: records.misses,
      size: records.size,
      queryHits: queries?.hits ?? 0,
      queryMisses: queries?.misses ?? 0,
      querySize: queries?.size ?? 0,
    }),
    clear: () => {
      records.clear();
      queries?.clear();
    },
    close: stopListening,
  };
  if (typeof master.get === "function")
    wrapper.get = (id: Id) =>
      isId(id) ? records.get(id, (key) => master.get!(key)) : master.get!(id);
  if (typeof master.put === "function")
    wrapper.put = (object: T, options?: PutOptions) =>
      write<Id>(
        predict(object, options),
        () => master.put!(object, options),
        (id) => written(object, id),
      );
  if (typeof master.add === "function")
    wrapper.add = (object: T, options?: Omit<PutOptions, "overwrite">) =>
      write<Id>(
        predict(object, options),
        () => master.add!(object, options),
        (id) => written(object, id),
      );
  if (typeof master.delete === "function")
    wrapper.delete = (id: Id) =>
      isId(id)
        ? write<boolean>(
            id,
            () => master.delete!(id),
            () => [id, { kind: "absent" }],
          )
        : master.delete!(id);
  if (typeof master.query === "function")
    wrapper.query = (query: QueryInput, options?: QueryOptions) => {
      const key = queries === undefined ? undefined : queryKey(query, options);
      return key === undefined
        ? master.query!(query, options)
        : queries!.run(key, () => master.query!(query, options));
    };
  if (typeof master.transaction === "function")
    wrapper.transaction = cacheTransaction(master, { records, queries, predict });
  if (typeof master.on === "function") wrapper.on = master.on.bind(master);
  return wrapper as unknown as CachedStore<T>;
}
