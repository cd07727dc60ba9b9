/**
 * Condensing a journal into one net change per record (commit mode `condensed`):
 * add+change -> one add with the final values; add+remove -> nothing;
 * change+change -> one change; change+remove -> remove; remove+add -> a change
 * whose `record` is the whole new record. A `clear` (or `load`) makes everything
 * before it irrelevant: the result starts with one `clear` instead.
 * Cost is linear in the journal, never in the data set.
 */
import type { Change, Id } from "../store/types.js";
import type { JournalEntry } from "./journal-entry.js";

type Net<T> =
  | { readonly type: "add"; readonly record: T }
  | { readonly type: "change"; readonly changes: Readonly<Partial<T>>; readonly record: T }
  | { readonly type: "remove" };

/** The net changes of `entries`, in order of each record's first change (records are not copied). */
export function condenseJournal<T>(entries: readonly JournalEntry<T>[]): Change<T>[] {
  const net = new Map<Id, Net<T>>();
  let cleared = false;
  for (const entry of entries) {
    switch (entry.type) {
      case "clear":
      case "load":
        net.clear();
        cleared = true;
        if (entry.type === "load")
          for (const { id, record } of entry.records) net.set(id, { type: "add", record });
        break;
      case "add":
        for (const { id, record } of entry.records) {
          // Re-adding an id removed earlier in the journal replaces the record the channel has.
          net.set(
            id,
            net.get(id)?.type === "remove"
              ? { type: "change", changes: record, record }
              : { type: "add", record },
          );
        }
        break;
      case "change":
        for (const { id, after } of entry.records) {
          const previous = net.get(id);
          if (previous?.type === "add") net.set(id, { type: "add", record: after });
          else if (previous?.type === "change") {
            net.set(id, {
              type: "change",
              changes: { ...previous.changes, ...entry.changes },
              record: after,
            });
          } else net.set(id, { type: "change", changes: entry.changes, record: after });
        }
        break;
      case "remove":
        for (const { id } of entry.records) {
          if (net.get(id)?.type === "add") net.delete(id);
          else net.set(id, { type: "remove" });
        }
        break;
    }
  }
  const changes: Change<T>[] = cleared ? [{ type: "clear" }] : [];
  for (const [id, change] of net) changes.push({ id, ...change } as Change<T>);
  return changes;
}
