/** The cache wrapper: read-through, write-through, LRU with TTL, optional query answers. */
export { cache, type CacheStats, type CachedStore } from "./cache.js";
export type { CacheOptions } from "./cache-options.js";
