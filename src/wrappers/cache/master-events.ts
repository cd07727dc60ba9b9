/**
 * Keeps the cache true to changes the master reports itself (`on`): writes
 * made to it directly, a reload, a rejected journal. Writes through the
 * wrapper are reported too; dropping their entries is harmless, as the
 * wrapper stores what it wrote once the master call returns.
 */
import type { Id, Store, StoreEvent, StoreEventName } from "../../store/types.js";
import type { QueryCache } from "./query-cache.js";
import type { RecordCache } from "./record-cache.js";

const EVENTS: readonly StoreEventName[] = [
  "add",
  "change",
  "remove",
  "clear",
  "load",
  "commit",
  "reject",
];

/** Subscribes the cache to the master's events; returns the function that stops it. */
export function listenToMaster<T extends object>(
  master: Store<T>,
  idProperty: string | undefined,
  records: RecordCache<T>,
  queries: QueryCache | undefined,
): () => void {
  if (typeof master.on !== "function") return () => undefined;
  const onEvent = (event: StoreEvent<T>) => {
    queries?.clear();
    const ids = changedIds(event, idProperty);
    if (ids === undefined) records.clear();
    else for (const id of ids) records.invalidate(id);
  };
  const offs = EVENTS.map((name) => master.on!(name, onEvent));
  return () => {
    for (const off of offs.splice(0)) off();
  };
}

/** The ids a per-record event concerns; undefined when the whole data set may have changed. */
function changedIds<T>(event: StoreEvent<T>, idProperty: string | undefined): Id[] | undefined {
  if (event.type !== "add" && event.type !== "change" && event.type !== "remove") return undefined;
  const ids: Id[] = [...(event.ids ?? [])];
  for (const record of event.records ?? []) {
    const id =
      idProperty === undefined ? undefined : (record as Record<string, unknown>)[idProperty];
    if (typeof id !== "string" && typeof id !== "number") return undefined;
    ids.push(id);
  }
  return ids.length === 0 ? undefined : ids;
}
