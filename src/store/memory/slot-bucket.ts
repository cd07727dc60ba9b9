/**
 * Index buckets that hold the stored slots themselves, in the store's
 * natural (sequence) order, so a lookup hands out candidates without looking
 * each id up again or sorting them. A bucket is one slot directly (the common
 * case for selective fields, and always for unique ones) or a `SlotList` once
 * a second slot arrives, so a million distinct values do not cost a million lists.
 */
import type { Id } from "../types.js";

/** A stored record, its id and its place in the natural order (sequence number). */
export interface Slot<T = unknown> {
  readonly id: Id;
  readonly seq: number;
  /** The current record; a change replaces it in place, so indexes keep the same slot. */
  record: T;
  /** Position in the state's order array; -1 once the slot was removed. */
  pos: number;
}

/** First index in `seqs` (ascending) whose value is >= `seq`. */
export function lowerBound(seqs: readonly number[], seq: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs[mid]! < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Candidates in natural order: sequence numbers and the records at the same
 * positions. Merging reads only the numbers, and the query reads only the
 * records, so neither touches the slots (a cache miss each at a million records).
 */
export interface Run<T = unknown> {
  readonly seqs: readonly number[];
  readonly records: readonly T[];
}

export const EMPTY_RUN: Run<never> = Object.freeze({ seqs: [], records: [] });

/**
 * Slots in ascending sequence order, with their records and sequence numbers
 * in parallel arrays. A removed slot leaves a hole that keeps its sequence
 * number, so undoing the removal (`reject`) puts it back in place in
 * O(log n); holes are compacted away once they are the majority.
 */
export class SlotList<T = unknown> {
  private items: (Slot<T> | undefined)[] = [];
  private records: (T | undefined)[] = [];
  private seqs: number[] = [];
  /** Live slots. */
  size = 0;

  add(slot: Slot<T>): void {
    const n = this.seqs.length;
    if (n === 0 || this.seqs[n - 1]! < slot.seq) {
      this.items.push(slot);
      this.records.push(slot.record);
      this.seqs.push(slot.seq);
    } else {
      const i = lowerBound(this.seqs, slot.seq);
      if (this.seqs[i] === slot.seq) {
        if (this.items[i] !== undefined) return; // already here
        this.items[i] = slot; // refill the hole it left
        this.records[i] = slot.record;
      } else {
        this.items.splice(i, 0, slot);
        this.records.splice(i, 0, slot.record);
        this.seqs.splice(i, 0, slot.seq);
      }
    }
    this.size++;
  }

  /** Removes `slot`; returns true when the list has no live slots left. */
  delete(slot: Slot<T>): boolean {
    const i = lowerBound(this.seqs, slot.seq);
    if (this.items[i] !== slot) return false;
    this.size--;
    this.items[i] = undefined;
    this.records[i] = undefined;
    // Trailing holes go at once (undoing adds removes the newest slots).
    while (this.items.length > 0 && this.items[this.items.length - 1] === undefined) {
      this.items.pop();
      this.records.pop();
      this.seqs.pop();
    }
    const holes = this.items.length - this.size;
    if (holes > 32 && holes * 2 > this.items.length) this.compact();
    return this.size === 0;
  }

  /** Takes up the new record of a slot that stays in this list. */
  refresh(slot: Slot<T>): void {
    const i = lowerBound(this.seqs, slot.seq);
    if (this.items[i] === slot) this.records[i] = slot.record;
  }

  /** The live records in sequence order (the list's own arrays when it has no holes: read only). */
  live(): Run<T> {
    if (this.items.length === this.size) return { seqs: this.seqs, records: this.records as T[] };
    const seqs: number[] = [];
    const records: T[] = [];
    for (let i = 0; i < this.items.length; i++) {
      if (this.items[i] === undefined) continue;
      seqs.push(this.seqs[i]!);
      records.push(this.records[i]!);
    }
    return { seqs, records };
  }

  /** A live slot whose id is not `id`, if any (unique index checks). */
  other(id: Id): Slot<T> | undefined {
    for (const slot of this.items) if (slot !== undefined && slot.id !== id) return slot;
    return undefined;
  }

  private compact(): void {
    const { seqs, records } = this.live();
    this.items = this.items.filter((slot) => slot !== undefined);
    this.seqs = seqs as number[];
    this.records = records as T[];
  }
}

export type SlotBucket<T = unknown> = Slot<T> | SlotList<T>;

/** Adds `slot` under `key`; returns true when the key is new to the map. */
export function bucketAdd<K, T>(map: Map<K, SlotBucket<T>>, key: K, slot: Slot<T>): boolean {
  const bucket = map.get(key);
  if (bucket === undefined) {
    map.set(key, slot);
    return true;
  }
  if (bucket instanceof SlotList) bucket.add(slot);
  else if (bucket !== slot) {
    const list = new SlotList<T>();
    list.add(bucket);
    list.add(slot);
    map.set(key, list);
  }
  return false;
}

/** Removes `slot` from `key`; returns true when the key has no slots left (and was dropped). */
export function bucketDelete<K, T>(map: Map<K, SlotBucket<T>>, key: K, slot: Slot<T>): boolean {
  const bucket = map.get(key);
  if (bucket === undefined) return false;
  if (bucket instanceof SlotList) {
    if (!bucket.delete(slot)) return false;
  } else if (bucket !== slot) return false;
  map.delete(key);
  return true;
}

/** A slot under `key` got a new record (same key): lists keep records, so they take it up. */
export function bucketRefresh<K, T>(map: Map<K, SlotBucket<T>>, key: K, slot: Slot<T>): void {
  const bucket = map.get(key);
  if (bucket instanceof SlotList) bucket.refresh(slot);
}

/** The live records of a bucket in sequence order (read only). */
export function bucketRun<T>(bucket: SlotBucket<T> | undefined): Run<T> {
  if (bucket === undefined) return EMPTY_RUN;
  return bucket instanceof SlotList ? bucket.live() : slotRun(bucket);
}

/** A run of one slot. */
export function slotRun<T>(slot: Slot<T>): Run<T> {
  return { seqs: [slot.seq], records: [slot.record] };
}

/** A slot in `bucket` whose id is not `id`, if there is one (unique index checks). */
export function bucketOther<T>(bucket: SlotBucket<T> | undefined, id: Id): Slot<T> | undefined {
  if (bucket === undefined) return undefined;
  if (bucket instanceof SlotList) return bucket.other(id);
  return bucket.id === id ? undefined : bucket;
}

/**
 * Merges runs, each in sequence order, into one run in sequence order; a
 * record found in several runs (same sequence number) appears once. One run
 * is returned as is.
 */
export function mergeRuns<T>(runs: readonly Run<T>[]): Run<T> {
  let parts = runs.filter((run) => run.seqs.length > 0);
  if (parts.length === 0) return EMPTY_RUN;
  // Pairwise rounds: O(n log k) for k runs, comparing numbers only.
  while (parts.length > 1) {
    const next: Run<T>[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) next.push(mergeTwo(parts[i]!, parts[i + 1]!));
    if (parts.length % 2 === 1) next.push(parts[parts.length - 1]!);
    parts = next;
  }
  return parts[0]!;
}

function mergeTwo<T>(a: Run<T>, b: Run<T>): Run<T> {
  const as = a.seqs;
  const bs = b.seqs;
  const total = as.length + bs.length;
  const seqs = new Array<number>(total);
  const records = new Array<T>(total);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < as.length && j < bs.length) {
    const x = as[i]!;
    const y = bs[j]!;
    if (x <= y) {
      seqs[n] = x;
      records[n++] = a.records[i++]!;
      if (x === y) j++;
    } else {
      seqs[n] = y;
      records[n++] = b.records[j++]!;
    }
  }
  while (i < as.length) {
    seqs[n] = as[i]!;
    records[n++] = a.records[i++]!;
  }
  while (j < bs.length) {
    seqs[n] = bs[j]!;
    records[n++] = b.records[j++]!;
  }
  seqs.length = n;
  records.length = n;
  return { seqs, records };
}
