/** Journal entries as a memory store keeps them, and their exact undo. */
import type { JournalEntry } from "../../transaction/index.js";
import type { MemoryState } from "./memory-state.js";

/** An entry as the store keeps it: the public entry plus what exact undo needs. */
export interface StoredEntry<T extends object> {
  readonly seq: number;
  readonly entry: JournalEntry<T>;
  /** `remove`: the removed records' places in the natural order. */
  readonly places?: readonly number[];
  /** `clear`/`load`: the whole state before, restored as is. */
  readonly previous?: MemoryState<T>;
}

/**
 * Undoes `stored` on `state` (newest record first, so places come back in
 * order) and returns the state to use from now on: `state` itself, or for
 * `clear` and `load` the state they replaced.
 */
export function undoEntry<T extends object>(
  state: MemoryState<T>,
  stored: StoredEntry<T>,
): MemoryState<T> {
  const { entry } = stored;
  switch (entry.type) {
    case "add":
      for (let i = entry.records.length - 1; i >= 0; i--) state.remove(entry.records[i]!.id);
      return state;
    case "change":
      for (let i = entry.records.length - 1; i >= 0; i--)
        state.replace(entry.records[i]!.id, entry.records[i]!.before);
      return state;
    case "remove":
      for (let i = entry.records.length - 1; i >= 0; i--) {
        state.insert(entry.records[i]!.id, entry.records[i]!.record, stored.places![i]!);
      }
      return state;
    case "clear":
    case "load":
      return stored.previous!;
  }
}
