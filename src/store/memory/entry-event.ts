/** The event a journal entry raises: built fresh for each listener, from copies. */
import type { JournalEntry } from "../../transaction/index.js";
import { copyRecord } from "../copy.js";
import type { StoreEvent } from "../types.js";

/** What listeners of `entry.type` get for `entry` (records as they are after it). */
export function entryEvent<T>(entry: JournalEntry<T>): Omit<StoreEvent<T>, "type"> {
  switch (entry.type) {
    case "add":
    case "remove":
      return {
        ids: entry.records.map((r) => r.id),
        records: entry.records.map((r) => copyRecord(r.record)),
      };
    case "change":
      return {
        ids: entry.records.map((c) => c.id),
        records: entry.records.map((c) => copyRecord(c.after)),
        previous: entry.records.map((c) => copyRecord(c.before)),
        changes: copyRecord(entry.changes) as Record<string, unknown>,
      };
    case "clear":
      return { count: entry.count };
    case "load":
      return { count: entry.records.length, ids: entry.records.map((r) => r.id) };
  }
}
