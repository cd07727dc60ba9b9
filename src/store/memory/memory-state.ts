/**
 * The data of a memory store at one moment: records by id (with their
 * insertion sequence, which is the store's natural order) and every index.
 * Stored records are never mutated — a change stores a new object in the
 * record's slot — so a journal entry can keep the records it replaced by
 * reference, and `clear` or `load` can keep the whole previous state to
 * restore it in O(1). Index buckets hold the slots themselves.
 */
import { ConflictError, NotFoundError } from "../../errors/index.js";
import type { IndexCatalog, IndexPlan } from "../../query/plan/index.js";
import type { IdType } from "../record-id.js";
import type { Id } from "../types.js";
import { describeId } from "./describe-id.js";
import type { SlotRuns, SortedGroups } from "./field-index.js";
import { NaturalOrder } from "./natural-order.js";
import { isLeaf, type LeafPlan } from "./probe-value.js";
import { RecordIndexes, type IndexSpec } from "./record-indexes.js";
import { EMPTY_RUN, mergeRuns, type Run, type Slot } from "./slot-bucket.js";

export type { IndexSpec } from "./record-indexes.js";
export type { Run, Slot } from "./slot-bucket.js";

/** One term of an intersection: its candidates (or runs of them) and how many there are. */
interface Part<T> {
  readonly plan: IndexPlan;
  readonly size: number;
  readonly runs?: SlotRuns;
  readonly found?: Run<T>;
}

export class MemoryState<T extends object> implements IndexCatalog {
  readonly slots = new Map<Id, Slot<T>>();
  private readonly indexes: RecordIndexes<T>;
  private readonly order = new NaturalOrder<T>();

  constructor(
    readonly idProperty: string,
    readonly specs: readonly IndexSpec[],
    /** The type every id must have, when the store was given one. */
    readonly idType?: IdType,
  ) {
    this.indexes = new RecordIndexes<T>(idProperty, specs, this.slots);
  }

  /** A state with the same indexes and no records. */
  emptyLike(): MemoryState<T> {
    return new MemoryState<T>(this.idProperty, this.specs, this.idType);
  }

  get compound(): readonly (readonly string[])[] {
    return this.indexes.compound;
  }

  hasIndex(field: string): boolean {
    return this.indexes.hasIndex(field);
  }

  get size(): number {
    return this.slots.size;
  }

  /** Stores a new record; ConflictError (nothing changed) if the id or a unique value is taken. */
  insert(id: Id, record: T, seq: number): void {
    if (this.slots.has(id))
      throw new ConflictError(
        `a record with id ${describeId(id)} already exists`,
        "STORE_CONFLICT",
        { details: { id } },
      );
    this.indexes.checkUnique(id, record);
    const slot = this.order.add(id, seq, record);
    this.slots.set(id, slot);
    this.indexes.add(slot);
  }

  /** Replaces the record under `id` (keeping its place); returns the previous one. */
  replace(id: Id, record: T): T {
    const slot = this.slots.get(id);
    if (!slot) throw new NotFoundError(`no record with id ${describeId(id)}`);
    this.indexes.checkUnique(id, record);
    const previous = slot.record;
    slot.record = record;
    this.order.refresh(slot);
    this.indexes.replace(slot, previous);
    return previous;
  }

  /** Removes the record under `id`; returns its slot, or undefined if there was none. */
  remove(id: Id): Slot<T> | undefined {
    const slot = this.slots.get(id);
    if (!slot) return undefined;
    this.slots.delete(id);
    this.indexes.delete(slot);
    this.order.remove(slot);
    return slot;
  }

  /** Every record in natural order: the state's own array, valid until the next change (read only). */
  allRecords(): readonly T[] {
    return this.order.allRecords();
  }

  /** Every slot in natural order: the state's own array, valid until the next change (read only). */
  ordered(): readonly Slot<T>[] {
    return this.order.ordered();
  }

  /** Every record in the order of one indexed field, a group per value (undefined: no index, or it cannot). */
  sortedGroups(field: string, descending: boolean): SortedGroups<T> | undefined {
    return this.indexes.sortedGroups(field, descending) as SortedGroups<T> | undefined;
  }

  /** The candidate records of a plan in natural order, or `undefined` for "every record" (read only). */
  candidates(plan: IndexPlan): Run<T> | undefined {
    switch (plan.kind) {
      case "scan":
        return undefined;
      case "empty":
        return EMPTY_RUN;
      case "union": {
        const parts: Run<T>[] = [];
        for (const part of plan.plans) {
          const found = this.candidates(part);
          if (!found) return undefined;
          parts.push(found);
        }
        return mergeRuns(parts);
      }
      case "intersect":
        return this.intersect(plan.plans);
      default:
        return mergeRuns(this.indexes.runs(plan) as Run<T>[]);
    }
  }

  /**
   * Candidates of an `and`: the smallest term's candidates, kept if every
   * other term's index would also hold them (checked on the record, not by
   * building and probing sets).
   */
  private intersect(plans: readonly IndexPlan[]): Run<T> | undefined {
    const parts: Part<T>[] = [];
    for (const plan of plans) {
      if (plan.kind === "scan") continue;
      if (isLeaf(plan)) {
        const runs = this.indexes.runs(plan);
        let size = 0;
        for (const run of runs) size += run.seqs.length;
        parts.push({ plan, size, runs });
      } else {
        const found = this.candidates(plan);
        if (found) parts.push({ plan, size: found.seqs.length, found });
      }
    }
    if (parts.length === 0) return undefined;
    let smallest = parts[0]!;
    for (const part of parts) if (part.size < smallest.size) smallest = part;
    const base = smallest.found ?? mergeRuns(smallest.runs! as Run<T>[]);
    const tests = parts.filter((part) => part !== smallest).map((part) => this.probe(part));
    if (tests.length === 0) return base;
    const seqs: number[] = [];
    const records: T[] = [];
    for (let i = 0; i < base.seqs.length; i++) {
      const record = base.records[i]!;
      const seq = base.seqs[i]!;
      if (tests.every((test) => test(record, seq))) {
        seqs.push(seq);
        records.push(record);
      }
    }
    return { seqs, records };
  }

  /** A test telling whether a record (with its sequence number) is among a part's candidates. */
  private probe(part: Part<T>): (record: T, seq: number) => boolean {
    if (part.found) {
      const set = new Set(part.found.seqs);
      return (_record, seq) => set.has(seq);
    }
    return this.indexes.probe(part.plan as LeafPlan);
  }
}
