/**
 * `storeChannel(store)`: any store as a channel, so one store can commit into
 * another (a memory store into a SQL store, or into another memory store).
 */
import { StoreError } from "../errors/index.js";
import { toStore, type LegacyStore } from "./adapt-store.js";
import type {
  Change,
  ChangeSet,
  Channel,
  ChannelResponse,
  CommitMode,
  Id,
  Store,
} from "./types.js";

/**
 * A channel that applies change sets to `store`: `add` -> `store.add`, `change`
 * -> `store.put` of the whole record, `remove` -> `store.delete`, `clear` and
 * `replace` -> deleting what should go (found with `store.query`) then putting
 * the rest. It runs inside `store.transaction` when the store has one, so a
 * failure leaves the store as it was. The response gives the ids the store
 * assigned and the records as stored (server-side values), or in `replace`
 * mode the whole data set. `read(options)` returns `store.query(options.query ?? "")`.
 * @example
 * const local = new MemoryStore({ channel: storeChannel(remote) });
 * local.insert(records); await local.commit({ mode: "condensed" });
 */
export function storeChannel<T extends object>(given: Store<T> | LegacyStore): Channel<T> {
  const store = toStore<T>(given);
  const idProperty = store.idProperty ?? "id";
  return {
    async write(changeSet: ChangeSet<T>, mode: CommitMode): Promise<ChannelResponse<T>> {
      // A store that applies a whole change set itself (the SQL store: one transaction, batched statements) does so.
      const batched = (
        store as { applyChangeSet?: (changeSet: ChangeSet<T>) => Promise<ChannelResponse<T>> }
      ).applyChangeSet;
      if (typeof batched === "function")
        return batched.call(store, changeSet.mode === mode ? changeSet : { ...changeSet, mode });
      const apply = (target: Store<T>) => applyChangeSet(target, changeSet, mode, idProperty);
      return store.transaction ? store.transaction(apply) : apply(store);
    },
    async read(options: Record<string, unknown> = {}): Promise<readonly T[]> {
      return allRecords(store, typeof options.query === "string" ? options.query : "");
    },
  };
}

async function applyChangeSet<T extends object>(
  store: Store<T>,
  changeSet: ChangeSet<T>,
  mode: CommitMode,
  idProperty: string,
): Promise<ChannelResponse<T>> {
  if (mode === "replace") {
    const records = changeSet.records ?? [];
    const keep = new Set<Id>(records.map((r) => (r as Record<string, unknown>)[idProperty] as Id));
    for (const id of await allIds(store, idProperty))
      if (!keep.has(id)) await need(store, "delete")(id);
    for (const record of records) await need(store, "put")(record);
    return { data: await allRecords(store) };
  }
  const ids = new Map<Id, Id>();
  const written = new Map<Id, true>();
  for (const change of changeSet.changes)
    await applyChange(store, change, idProperty, ids, written);
  const records: T[] = [];
  if (store.get) {
    for (const id of written.keys()) {
      const record = await store.get(id);
      if (record !== undefined) records.push(record);
    }
  }
  return { ids, records };
}

async function applyChange<T extends object>(
  store: Store<T>,
  change: Change<T>,
  idProperty: string,
  ids: Map<Id, Id>,
  written: Map<Id, true>,
): Promise<void> {
  switch (change.type) {
    case "add": {
      const id = await need(store, "add")(change.record, { id: change.id });
      if (id !== change.id) ids.set(change.id, id);
      written.set(id, true);
      break;
    }
    case "change":
      written.set(await need(store, "put")(change.record, { id: change.id }), true);
      break;
    case "remove":
      await need(store, "delete")(change.id);
      written.delete(change.id);
      break;
    case "clear":
      for (const id of await allIds(store, idProperty)) await need(store, "delete")(id);
      written.clear();
      break;
  }
}

/** The records `query` gives (every record for ""); STORE_CHANNEL_FAILED if it gives something else. */
async function allRecords<T extends object>(store: Store<T>, query = ""): Promise<T[]> {
  const found = await need(store, "query")(query);
  if (!Array.isArray(found))
    throw new StoreError("STORE_CHANNEL_FAILED", "the store's query did not return records");
  return found as T[];
}

async function allIds<T extends object>(store: Store<T>, idProperty: string): Promise<Id[]> {
  return (await allRecords(store)).map((r) => (r as Record<string, unknown>)[idProperty] as Id);
}

/** The store's method `name`, bound; a StoreError if the store does not support it. */
function need<T extends object, K extends "add" | "put" | "delete" | "query">(
  store: Store<T>,
  name: K,
): NonNullable<Store<T>[K]> {
  const method = store[name];
  if (typeof method !== "function") {
    throw new StoreError("STORE_UNSUPPORTED", `storeChannel: the target store has no ${name}()`);
  }
  return (method as (...args: unknown[]) => unknown).bind(store) as NonNullable<Store<T>[K]>;
}
