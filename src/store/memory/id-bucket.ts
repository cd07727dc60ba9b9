/**
 * Hash index buckets. A bucket holds one id directly (the common case for
 * selective fields, and always for unique ones) and becomes a Set when a
 * second id arrives, so a million distinct values do not cost a million Sets.
 */
import type { Id } from "../types.js";

export type IdBucket = Id | Set<Id>;

/** Adds `id` under `key`; returns true when the key is new to the map. */
export function bucketAdd<K>(map: Map<K, IdBucket>, key: K, id: Id): boolean {
  const bucket = map.get(key);
  if (bucket === undefined) {
    map.set(key, id);
    return true;
  }
  if (bucket instanceof Set) bucket.add(id);
  else if (bucket !== id) map.set(key, new Set([bucket, id]));
  return false;
}

/** Removes `id` from `key`; returns true when the key has no ids left. */
export function bucketDelete<K>(map: Map<K, IdBucket>, key: K, id: Id): boolean {
  const bucket = map.get(key);
  if (bucket === undefined) return false;
  if (bucket instanceof Set) {
    bucket.delete(id);
    if (bucket.size === 1) map.set(key, bucket.values().next().value as Id);
    else if (bucket.size === 0) map.delete(key);
    return bucket.size === 0;
  }
  if (bucket !== id) return false;
  map.delete(key);
  return true;
}

/** Adds every id of `bucket` to `into`. */
export function bucketCollect(bucket: IdBucket | undefined, into: Set<Id>): void {
  if (bucket === undefined) return;
  if (bucket instanceof Set) for (const id of bucket) into.add(id);
  else into.add(bucket);
}

/** An id in `bucket` other than `id`, if there is one (unique index checks). */
export function bucketOther(bucket: IdBucket | undefined, id: Id): Id | undefined {
  if (bucket === undefined) return undefined;
  if (!(bucket instanceof Set)) return bucket === id ? undefined : bucket;
  for (const other of bucket) if (other !== id) return other;
  return undefined;
}
