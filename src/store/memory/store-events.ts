/**
 * Store event listeners. Each listener gets its own event built by `make`,
 * so listeners never share objects with each other or with the store. If a
 * listener throws, the others still run and the first error is rethrown
 * afterwards; the write that raised the event stands.
 */
import type { StoreEvent, StoreEventName, StoreListener } from "../types.js";

const EVENT_NAMES: ReadonlySet<string> = new Set(["add", "change", "remove", "clear", "load", "commit", "reject"]);

export class StoreEvents<T> {
  private readonly listeners = new Map<StoreEventName, Set<StoreListener<T>>>();

  /** Adds a listener; returns the function that removes it. */
  on(event: StoreEventName, listener: StoreListener<T>): () => void {
    if (!EVENT_NAMES.has(event)) throw new TypeError(`unknown store event ${JSON.stringify(event)}`);
    if (typeof listener !== "function") throw new TypeError("a store listener must be a function");
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    // Wrap so that registering the same function twice gives two independent subscriptions.
    const entry: StoreListener<T> = (e) => listener(e);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** Calls the listeners of `event` (if any) with a fresh event each. */
  emit(event: StoreEventName, make: () => Omit<StoreEvent<T>, "type">): void {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return;
    let failure: { error: unknown } | undefined;
    for (const listener of [...set]) {
      try {
        listener({ type: event, ...make() });
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
