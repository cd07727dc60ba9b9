/**
 * Store event listeners. Each listener gets its own event built by `make`,
 * so listeners never share objects with each other or with the store.
 *
 * A listener that throws never makes the call that raised the event fail: the
 * write has already happened, and reporting it as failed would invite a retry
 * of something that succeeded. The other listeners still run, and the failure
 * is reported as a process warning (a StoreError with code
 * STORE_LISTENER_FAILED and the listener's error as `cause`), which
 * `process.on("warning", ...)` receives.
 */
import { StoreError } from "../../errors/index.js";
import type { StoreEvent, StoreEventName, StoreListener } from "../types.js";

const EVENT_NAMES: ReadonlySet<string> = new Set([
  "add",
  "change",
  "remove",
  "clear",
  "load",
  "commit",
  "reject",
]);

export class StoreEvents<T> {
  private readonly listeners = new Map<StoreEventName, Set<StoreListener<T>>>();
  /** Each subscription's entry -> the listener it was made for (what `off` looks for). */
  private readonly originals = new WeakMap<StoreListener<T>, StoreListener<T>>();

  /** @param owner names the store in warnings, e.g. "MemoryStore". */
  constructor(private readonly owner: string) {}

  /** Adds a listener; returns the function that removes it. */
  on(event: StoreEventName, listener: StoreListener<T>): () => void {
    if (!EVENT_NAMES.has(event)) {
      throw new StoreError(
        "STORE_BAD_EVENT",
        `${this.owner}.on: unknown event ${JSON.stringify(event)} (expected one of ${[...EVENT_NAMES].join(", ")})`,
      );
    }
    if (typeof listener !== "function")
      throw new StoreError(
        "STORE_BAD_LISTENER",
        `${this.owner}.on(${JSON.stringify(event)}): the listener must be a function`,
      );
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    // Wrap so that registering the same function twice gives two independent subscriptions.
    const entry: StoreListener<T> = (e) => listener(e);
    this.originals.set(entry, listener);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /**
   * Removes the latest subscription of `listener` to `event` (as Node's
   * `removeListener`); returns whether there was one.
   */
  off(event: StoreEventName, listener: StoreListener<T>): boolean {
    const set = this.listeners.get(event);
    if (!set) return false;
    const entry = [...set].reverse().find((e) => this.originals.get(e) === listener);
    return entry !== undefined && set.delete(entry);
  }

  /** Calls the listeners of `event` (if any) with a fresh event each; never throws. */
  emit(event: StoreEventName, make: () => Omit<StoreEvent<T>, "type">): void {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return;
    for (const listener of [...set]) {
      try {
        listener({ type: event, ...make() });
      } catch (error) {
        reportListenerFailure(this.owner, event, error);
      }
    }
  }
}

function reportListenerFailure(owner: string, event: StoreEventName, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  const warning = new StoreError(
    "STORE_LISTENER_FAILED",
    `${owner} ${event} listener failed: ${reason}`,
    { cause: error },
  );
  if (typeof process !== "undefined" && typeof process.emitWarning === "function")
    process.emitWarning(warning);
  else console.error(warning);
}
