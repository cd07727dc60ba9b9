/**
 * What replicas receive: revisions. Every successful write through the
 * wrapper becomes one revision (a transaction's writes become one revision
 * together), numbered 1, 2, 3, ... in the order the primary applied them.
 * Each operation carries the whole record (or its deletion), so applying a
 * revision again leaves the same data: replays after a resync are safe.
 */
import type { Id, MaybePromise, Store } from "../../store/types.js";

/** One write, as a replica applies it. */
export type ReplicaOp<T> =
  | { readonly kind: "put"; readonly id: Id; readonly record: T }
  | { readonly kind: "delete"; readonly id: Id };

/** A numbered group of writes. */
export interface Revision<T> {
  readonly revision: number;
  readonly ops: readonly ReplicaOp<T>[];
}

/** The op for a record the primary stored under `id`; `copy` is the wrapper's own copy of what was written. */
export function putOp<T extends object>(
  copy: T,
  id: Id,
  idProperty: string | undefined,
): ReplicaOp<T> {
  if (idProperty !== undefined) (copy as Record<string, unknown>)[idProperty] = id;
  return { kind: "put", id, record: copy };
}

/** Applies one revision to a replica: in one transaction where the replica has them and it has several writes. */
export async function applyRevision<T extends object>(
  replica: Store<T>,
  revision: Revision<T>,
): Promise<void> {
  // The common case, one write: straight to the store (this runs for every replica on every write).
  if (revision.ops.length === 1) {
    await applyOp(replica, revision.ops[0]!);
    return;
  }
  const run = async (store: Store<T>) => {
    for (const op of revision.ops) await applyOp(store, op);
  };
  if (typeof replica.transaction === "function") await replica.transaction((tx) => run(tx));
  else await run(replica);
}

// The record is the wrapper's own copy, shared by the replicas: each store copies what it is given.
export function applyOp<T extends object>(
  store: Store<T>,
  op: ReplicaOp<T>,
): MaybePromise<unknown> {
  return op.kind === "put" ? store.put!(op.record, { id: op.id }) : store.delete!(op.id);
}
