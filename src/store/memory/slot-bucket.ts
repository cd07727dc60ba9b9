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
 * Slots in ascending sequence order. A removed slot leaves a hole that keeps
 * its sequence number, so undoing the removal (`reject`) puts it back in
 * place in O(log n); holes are compacted away once they are the majority.
 */
export class SlotList<T = unknown> {
  private items: (Slot<T> | undefined)[] = [];
  private seqs: number[] = [];
  /** Live slots. */
  size = 0;

  add(slot: Slot<T>): void {
    const n = this.seqs.length;
    if (n === 0 || this.seqs[n - 1]! < slot.seq) {
      this.items.push(slot);
      this.seqs.push(slot.seq);
    } else {
      const i = lowerBound(this.seqs, slot.seq);
      if (this.seqs[i] === slot.seq) {
        if (this.items[i] !== undefined) return; // already here
        this.items[i] = slot; // refill the hole it left
      } else {
        this.items.splice(i, 0, slot);
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
    // Trailing holes go at once (undoing adds removes the newest slots).
    while (this.items.length > 0 && this.items[this.items.length - 1] === undefined) {
      this.items.pop();
      this.seqs.pop();
    }
    const holes = this.items.length - this.size;
    if (holes > 32 && holes * 2 > this.items.length) this.compact();
    return this.size === 0;
  }

  /** The live slots in sequence order (the list's own array when it has no holes: read only). */
  live(): readonly Slot<T>[] {
    if (this.items.length === this.size) return this.items as Slot<T>[];
    const out: Slot<T>[] = [];
    for (const slot of this.items) if (slot !== undefined) out.push(slot);
    return out;
  }

  /** A live slot whose id is not `id`, if any (unique index checks). */
  other(id: Id): Slot<T> | undefined {
    for (const slot of this.items) if (slot !== undefined && slot.id !== id) return slot;
    return undefined;
  }

  private compact(): void {
    const items: Slot<T>[] = [];
    const seqs: number[] = [];
    for (const slot of this.items) {
      if (slot === undefined) continue;
      items.push(slot);
      seqs.push(slot.seq);
    }
    this.items = items;
    this.seqs = seqs;
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

/** The live slots of a bucket in sequence order (read only). */
export function bucketSlots<T>(bucket: SlotBucket<T> | undefined): readonly Slot<T>[] {
  if (bucket === undefined) return [];
  return bucket instanceof SlotList ? bucket.live() : [bucket];
}

/** How many slots a bucket holds. */
export function bucketSize(bucket: SlotBucket | undefined): number {
  return bucket === undefined ? 0 : bucket instanceof SlotList ? bucket.size : 1;
}

/** A slot in `bucket` whose id is not `id`, if there is one (unique index checks). */
export function bucketOther<T>(bucket: SlotBucket<T> | undefined, id: Id): Slot<T> | undefined {
  if (bucket === undefined) return undefined;
  if (bucket instanceof SlotList) return bucket.other(id);
  return bucket.id === id ? undefined : bucket;
}

/**
 * Merges runs of slots, each in sequence order, into one run in sequence
 * order; a slot found in several runs appears once. One run is returned as is.
 */
export function mergeRuns<T>(runs: readonly (readonly Slot<T>[])[]): readonly Slot<T>[] {
  const nonEmpty = runs.filter((run) => run.length > 0);
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  if (nonEmpty.length === 2) return mergeTwo(nonEmpty[0]!, nonEmpty[1]!);
  // Many runs (a range over many keys): concatenate, and let the adaptive
  // sort merge the sorted runs it finds, then drop duplicates.
  const all: Slot<T>[] = [];
  for (const run of nonEmpty) for (const slot of run) all.push(slot);
  all.sort((a, b) => a.seq - b.seq);
  let n = 0;
  for (let i = 0; i < all.length; i++) if (n === 0 || all[n - 1] !== all[i]) all[n++] = all[i]!;
  all.length = n;
  return all;
}

function mergeTwo<T>(a: readonly Slot<T>[], b: readonly Slot<T>[]): Slot<T>[] {
  const out = new Array<Slot<T>>(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x.seq < y.seq) {
      out[n++] = x;
      i++;
    } else if (y.seq < x.seq) {
      out[n++] = y;
      j++;
    } else {
      out[n++] = x;
      i++;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  out.length = n;
  return out;
}
