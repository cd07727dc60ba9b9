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
import type { Id } from "../types.js";
import { CompoundIndex, compoundKey } from "./compound-index.js";
import { compareCodePoints, compareNumbers } from "./compare-keys.js";
import { FieldIndex, isInstantString, keyOf, type SlotRuns } from "./field-index.js";
import { EMPTY_RUN, lowerBound, mergeRuns, type Run, type Slot } from "./slot-bucket.js";

/** An index declaration: a field name, or fields with an optional unique constraint. */
export type IndexSpec = string | { readonly fields: readonly string[]; readonly unique?: boolean };

export type { Run, Slot } from "./slot-bucket.js";

/** A plan that reads one index (no `and`/`or`). */
type LeafPlan = Extract<IndexPlan, { kind: "lookup" | "range" | "prefix" | "compound" }>;

/** One term of an intersection: its candidates (or runs of them) and how many there are. */
interface Part<T> {
  readonly plan: IndexPlan;
  readonly size: number;
  readonly runs?: SlotRuns;
  readonly found?: Run<T>;
}

/** Marks a slot that waits in `pending` for its place in the order. */
const PENDING = -2;
/** Marks a removed slot. */
const REMOVED = -1;

export class MemoryState<T extends object> implements IndexCatalog {
  readonly slots = new Map<Id, Slot<T>>();
  readonly compound: (readonly string[])[] = [];
  private readonly fields = new Map<string, FieldIndex>();
  private readonly compounds: CompoundIndex[] = [];
  /**
   * Slots in natural (sequence) order, and their records at the same
   * positions, so a full scan hands the records array to the query engine as
   * is. A removed slot stays in place (pos -1) until the next full scan
   * compacts it away, so undoing the removal puts the record back in O(log n).
   */
  private order: Slot<T>[] = [];
  private records: T[] = [];
  /** Sequence numbers at the same positions: binary searches read numbers, not slots. */
  private seqs: number[] = [];
  private removed = 0;
  private firstRemoved = Infinity;
  /** Slots re-inserted after their place was compacted away: merged in at the next full scan. */
  private pending: Slot<T>[] = [];

  constructor(
    readonly idProperty: string,
    readonly specs: readonly IndexSpec[],
  ) {
    const unique = new Map<string, boolean>();
    for (const spec of specs) {
      const fields = typeof spec === "string" ? [spec] : spec.fields;
      const isUnique = typeof spec === "object" && spec.unique === true;
      if (fields.length === 1)
        unique.set(fields[0]!, (unique.get(fields[0]!) ?? false) || isUnique);
      else if (fields.length > 1) {
        this.compounds.push(new CompoundIndex(fields, isUnique));
        this.compound.push(fields);
      }
    }
    unique.delete(idProperty);
    this.fields.set(
      idProperty,
      new FieldIndex(idProperty, true, this.slots as ReadonlyMap<Id, Slot>),
    );
    for (const [field, isUnique] of unique) this.fields.set(field, new FieldIndex(field, isUnique));
  }

  /** A state with the same indexes and no records. */
  emptyLike(): MemoryState<T> {
    return new MemoryState<T>(this.idProperty, this.specs);
  }

  hasIndex(field: string): boolean {
    return this.fields.has(field);
  }

  get size(): number {
    return this.slots.size;
  }

  /** Stores a new record; ConflictError (nothing changed) if the id or a unique value is taken. */
  insert(id: Id, record: T, seq: number): void {
    if (this.slots.has(id))
      throw new ConflictError(`a record with id ${describe(id)} already exists`, "STORE_CONFLICT", {
        details: { id },
      });
    this.checkUnique(id, record);
    const slot: Slot<T> = { id, seq, record, pos: PENDING };
    this.place(slot);
    this.slots.set(id, slot);
    for (const index of this.fields.values()) index.add(slot, record);
    for (const index of this.compounds) index.add(slot, record);
  }

  /** Replaces the record under `id` (keeping its place); returns the previous one. */
  replace(id: Id, record: T): T {
    const slot = this.slots.get(id);
    if (!slot) throw new NotFoundError(`no record with id ${describe(id)}`);
    this.checkUnique(id, record);
    const previous = slot.record;
    slot.record = record;
    if (slot.pos >= 0) this.records[slot.pos] = record;
    // Buckets keep records beside slots: a bucket that keeps the slot takes up the new record.
    for (const index of this.fields.values()) {
      if (Object.is(valueOf(previous, index.field), valueOf(record, index.field))) {
        index.refresh(slot, record);
      } else {
        index.delete(slot, previous);
        index.add(slot, record);
      }
    }
    for (const index of this.compounds) {
      if (index.keyOf(previous) === index.keyOf(record)) index.refresh(slot, record);
      else {
        index.delete(slot, previous);
        index.add(slot, record);
      }
    }
    return previous;
  }

