/**
 * Journal entries of the memory store (JSORM db). One entry per mutation,
 * however many records it touched, holding what is needed to undo it exactly
 * and to send it through a channel. Entry types are plain strings so that a
 * journal can be serialised and read by any channel.
 */
import type { Id } from "../store/types.js";

/** One record an entry concerns, as it was when the operation ran. */
export interface JournalRecord<T> {
  readonly id: Id;
  readonly record: T;
}

/** One record a `change` entry concerns: its value before and after the change. */
export interface JournalChange<T> {
  readonly id: Id;
  readonly before: T;
  readonly after: T;
}

/** The kinds of journal entries. */
export type JournalEntryType = "add" | "change" | "remove" | "clear" | "load";

/**
 * A journal entry.
 * - `add`: records added (by `insert`, `put` of a new id, `add`).
 * - `change`: fields set on records (`update`, or `put` over an existing id, where
 *   `changes` is the whole new record); `before` lets `reject` restore every field,
 *   removing the ones the change added.
 * - `remove`: records removed (`remove`, `delete`).
 * - `clear`: every record removed (`removeAll`); `count` is how many there were.
 * - `load`: the data set replaced (`insert(records, { append: false })`); `count`
 *   is how many records it replaced, `records` what it put in their place.
 */
export type JournalEntry<T> =
  | { readonly type: "add"; readonly records: readonly JournalRecord<T>[] }
  | {
      readonly type: "change";
      readonly changes: Readonly<Partial<T>>;
      readonly records: readonly JournalChange<T>[];
    }
  | { readonly type: "remove"; readonly records: readonly JournalRecord<T>[] }
  | { readonly type: "clear"; readonly count: number }
  | {
      readonly type: "load";
      readonly count: number;
      readonly records: readonly JournalRecord<T>[];
    };
