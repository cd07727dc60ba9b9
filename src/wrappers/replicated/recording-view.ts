/**
 * The store a transaction's function gets from `replicated`: the primary's
 * own transaction, noting each write it makes, so that once the transaction
 * commits its writes become one revision for the replicas.
 */
import { copyRecord } from "../../store/copy.js";
import type { Id, MaybePromise, PutOptions, Store } from "../../store/types.js";
import { putOp, type ReplicaOp } from "./revision.js";

/** `tx` with its methods; writes are appended to `ops` as they succeed. */
export function recordingView<T extends object>(
  tx: Store<T>,
  ops: ReplicaOp<T>[],
  idProperty: string | undefined,
): Store<T> {
  const view: Record<string, unknown> = { idProperty: tx.idProperty };
  if (typeof tx.get === "function") view.get = tx.get.bind(tx);
  if (typeof tx.query === "function") view.query = tx.query.bind(tx);
  if (typeof tx.on === "function") view.on = tx.on.bind(tx);
  for (const method of ["put", "add"] as const) {
    const fn = tx[method] as ((o: T, p?: PutOptions) => MaybePromise<Id>) | undefined;
    if (typeof fn === "function")
      view[method] = async (object: T, options?: PutOptions) => {
        const copy = copyRecord(object);
        const id = await fn.call(tx, object, options);
        ops.push(putOp(copy, id, idProperty));
        return id;
      };
  }
  if (typeof tx.delete === "function")
    view.delete = async (id: Id) => {
      const existed = await tx.delete!(id);
      if (existed) ops.push({ kind: "delete", id });
      return existed;
    };
  if (typeof tx.transaction === "function")
    view.transaction = <R>(fn: (store: Store<T>) => MaybePromise<R>) =>
      tx.transaction!((inner) => fn(recordingView(inner, ops, idProperty)));
  return view as Store<T>;
}