  /** Removes the record under `id`; returns its slot, or undefined if there was none. */
  remove(id: Id): Slot<T> | undefined {
    const slot = this.slots.get(id);
    if (!slot) return undefined;
    this.slots.delete(id);
    for (const index of this.fields.values()) index.delete(slot, slot.record);
    for (const index of this.compounds) index.delete(slot, slot.record);
    const pos = slot.pos;
    slot.pos = REMOVED;
    if (pos >= 0) {
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
    return slot;
  }

  /** Every record in natural order: the state's own array, valid until the next change (read only). */
  allRecords(): readonly T[] {
    this.settle();
    return this.records;
  }

  /** Every slot in natural order: the state's own array, valid until the next change (read only). */
  ordered(): readonly Slot<T>[] {
    this.settle();
    return this.order;
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
        return mergeRuns(this.runs(plan) as Run<T>[]);
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
        const runs = this.runs(plan);
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
    const plan = part.plan as LeafPlan;
    if (plan.kind === "compound") {
      const index = this.compounds.find((index) => sameFields(index.fields, plan.fields))!;
      const key = compoundKey(plan.values);
      return (record) => {
        const own = index.keyOf(record);
        return own === undefined || own === key;
      };
    }
    const test = probeValue(plan);
    const field = plan.field;
    return (record) => test(valueOf(record, field));
  }

  /** Runs of candidate records for a plan on one index. */
  private runs(plan: LeafPlan): SlotRuns {
    switch (plan.kind) {
      case "lookup":
        return this.fields.get(plan.field)!.lookup(plan.values);
      case "range":
        return this.fields.get(plan.field)!.range(plan.lower, plan.upper);
      case "prefix":
        return this.fields.get(plan.field)!.prefix(plan.prefix);
      case "compound":
        return this.compounds
          .find((index) => sameFields(index.fields, plan.fields))!
          .lookup(plan.values);
    }
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

  private checkUnique(id: Id, record: T): void {
    for (const index of this.fields.values()) {
      if (index.field === this.idProperty) continue;
      const other = index.conflict(id, record);
      if (other !== undefined) throw uniqueConflict([index.field], other);
    }
    for (const index of this.compounds) {
      const other = index.conflict(id, record);
      if (other !== undefined) throw uniqueConflict(index.fields, other);
    }
  }
}

function uniqueConflict(fields: readonly string[], other: Id): ConflictError {
  return new ConflictError(
    `unique index on ${fields.join(", ")}: the value is already used by record ${describe(other)}`,
    "STORE_CONFLICT",
    { details: { fields, id: other } },
  );
}

function valueOf(record: object, field: string): unknown {
  return Object.hasOwn(record, field) ? (record as Record<string, unknown>)[field] : undefined;
}

function isLeaf(plan: IndexPlan): plan is LeafPlan {
  return (
    plan.kind === "lookup" ||
    plan.kind === "range" ||
    plan.kind === "prefix" ||
    plan.kind === "compound"
  );
}

/**
 * Whether a field index would list a value among a leaf plan's candidates:
 * the same test the index's buckets and ordered keys make, applied to one
 * value (values the index cannot hash are candidates of every plan).
 */
function probeValue(plan: Exclude<LeafPlan, { kind: "compound" }>): (value: unknown) => boolean {
  const unhashable = (value: unknown) => keyOf(value) === undefined;
  switch (plan.kind) {
    case "lookup": {
      const nullish = plan.values.some((v) => v === null || v === undefined);
      const values = new Set<unknown>();
      const dates = new Set<number>();
      for (const v of plan.values) {
        const key = keyOf(v);
        if (key?.map === "dates") dates.add(key.key);
        else if (key) values.add(key.key);
      }
      return (value) => {
        if (value === null || value === undefined) return nullish;
        // A Date finds ISO date-time strings by instant: the engine decides which.
        if (dates.size > 0 && isInstantString(value)) return true;
        const key = keyOf(value);
        if (key === undefined) return true;
        return key.map === "dates" ? dates.has(key.key) : values.has(key.key);
      };
    }
    case "prefix":
      return (value) =>
        typeof value === "string" ? value.startsWith(plan.prefix) : unhashable(value);
    case "range": {
      const { lower, upper } = plan;
      const sample = (lower ?? upper)!.value;
      const type = sample instanceof Date ? "date" : typeof sample;
      const comparable = (v: number | string | Date) => (v instanceof Date ? v.getTime() : v);
      const compare = (a: number | string, b: number | string) =>
        typeof a === "string" ? compareCodePoints(a, b as string) : compareNumbers(a, b as number);
      return (value) => {
        if (value === null || value === undefined) return false;
        if (unhashable(value)) return true;
        let own: number | string;
        if (type === "date") {
          if (typeof value === "string") return isInstantString(value);
          if (!(value instanceof Date)) return false;
          own = value.getTime();
        } else if (typeof value === type) {
          own = value as number | string;
          if (typeof own === "number" && Number.isNaN(own)) return false;
        } else return false;
        if (lower) {
          const c = compare(own, comparable(lower.value));
          if (c < 0 || (c === 0 && !lower.inclusive)) return false;
        }
        if (upper) {
          const c = compare(own, comparable(upper.value));
          if (c > 0 || (c === 0 && !upper.inclusive)) return false;
        }
        return true;
      };
    }
  }
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((field, i) => field === b[i]);
}

function describe(id: Id): string {
  return typeof id === "string" ? JSON.stringify(id) : String(id);
}
