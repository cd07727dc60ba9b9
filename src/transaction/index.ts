/** Journal entries, condensing and change sets shared by journaled stores and channels. */
export type {
  JournalEntry,
  JournalEntryType,
  JournalRecord,
  JournalChange,
} from "./journal-entry.js";
export { condenseJournal } from "./condense-journal.js";
export { journalChanges } from "./journal-changes.js";
export { buildChangeSet } from "./build-change-set.js";
export { responseIdPairs } from "./response-ids.js";
