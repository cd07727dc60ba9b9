/**
 * Counts the work a memory store does, as operations instead of time: every
 * call to a method of its data structures (state, natural order, indexes,
 * buckets, planner), plus, in files that mock `src/store/copy.js` with
 * `countingCopy`, every record copy. A full scan or a rebuild shows up as
 * work that grows with the data; work that only follows the journal does not.
 */
import { FieldIndex } from "../../../src/store/memory/field-index.js";
import { CompoundIndex } from "../../../src/store/memory/compound-index.js";
import { IndexPlanner } from "../../../src/store/memory/index-planner.js";
import { MemoryState } from "../../../src/store/memory/memory-state.js";
import { NaturalOrder } from "../../../src/store/memory/natural-order.js";
import { OrderedKeys } from "../../../src/store/memory/ordered-keys.js";
import { RecordIndexes } from "../../../src/store/memory/record-indexes.js";
import { SlotList } from "../../../src/store/memory/slot-bucket.js";

const CLASSES: readonly { readonly prototype: object; readonly name: string }[] = [
  MemoryState,
  NaturalOrder,
  RecordIndexes,
  FieldIndex,
  CompoundIndex,
  SlotList,
  OrderedKeys,
  IndexPlanner,
];

/** Shared with a `vi.mock` factory (create it with `vi.hoisted(() => ({ copies: 0 }))`). */
export interface CopyCounter {
  copies: number;
}

/** The `copy.js` module with `copyRecord` counting its calls into `counter`. */
export function countingCopy<M extends { copyRecord<T>(value: T): T }>(
  actual: M,
  counter: CopyCounter,
): M {
  return {
    ...actual,
    copyRecord<T>(value: T): T {
      counter.copies++;
      return actual.copyRecord(value);
    },
  };
}

/**
 * Runs `fn` with every method of the store's data structures counting its
 * calls; returns the counts by `Class.method` (methods never called left out).
 */
export async function countCalls(fn: () => unknown): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const restore: (() => void)[] = [];
  for (const { prototype, name } of CLASSES) {
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key)!;
      if (key === "constructor" || typeof descriptor.value !== "function") continue;
      const original = descriptor.value as (...args: unknown[]) => unknown;
      const label = `${name}.${key}`;
      Object.defineProperty(prototype, key, {
        ...descriptor,
        value: function (this: unknown, ...args: unknown[]) {
          counts[label] = (counts[label] ?? 0) + 1;
          return original.apply(this, args);
        },
      });
      restore.push(() => Object.defineProperty(prototype, key, descriptor));
    }
  }
  try {
    await fn();
  } finally {
    for (const undo of restore) undo();
  }
  return counts;
}

/** The methods that hand out every record: a call is a walk over the whole data set. */
export const FULL_SCANS: readonly string[] = [
  "MemoryState.allRecords",
  "MemoryState.ordered",
  "NaturalOrder.allRecords",
  "NaturalOrder.ordered",
];

/** The sum of all counts. */
export const totalCalls = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((sum, n) => sum + n, 0);
