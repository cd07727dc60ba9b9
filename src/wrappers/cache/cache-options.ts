/** `cache()`'s options, checked once at construction. */
import { StoreError } from "../../errors/index.js";
import { checkCount } from "../store-input.js";
import type { LruSettings } from "./record-cache.js";

/** Options of `cache(master, options)`. */
export interface CacheOptions {
  /** Most records kept (least recently used go first); default 1000. */
  readonly max?: number;
  /** Milliseconds a cached record or answer is served; default: until evicted or invalidated. */
  readonly ttl?: number;
  /**
   * Cache query answers too (off by default): `true` with the same `max` and
   * `ttl`, or their own. Any write through the wrapper, and any change the
   * master reports through `on`, empties the query cache.
   */
  readonly queries?: boolean | { readonly max?: number; readonly ttl?: number };
  /**
   * After a write, keep the record as written (default `true`); `false` drops
   * the entry instead, for a master that changes records as it stores them
   * (defaults, computed columns, dates kept as text), so the next `get`
   * reads the master's version.
   */
  readonly writeThrough?: boolean;
  /** The clock TTLs are measured on, in milliseconds (default `performance.now`); for tests. */
  readonly now?: () => number;
}

export interface CacheSettings {
  readonly records: LruSettings;
  readonly queries: LruSettings | undefined;
  readonly writeThrough: boolean;
}

const bad = (message: string) => new StoreError("CACHE_BAD_OPTION", `cache: ${message}`);

function ttlOf(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw bad(`option ${name} must be a positive number of milliseconds, got ${String(value)}`);
  return value;
}

/** Checked settings; CACHE_BAD_OPTION names the option that is wrong. */
export function cacheSettings(options: CacheOptions): CacheSettings {
  if (options === null || typeof options !== "object") throw bad("options must be an object");
  if (options.now !== undefined && typeof options.now !== "function")
    throw bad("option now must be a function returning milliseconds");
  if (options.writeThrough !== undefined && typeof options.writeThrough !== "boolean")
    throw bad("option writeThrough must be a boolean");
  const records: LruSettings = {
    max: checkCount(options.max, "cache", "max", "CACHE_BAD_OPTION") ?? 1000,
    ttl: ttlOf(options.ttl, "ttl"),
    now: options.now,
  };
  const q = options.queries;
  let queries: LruSettings | undefined;
  if (q === true) queries = records;
  else if (q !== undefined && q !== false) {
    if (q === null || typeof q !== "object")
      throw bad("option queries must be a boolean or { max?, ttl? }");
    queries = {
      max: checkCount(q.max, "cache", "queries.max", "CACHE_BAD_OPTION") ?? records.max,
      ttl: ttlOf(q.ttl, "queries.ttl") ?? records.ttl,
      now: options.now,
    };
  }
  return { records, queries, writeThrough: options.writeThrough ?? true };
}
