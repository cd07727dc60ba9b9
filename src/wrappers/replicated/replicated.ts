/**
 * `replicated(primary, replicas, options)`: writes go to the primary, then to
 * every replica, as numbered revisions.
 *
 * - Writes are serialised through the primary, so revision numbers follow
 *   the order it applied them; each write resolves once the primary has it
 *   and every replica that is up has applied it.
 * - A replica that fails does not fail the write: its missing revisions are
 *   kept (up to `maxBacklog`, then it is marked for a full resync) and
 *   applied in order, each once, when it answers again (on a later write
 *   after `retryDelay`, or on `sync()`).
 * - A replica that lost its data (restarted empty) is found by `sync()`,
 *   which compares record counts with the primary, and copied whole from the
 *   primary (which needs `query`); `resync(index)` forces that.
 * - Reads go to the primary; with `readFallback`, to a current replica when
 *   the primary fails.
 * - The wrapper has exactly the primary's methods, plus `revision`,
 *   `status()`, `sync()` and `resync()`. Replicas need `put` and `delete`.
 *
 * A write inside `transaction(fn)` must go through the store `fn` receives:
 * the wrapper's own methods wait for the transaction to end.
 *
 * @example
 * const people = replicated(primary, [backup, new JsonFileStore({ path: "people.json" })]);
 * await people.put({ id: "p1", name: "Ada" });
 * await people.sync(); // every replica has revision 1
 */
import { QueryError } from "../../errors/index.js";
import { copyRecord } from "../../store/copy.js";
import type {
  Id,
  MaybePromise,
  PutOptions,
  QueryInput,
  QueryOptions,
  Store,
} from "../../store/types.js";
import { toStore, type LegacyStore } from "../../store/adapt-store.js";
import { recordingView } from "./recording-view.js";
import { Replica, type ReplicaStatus } from "./replica.js";
import { checkReplicas, replicatedSettings, type ReplicatedOptions } from "./replicated-options.js";
import { syncReplicas } from "./sync-replicas.js";
import { putOp, type ReplicaOp } from "./revision.js";
import { WriteLock } from "./write-lock.js";

/** A replicated store: the primary's contract methods, plus replication's own. */
export type ReplicatedStore<T extends object> = Store<T> & {
  /** The last revision written (0 before the first write). */
  readonly revision: number;
  /** Where each replica stands. */
  status(): ReplicaStatus[];
  /**
   * Brings every replica up to the revision current when called: applies what
   * it is missing, resynchronises replicas whose record count differs from
   * the primary's, and rejects with REPLICA_UNAVAILABLE (retryable) naming
   * those it could not bring up.
   */
  sync(): Promise<void>;
  /** Copies the primary whole to replica `index` (every replica when omitted), then syncs. */
  resync(index?: number): Promise<void>;
};

/** Replicates writes on `primary` to `replicas` (see the module comment). */
export function replicated<T extends object>(
  primaryStore: Store<T> | LegacyStore,
  replicas: readonly (Store<T> | LegacyStore)[],
  options: ReplicatedOptions = {},
): ReplicatedStore<T> {
  const primary = toStore<T>(primaryStore);
  const settings = replicatedSettings(options);
  const replicaList = checkReplicas(replicas);
  const states = replicaList.map((store, index) => new Replica(store, index, settings));
  const lock = new WriteLock();
  const idProperty = primary.idProperty;
  let revision = 0;
  const currentRevision = () => revision;

  /** Every replica's catch-up; undefined when all finished at once (synchronous replicas). */
  const catchUpAll = (force: boolean): Promise<unknown> | undefined => {
    let pending: Promise<void>[] | undefined;
    for (const s of states) {
      const running = s.catchUp(primary, currentRevision, force);
      if (running !== undefined) (pending ??= []).push(running);
    }
    return pending === undefined ? undefined : Promise.all(pending);
  };

  /** One write through the primary (under the lock), then to the replicas. */
  const write = async <R>(
    run: () => MaybePromise<R>,
    ops: (result: R) => readonly ReplicaOp<T>[],
  ): Promise<R> => {
    const result = await lock.run(async () => {
      const value = await run();
      const done = ops(value);
      if (done.length > 0) {
        const next = { revision: ++revision, ops: done };
        for (const s of states) s.enqueue(next);
      }
      return value;
    });
    const replicating = catchUpAll(false);
    if (replicating !== undefined) await replicating;
    return result;
  };

  /** A primary read; with readFallback, a current replica answers when the primary fails. */
  const read =
    <A extends unknown[]>(method: "get" | "query") =>
    async (...args: A): Promise<unknown> => {
      const call = (store: Store<T>) =>
        (store[method] as unknown as (...a: A) => unknown).apply(store, args);
      try {
        return await call(primary);
      } catch (error) {
        if (!settings.readFallback || error instanceof QueryError) throw error;
        for (const s of states)
          if (s.isCurrent(revision) && typeof s.store[method] === "function")
            try {
              return await call(s.store);
            } catch {
              // Try the next replica; the primary's error is the one reported.
            }
        throw error;
      }
    };

  const sync = () =>
    syncReplicas({ primary, replicas: states, lock, revision: currentRevision, catchUpAll });

  const wrapper: Record<string, unknown> = {
    idProperty,
    status: () => states.map((s) => s.status),
    sync,
    resync: async (index?: number) => {
      for (const s of states) if (index === undefined || s.index === index) s.markResync();
      await sync();
    },
  };
  Object.defineProperty(wrapper, "revision", { get: currentRevision, enumerable: true });
  if (typeof primary.get === "function") wrapper.get = read<[Id]>("get");
  if (typeof primary.query === "function")
    wrapper.query = read<[QueryInput, QueryOptions?]>("query");
  for (const method of ["put", "add"] as const)
    if (typeof primary[method] === "function")
      wrapper[method] = (object: T, options?: PutOptions) => {
        // Copied before the primary call: what replicas get is what the primary was given.
        const copy = object !== null && typeof object === "object" ? copyRecord(object) : object;
        return write(
          () =>
            (primary[method] as (o: T, p?: PutOptions) => MaybePromise<Id>).call(
              primary,
              object,
              options,
            ),
          (id: Id) => [putOp(copy, id, idProperty)],
        );
      };
  if (typeof primary.delete === "function")
    wrapper.delete = (id: Id) =>
      write(
        () => primary.delete!(id),
        (existed: boolean) => (existed ? [{ kind: "delete", id }] : []),
      );
  if (typeof primary.transaction === "function")
    wrapper.transaction = <R>(fn: (store: Store<T>) => MaybePromise<R>) => {
      const ops: ReplicaOp<T>[] = [];
      return write(
        () => primary.transaction!((tx) => fn(recordingView(tx, ops, idProperty))),
        () => ops,
      );
    };
  if (typeof primary.on === "function") wrapper.on = primary.on.bind(primary);
  return wrapper as unknown as ReplicatedStore<T>;
}
