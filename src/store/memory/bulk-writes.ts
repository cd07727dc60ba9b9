/**
 * The state changes behind the JSORM bulk API (`insert`, `update`,
 * `remove`): each changes many records at once and reports what it changed,
 * for one journal entry. Insert and update are all or nothing: a conflict
 * on any record leaves the state as it was.
 */
import type { Id } from "../types.js";
import { atomically } from "./atomically.js";
import type { MemoryState, Slot } from "./memory-state.js";
import { prepareRecord } from "./prepare-record.js";

/** Stores copies of `objects`, numbered by `seq`; returns them as stored. */
export function insertRecords<T extends object>(
  state: MemoryState<T>,
  objects: readonly T[],
  seq: () => number,
): { id: Id; record: T }[] {
  const added: { id: Id; record: T }[] = [];
  atomically((undo) => {
    for (const object of objects) {
      const { id, record } = prepareRecord<T>(object, state.idProperty, undefined, state.idType);
      state.insert(id, record, seq());
      undo.push(() => state.remove(id));
      added.push({ id, record });
    }
  });
  return added;
}

/** Sets `changes` (already copied, without the id property) on the records of `slots`. */
export function changeRecords<T extends object>(
  state: MemoryState<T>,
  slots: readonly Slot<T>[],
  changes: Partial<T>,
): { id: Id; before: T; after: T }[] {
  const changed: { id: Id; before: T; after: T }[] = [];
  atomically((undo) => {
    for (const { record: before } of slots) {
      const id = (before as Record<string, unknown>)[state.idProperty] as Id;
      const after = { ...before, ...changes } as T;
      state.replace(id, after);
      undo.push(() => state.replace(id, before));
      changed.push({ id, before, after });
    }
  });
  return changed;
}

/** Removes the records of `slots` (which cannot fail); returns them as they were. */
export function removeRecords<T extends object>(
  state: MemoryState<T>,
  slots: readonly Slot<T>[],
): { id: Id; record: T }[] {
  return slots.map(({ record }) => {
    const id = (record as Record<string, unknown>)[state.idProperty] as Id;
    state.remove(id);
    return { id, record };
  });
}
