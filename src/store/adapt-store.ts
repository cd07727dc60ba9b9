/**
 * `toStore`: the one door every store comes through on its way into perstore
 * (models, wrappers, `storeChannel`). It checks that what it got is a store,
 * and turns a store written to the original Perstore contract into one of
 * this contract; a store of this contract comes back as it is, so the door
 * costs nothing on the hot path.
 */
import { StoreError } from "../errors/index.js";
import { adaptLegacyStore, LEGACY_ONLY_METHODS, type LegacyStore } from "./legacy-store.js";
import type { Store } from "./types.js";

export type { LegacyStore } from "./legacy-store.js";

/** Options of `toStore`. */
export interface ToStoreOptions {
  /**
   * Treat the store as an original Perstore store. Default: detected, true
   * when it has `create`, `startTransaction`, `commitTransaction` or
   * `abortTransaction` and none of `add`, `transaction` (a legacy store with
   * none of those hooks must say so here).
   */
  readonly legacy?: boolean;
  /**
   * How a legacy `put` takes its id: `"argument"` (default), `put(object,
   * id)`; or `"directives"`, `put(object, { id, overwrite })`. Either way
   * the record also carries the id in its id property.
   */
  readonly putId?: "argument" | "directives";
}

const METHODS = ["get", "put", "add", "delete", "query", "transaction", "on"] as const;
/** Marks adapters, so adapting twice is a no-op. */
const adapted = new WeakSet<object>();

/** Whether `store` looks like an original Perstore store (see `ToStoreOptions.legacy`). */
export function isLegacyStore(store: object): boolean {
  const has = (name: string) => typeof (store as Record<string, unknown>)[name] === "function";
  return LEGACY_ONLY_METHODS.some(has) && !has("add") && !has("transaction");
}

/**
 * Any store as a store of this contract: checks its shape (an object whose
 * contract methods, where present, are functions, with a string
 * `idProperty` if any; else STORE_NOT_A_STORE) and adapts an original
 * Perstore store (`put(object, id)`, `create`, transaction hooks).
 * @example
 * const store = toStore(oldPerstoreStore); // put(object, id) -> put(object, { id })
 * await store.transaction(async (tx) => { await tx.put(record); }); // startTransaction ... commitTransaction
 */
export function toStore<T extends object = Record<string, unknown>>(
  store: Store<T> | LegacyStore,
  options: ToStoreOptions = {},
): Store<T> {
  if (store === null || typeof store !== "object")
    throw new StoreError(
      "STORE_NOT_A_STORE",
      `a store must be an object with store methods, not ${store === null ? "null" : typeof store}`,
    );
  if (adapted.has(store)) return store as Store<T>;
  const record = store as unknown as Record<string, unknown>;
  for (const name of [...METHODS, ...LEGACY_ONLY_METHODS]) {
    const value = record[name];
    if (value !== undefined && typeof value !== "function")
      throw new StoreError(
        "STORE_NOT_A_STORE",
        `a store's ${name} must be a function, not ${value === null ? "null" : typeof value}`,
      );
  }
  if (record.idProperty !== undefined && typeof record.idProperty !== "string")
    throw new StoreError("STORE_NOT_A_STORE", "a store's idProperty must be a string");
  if (!(options.legacy ?? isLegacyStore(store))) return store as Store<T>;
  const adapter = adaptLegacyStore<T>(store as LegacyStore, options.putId);
  adapted.add(adapter);
  return adapter;
}
