/**
 * A real store behind delays, for wrapper tests: every contract method waits
 * on `pause()` before it reaches the inner store and again before it answers,
 * and counts its calls. `pause` decides the timing: a fast-check scheduler's
 * `s.schedule(...)` explores interleavings; a resolved promise just yields.
 */
import type { Store } from "../../src/store/types.js";
import { CONTRACT_METHODS, type ContractMethod } from "../store-contract.js";

export interface DelayedStore<T extends object> {
  readonly store: Store<T>;
  /** Calls that reached the inner store, by method. */
  readonly calls: Record<ContractMethod, number>;
}

/** `inner` with `pause()` before and after each call of each method it has (`on` is not delayed). */
export function delayedStore<T extends object>(
  inner: Store<T>,
  pause: (label: string) => Promise<unknown>,
): DelayedStore<T> {
  const calls = Object.fromEntries(CONTRACT_METHODS.map((m) => [m, 0])) as Record<
    ContractMethod,
    number
  >;
  const store: Record<string, unknown> = { idProperty: inner.idProperty };
  for (const method of CONTRACT_METHODS) {
    const fn = inner[method] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof fn !== "function") continue;
    store[method] =
      method === "on"
        ? fn.bind(inner)
        : async (...args: unknown[]) => {
            await pause(`${method} call`);
            calls[method]++;
            const result = await fn.apply(inner, args);
            await pause(`${method} answer`);
            return result;
          };
  }
  return { store: store as Store<T>, calls };
}
