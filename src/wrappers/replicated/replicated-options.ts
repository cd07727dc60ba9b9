/** `replicated()`'s options, checked once at construction. */
import { StoreError } from "../../errors/index.js";
import { toStore, type LegacyStore } from "../../store/adapt-store.js";
import type { Store } from "../../store/types.js";
import { checkCount } from "../store-input.js";
import type { ReplicaSettings } from "./replica.js";

/** Options of `replicated(primary, replicas, options)`. */
export interface ReplicatedOptions {
  /** Revisions kept for a replica that is down (default 10 000); past this it is resynchronised whole. */
  readonly maxBacklog?: number;
  /** Milliseconds before a write tries a failed replica again (default 1000; `sync()` always tries). */
  readonly retryDelay?: number;
  /**
   * Read from a current replica when the primary's `get`/`query` fails
   * (default `false`): a replica that has every revision answers instead; a
   * query the primary refused as wrong (QueryError) is not retried.
   */
  readonly readFallback?: boolean;
  /** The clock for `retryDelay`, in milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

export interface ReplicatedSettings extends ReplicaSettings {
  readonly readFallback: boolean;
}

/** Checked settings; REPLICATED_BAD_OPTION names the option that is wrong. */
export function replicatedSettings(options: ReplicatedOptions): ReplicatedSettings {
  const bad = (message: string) =>
    new StoreError("REPLICATED_BAD_OPTION", `replicated: ${message}`);
  if (options === null || typeof options !== "object") throw bad("options must be an object");
  if (options.now !== undefined && typeof options.now !== "function")
    throw bad("option now must be a function returning milliseconds");
  if (options.readFallback !== undefined && typeof options.readFallback !== "boolean")
    throw bad("option readFallback must be a boolean");
  return {
    maxBacklog:
      checkCount(options.maxBacklog, "replicated", "maxBacklog", "REPLICATED_BAD_OPTION") ?? 10_000,
    retryDelay:
      checkCount(options.retryDelay, "replicated", "retryDelay", "REPLICATED_BAD_OPTION", true) ??
      1000,
    readFallback: options.readFallback ?? false,
    now: options.now ?? Date.now,
  };
}

/** The replicas as stores; each needs `put` and `delete` (REPLICATED_REPLICA_INCAPABLE). */
export function checkReplicas<T extends object>(
  replicas: readonly (Store<T> | LegacyStore)[],
): readonly Store<T>[] {
  if (!Array.isArray(replicas))
    throw new StoreError(
      "REPLICATED_BAD_OPTION",
      "replicated: replicas must be an array of stores",
    );
  return replicas.map((candidate, index) => {
    const replica = toStore<T>(candidate);
    const missing = (["put", "delete"] as const).filter((m) => typeof replica[m] !== "function");
    if (missing.length > 0)
      throw new StoreError(
        "REPLICATED_REPLICA_INCAPABLE",
        `replicated: replica ${index} has no ${missing.join(" or ")}(), which applying writes needs`,
      );
    return replica;
  });
}
