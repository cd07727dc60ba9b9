/**
 * Turning journal entries into the changes a channel receives (commit mode
 * `update`: every entry, in order). A `load` is a `clear` followed by adds.
 */
import type { Change } from "../store/types.js";
import type { JournalEntry } from "./journal-entry.js";

/** Every change of `entries`, in journal order (records are not copied). */
export function journalChanges<T>(entries: readonly JournalEntry<T>[]): Change<T>[] {
  const changes: Change<T>[] = [];
  for (const entry of entries) {
    switch (entry.type) {
      case "add":
        for (const { id, record } of entry.records) changes.push({ type: "add", id, record });
        break;
      case "change":
        for (const { id, after } of entry.records)
          changes.push({ type: "change", id, changes: entry.changes, record: after });
        break;
      case "remove":
        for (const { id } of entry.records) changes.push({ type: "remove", id });
        break;
      case "clear":
        changes.push({ type: "clear" });
        break;
      case "load":
        changes.push({ type: "clear" });
        for (const { id, record } of entry.records) changes.push({ type: "add", id, record });
        break;
    }
  }
  return changes;
}
