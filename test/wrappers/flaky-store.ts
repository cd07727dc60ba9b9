/**
 * A real store that can be switched off, for replication tests: while down,
 * every call fails (as a lost connection would) and reaches nothing; while up,
 * every write that reached the inner store is logged (inside transactions
 * too), so a test can see each write was applied exactly once and in order.
 */
import { StoreError } from "../../src/errors/index.js";
import type { Id, MaybePromise, PutOptions, Store } from "../../src/store/types.js";
import { CONTRACT_METHODS } from "../store-contract.js";

export interface FlakyStore<T extends object> {
  readonly store: Store<T>;
  /** Writes applied, in order: `put <id> <JSON>` / `delete <id>`. */
  readonly applied: string[];
  down: boolean;
}

export function flakyStore<T extends object>(inner: Store<T>): FlakyStore<T> {
  const state = { applied: [] as string[], down: false };
  return Object.assign(state, { store: view(inner, state) });
}

function view<T extends object>(
  inner: Store<T>,
  state: { applied: string[]; down: boolean },
): Store<T> {
  const failIfDown = (method: string) => {
    if (state.down) throw new StoreError("TEST_STORE_DOWN", `${method}: the store is down`);
  };
  const store: Record<string, unknown> = { idProperty: inner.idProperty };
  for (const method of CONTRACT_METHODS) {
    const fn = inner[method] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof fn === "function")
      store[method] = async (...args: unknown[]) => {
        failIfDown(method);
        return fn.apply(inner, args);
      };
  }
  if (typeof inner.put === "function")
    store.put = async (object: T, options?: PutOptions) => {
      failIfDown("put");
      const id = await inner.put!(object, options);
      state.applied.push(`put ${String(id)} ${JSON.stringify(object)}`);
      return id;
    };
  if (typeof inner.delete === "function")
    store.delete = async (id: Id) => {
      failIfDown("delete");
      const existed = await inner.delete!(id);
      state.applied.push(`delete ${String(id)}`);
      return existed;
    };
  if (typeof inner.transaction === "function")
    store.transaction = async <R>(fn: (tx: Store<T>) => MaybePromise<R>) => {
      failIfDown("transaction");
      return inner.transaction!((tx) => fn(view(tx, state)));
    };
  return store as Store<T>;
}
