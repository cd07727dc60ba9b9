/**
 * Events a wrapper raises for the writes made through it. Each listener gets
 * its own copy; one that throws never fails the write (it already happened):
 * the others still run and a process warning (STORE_LISTENER_FAILED) says why.
 */
import { StoreError } from "../../errors/index.js";
import { copyRecord } from "../../store/copy.js";
import type { StoreEvent, StoreEventName, StoreListener } from "../../store/types.js";

const NAMES: ReadonlySet<string> = new Set([
  "add",
  "change",
  "remove",
  "clear",
  "load",
  "commit",
  "reject",
]);

export class WriteEvents<T> {
  readonly #listeners = new Map<StoreEventName, Set<StoreListener<T>>>();

  /** @param owner names the wrapper in errors and warnings. */
  constructor(private readonly owner: string) {}

  on(event: StoreEventName, listener: StoreListener<T>): () => void {
    if (!NAMES.has(event))
      throw new StoreError(
        "STORE_BAD_EVENT",
        `${this.owner}.on: unknown event ${JSON.stringify(event)}`,
      );
    if (typeof listener !== "function")
      throw new StoreError(
        "STORE_BAD_LISTENER",
        `${this.owner}.on: the listener must be a function`,
      );
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    const entry: StoreListener<T> = (e) => listener(e);
    set.add(entry);
    return () => void set.delete(entry);
  }

  /** Raises `event` about `records` (copied per listener) and `ids`. */
  emit(event: StoreEventName, records: readonly T[], ids: readonly unknown[]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener({ type: event, records: records.map(copyRecord), ids: [...ids] } as StoreEvent<T>);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        process.emitWarning(
          new StoreError(
            "STORE_LISTENER_FAILED",
            `${this.owner} ${event} listener failed: ${reason}`,
            {
              cause: error,
            },
          ),
        );
      }
    }
  }
}
