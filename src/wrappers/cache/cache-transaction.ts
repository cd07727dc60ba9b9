/**
 * `transaction` on a cached store: the function runs on the master's own
 * transaction (reads inside it bypass the cache, so they see the
 * transaction's writes); every id it writes stays busy in the cache until the
 * transaction ends, and is then dropped, whether it committed or not.
 */
import type { Id, MaybePromise, PutOptions, Store } from "../../store/types.js";
import type { QueryCache } from "./query-cache.js";
import type { RecordCache } from "./record-cache.js";

export interface TransactionParts<T extends object> {
  readonly records: RecordCache<T>;
  readonly queries: QueryCache | undefined;
  readonly predict: (object: T, options?: PutOptions) => Id | undefined;
}

/** The wrapper's `transaction` method over `master`. */
export function cacheTransaction<T extends object>(
  master: Store<T>,
  parts: TransactionParts<T>,
): <R>(fn: (store: Store<T>) => MaybePromise<R>) => Promise<R> {
  return async <R>(fn: (store: Store<T>) => MaybePromise<R>) => {
    const touched = new Set<Id>();
    parts.queries?.beginWrite();
    try {
      return await master.transaction!((tx) => fn(trackingView(tx, touched, parts)));
    } finally {
      for (const id of touched) parts.records.endWrite(id, { kind: "invalidate" });
      parts.queries?.endWrite(true);
    }
  };
}

/** `tx` with its methods, recording (and marking busy) each id a write touches. */
function trackingView<T extends object>(
  tx: Store<T>,
  touched: Set<Id>,
  parts: TransactionParts<T>,
): Store<T> {
  const touch = (id: Id | undefined) => {
    if (id === undefined || touched.has(id)) return;
    touched.add(id);
    parts.records.beginWrite(id);
  };
  const view: Record<string, unknown> = { idProperty: tx.idProperty };
  if (typeof tx.get === "function") view.get = tx.get.bind(tx);
  if (typeof tx.query === "function") view.query = tx.query.bind(tx);
  if (typeof tx.on === "function") view.on = tx.on.bind(tx);
  for (const method of ["put", "add"] as const) {
    const fn = tx[method];
    if (typeof fn === "function")
      view[method] = async (object: T, options?: PutOptions) => {
        touch(parts.predict(object, options));
        const id = await (fn as (o: T, p?: PutOptions) => MaybePromise<Id>).call(
          tx,
          object,
          options,
        );
        touch(id);
        return id;
      };
  }
  if (typeof tx.delete === "function")
    view.delete = (id: Id) => {
      if (typeof id === "string" || typeof id === "number") touch(id);
      return tx.delete!(id);
    };
  if (typeof tx.transaction === "function")
    view.transaction = <R>(fn: (store: Store<T>) => MaybePromise<R>) =>
      tx.transaction!((inner) => fn(trackingView(inner, touched, parts)));
  return view as Store<T>;
}
