/**
 * `sync()` of a replicated store: brings every replica up to the revision
 * current when it was called, finds replicas that lost data (their record
 * count differs from the primary's, compared between writes) and copies
 * those whole, and says which replicas it could not bring up.
 */
import { StoreError } from "../../errors/index.js";
import type { Store } from "../../store/types.js";
import type { Replica, ReplicaStatus } from "./replica.js";
import type { WriteLock } from "./write-lock.js";

/** What `syncReplicas` works on (the wrapper's state). */
export interface SyncContext<T extends object> {
  readonly primary: Store<T>;
  readonly replicas: readonly Replica<T>[];
  readonly lock: WriteLock;
  /** The last revision written. */
  revision(): number;
  /** Every replica's catch-up (`force`: try even those that failed lately). */
  catchUpAll(force: boolean): Promise<unknown> | undefined;
}

/** Rejects with REPLICA_UNAVAILABLE (retryable) naming the replicas it could not bring up. */
export async function syncReplicas<T extends object>(context: SyncContext<T>): Promise<void> {
  const target = context.revision();
  await context.catchUpAll(true);
  for (const replica of context.replicas) await verify(context, replica);
  await context.catchUpAll(true);
  const behind = context.replicas.filter(
    (s) => s.needsResync || s.status.state === "down" || s.revision < target,
  );
  if (behind.length > 0) throw unavailable(behind.map((s) => s.status));
}

/** Marks a replica for resync when its record count differs from the primary's (under the write lock). */
function verify<T extends object>(context: SyncContext<T>, replica: Replica<T>): Promise<void> {
  const { primary } = context;
  return context.lock.run(async () => {
    if (typeof primary.query !== "function" || typeof replica.store.query !== "function") return;
    if (!replica.isCurrent(context.revision())) return;
    try {
      const [expected, actual] = await Promise.all([
        primary.query("count()"),
        replica.store.query("count()"),
      ]);
      if (expected !== actual) replica.markResync();
    } catch {
      // A store that cannot count cannot be checked this way.
    }
  });
}

function unavailable(statuses: readonly ReplicaStatus[]): StoreError {
  const why = statuses
    .map(
      (s) =>
        `replica ${s.index} is ${s.state} at revision ${s.revision}${s.error instanceof Error ? ` (${s.error.message})` : ""}`,
    )
    .join("; ");
  return new StoreError("REPLICA_UNAVAILABLE", `replicated: not every replica is current: ${why}`, {
    retryable: true,
    cause: statuses.find((s) => s.error !== undefined)?.error,
    details: { replicas: statuses },
  });
}
