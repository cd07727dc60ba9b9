/**
 * The change set a commit writes through a channel, in one of the three modes.
 * Everything in it is a copy: a channel can keep or change it freely.
 */
import { copyRecord } from "../store/copy.js";
import type { Change, ChangeSet, CommitMode } from "../store/types.js";
import { condenseJournal } from "./condense-journal.js";
import type { JournalEntry } from "./journal-entry.js";
import { journalChanges } from "./journal-changes.js";

/**
 * Builds the change set for `mode`: `replace` carries the whole data set
 * (`allRecords()` is only called in that mode), `update` every journal entry,
 * `condensed` one net change per record.
 */
export function buildChangeSet<T>(
  entries: readonly JournalEntry<T>[],
  mode: CommitMode,
  allRecords: () => readonly T[],
): ChangeSet<T> {
  if (mode === "replace")
    return { mode, changes: [], records: allRecords().map((r) => copyRecord(r)) };
  const changes = mode === "condensed" ? condenseJournal(entries) : journalChanges(entries);
  return { mode, changes: changes.map(copyChange) };
}

function copyChange<T>(change: Change<T>): Change<T> {
  switch (change.type) {
    case "add":
      return { type: "add", id: change.id, record: copyRecord(change.record) };
    case "change":
      return {
        type: "change",
        id: change.id,
        changes: copyRecord(change.changes),
        record: copyRecord(change.record),
      };
    default:
      return change;
  }
}
