/**
 * A state's slots in natural (sequence) order, and their records at the
 * same positions, so a full scan hands the records array to the query
 * engine as is. A removed slot stays in place (pos -1) until the next full
 * scan compacts it away, so undoing the removal puts the record back in
 * O(log n); a slot whose place was compacted away waits in `pending` and is
 * merged in at the next full scan.
 */
import type { Id } from "../types.js";
import { lowerBound, type Slot } from "./slot-bucket.js";

/** Marks a slot that waits in `pending` for its place in the order. */
const PENDING = -2;
/** Marks a removed slot. */
const REMOVED = -1;

export class NaturalOrder<T> {
  private order: Slot<T>[] = [];
  private records: T[] = [];
  /** Sequence numbers at the same positions: binary searches read numbers, not slots. */
  private seqs: number[] = [];
  private removed = 0;
  private firstRemoved = Infinity;
  private pending: Slot<T>[] = [];

  /** Every record in order: this object's own array, valid until the next change (read only). */
  allRecords(): readonly T[] {
    this.settle();
    return this.records;
  }

  /** Every slot in order: this object's own array, valid until the next change (read only). */
  ordered(): readonly Slot<T>[] {
    this.settle();
    return this.order;
  }

  /** A new slot for a record, given its place in the order. */
  add(id: Id, seq: number, record: T): Slot<T> {
    const slot: Slot<T> = { id, seq, record, pos: PENDING };
    this.place(slot);
    return slot;
  }

  /** Gives a new slot its place in the order: at the end, back in the hole it left, or pending. */
  private place(slot: Slot<T>): void {
    const order = this.order;
    const n = order.length;
    if (n === 0 || order[n - 1]!.seq < slot.seq) {
      slot.pos = n;
      order.push(slot);
      this.records.push(slot.record);
      this.seqs.push(slot.seq);
      return;
    }
    const i = lowerBound(this.seqs, slot.seq);
    const there = order[i];
    if (there !== undefined && there.seq === slot.seq && there.pos === REMOVED) {
      slot.pos = i;
      order[i] = slot;
      this.records[i] = slot.record;
      this.removed--;
      if (this.removed === 0) this.firstRemoved = Infinity;
    } else {
      slot.pos = PENDING;
      this.pending.push(slot);
    }
  }

  /** Takes up the slot's new record (a change replaced it in place). */
  refresh(slot: Slot<T>): void {
    if (slot.pos >= 0) this.records[slot.pos] = slot.record;
  }

  /** Marks a slot removed, leaving a hole the next full scan compacts. */
  remove(slot: Slot<T>): void {
    const pos = slot.pos;
    slot.pos = REMOVED;
    if (pos < 0) return;
    this.removed++;
    if (pos < this.firstRemoved) this.firstRemoved = pos;
    // Removed slots at the end go at once (undoing adds removes the newest records).
    while (this.order.length > 0 && this.order[this.order.length - 1]!.pos === REMOVED) {
      this.order.pop();
      this.records.pop();
      this.seqs.pop();
      this.removed--;
    }
    if (this.removed === 0) this.firstRemoved = Infinity;
  }

  /** Compacts removed slots away and merges pending ones in, in O(n) (no re-sort of the order). */
  private settle(): void {
    if (this.pending.length > 0) {
      const pending = this.pending.filter((slot) => slot.pos === PENDING);
      this.pending = [];
      pending.sort((a, b) => a.seq - b.seq);
      const old = this.order;
      const order: Slot<T>[] = [];
      const records: T[] = [];
      const seqs: number[] = [];
      const push = (slot: Slot<T>) => {
        slot.pos = order.length;
        order.push(slot);
        records.push(slot.record);
        seqs.push(slot.seq);
      };
      let j = 0;
      for (const slot of old) {
        if (slot.pos === REMOVED) continue;
        while (j < pending.length && pending[j]!.seq < slot.seq) push(pending[j++]!);
        push(slot);
      }
      for (; j < pending.length; j++) push(pending[j]!);
      this.order = order;
      this.records = records;
      this.seqs = seqs;
    } else if (this.removed > 0) {
      const order = this.order;
      const records = this.records;
      const seqs = this.seqs;
      let w = this.firstRemoved;
      for (let r = w; r < order.length; r++) {
        const slot = order[r]!;
        if (slot.pos === REMOVED) continue;
        slot.pos = w;
        order[w] = slot;
        records[w] = records[r]!;
        seqs[w] = seqs[r]!;
        w++;
      }
      order.length = w;
      records.length = w;
      seqs.length = w;
    }
    this.removed = 0;
    this.firstRemoved = Infinity;
  }
}
