/** Copies of journal entries, for the read-only `journal` view. */
import type { JournalEntry } from "../../transaction/index.js";
import { copyRecord } from "../copy.js";

/** A deep copy of `entry`: callers can read or change it without touching the store. */
export function copyJournalEntry<T>(entry: JournalEntry<T>): JournalEntry<T> {
  switch (entry.type) {
    case "add":
    case "remove":
      return {
        type: entry.type,
        records: entry.records.map(({ id, record }) => ({ id, record: copyRecord(record) })),
      };
    case "change":
      return {
        type: "change",
        changes: copyRecord(entry.changes),
        records: entry.records.map(({ id, before, after }) => ({
          id,
          before: copyRecord(before),
          after: copyRecord(after),
        })),
      };
    case "clear":
      return { type: "clear", count: entry.count };
    case "load":
      return {
        type: "load",
        count: entry.count,
        records: entry.records.map(({ id, record }) => ({ id, record: copyRecord(record) })),
      };
  }
}
