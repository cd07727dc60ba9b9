/**
 * Reading the authoritative ids a channel response assigns to added records.
 * The response may give a Map (any id type) or a plain object (keys are
 * strings, so a numeric temporary id is looked up by its string form too).
 * Only own properties are read: `__proto__` is just a key.
 */
import type { ChannelResponse, Id } from "../store/types.js";

/** `[temporaryId, assignedId]` pairs of `response.ids` whose id actually changes. */
export function responseIdPairs(ids: ChannelResponse<unknown>["ids"]): Array<readonly [Id, Id]> {
  if (ids === undefined || ids === null) return [];
  const pairs: Array<readonly [Id, Id]> = [];
  if (ids instanceof Map) {
    for (const [from, to] of ids as ReadonlyMap<Id, Id>) if (from !== to) pairs.push([from, to]);
    return pairs;
  }
  for (const key of Object.keys(ids)) {
    const to = (ids as Readonly<Record<string, Id>>)[key];
    if (to !== undefined && to !== key) pairs.push([key, to]);
  }
  return pairs;
}
