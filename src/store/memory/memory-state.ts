/**
 * The data of a memory store at one moment: records by id (with their
 * insertion sequence, which is the store's natural order) and every index.
 * Stored records are never mutated — a change stores a new object — so a
 * journal entry can keep the records it replaced by reference, and `clear` or
 * `load` can keep the whole previous state to restore it in O(1).
 */
import { ConflictError, NotFoundError } from "../../errors/index.js";
import type { IndexCatalog, IndexPlan } from "../../query/plan/index.js";
import type { Id } from "../types.js";
import { CompoundIndex } from "./compound-index.js";
import { FieldIndex } from "./field-index.js";

/** An index declaration: a field name, or fields with an optional unique constraint. */
export type IndexSpec = string | { readonly fields: readonly string[]; readonly unique?: boolean };

/** A stored record and its place in the natural order. */
export interface Slot<T> {
  readonly seq: number;
  readonly record: T;
}

export class MemoryState<T extends object> implements IndexCatalog {
  readonly slots = new Map<Id, Slot<T>>();
  readonly compound: (readonly string[])[] = [];
  private readonly fields = new Map<string, FieldIndex>();
  private readonly compounds: CompoundIndex[] = [];
  /** Whether the map iterates in sequence order (re-inserting an old record breaks it). */
  private inOrder = true;
  private lastSeq = -Infinity;

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
    this.fields.set(idProperty, new FieldIndex(idProperty, true, this.slots));
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
    this.slots.set(id, { seq, record });
    if (seq < this.lastSeq) this.inOrder = false;
    else this.lastSeq = seq;
    for (const index of this.fields.values()) index.add(id, record);
    for (const index of this.compounds) index.add(id, record);
  }

  /** Replaces the record under `id` (keeping its place); returns the previous one. */
  replace(id: Id, record: T): T {
    const slot = this.slots.get(id);
    if (!slot) throw new NotFoundError(`no record with id ${describe(id)}`);
    this.checkUnique(id, record);
    const previous = slot.record;
    this.slots.set(id, { seq: slot.seq, record });
    for (const index of this.fields.values()) {
      if (Object.is(valueOf(previous, index.field), valueOf(record, index.field))) continue;
      index.delete(id, previous);
      index.add(id, record);
    }
    for (const index of this.compounds) {
      index.delete(id, previous);
      index.add(id, record);
    }
    return previous;
  }

  /** Removes the record under `id`; returns its slot, or undefined if there was none. */
  remove(id: Id): Slot<T> | undefined {
    const slot = this.slots.get(id);
    if (!slot) return undefined;
    this.slots.delete(id);
    for (const index of this.fields.values()) index.delete(id, slot.record);
    for (const index of this.compounds) index.delete(id, slot.record);
    return slot;
  }

  /** Every slot in natural (insertion) order. */
  ordered(): Iterable<Slot<T>> {
    if (!this.inOrder) {
      const entries = [...this.slots].sort((a, b) => a[1].seq - b[1].seq);
      this.slots.clear();
      for (const [id, slot] of entries) this.slots.set(id, slot);
      this.inOrder = true;
    }
    return this.slots.values();
  }

  /** Slots of `ids` in natural order (ids that have no record are skipped). */
  slotsOf(ids: Iterable<Id>): Slot<T>[] {
    const slots: Slot<T>[] = [];
    let sorted = true;
    for (const id of ids) {
      const slot = this.slots.get(id);
      if (!slot) continue;
      if (slots.length > 0 && slots[slots.length - 1]!.seq > slot.seq) sorted = false;
      slots.push(slot);
    }
    return sorted ? slots : slots.sort((a, b) => a.seq - b.seq);
  }

  /** The candidate ids of a plan, or `undefined` for "every record". */
  candidates(plan: IndexPlan): Set<Id> | undefined {
    switch (plan.kind) {
      case "scan":
        return undefined;
      case "empty":
        return new Set();
      case "lookup": {
        const ids = new Set<Id>();
        for (const value of plan.values) this.fields.get(plan.field)!.lookup(value, ids);
        return ids;
      }
      case "range": {
        const ids = new Set<Id>();
        this.fields.get(plan.field)!.range(plan.lower, plan.upper, ids);
        return ids;
      }
      case "prefix": {
        const ids = new Set<Id>();
        this.fields.get(plan.field)!.prefix(plan.prefix, ids);
        return ids;
      }
      case "compound": {
        const ids = new Set<Id>();
        this.compounds
          .find((index) => sameFields(index.fields, plan.fields))!
          .lookup(plan.values, ids);
        return ids;
      }
      case "union": {
        const ids = new Set<Id>();
        for (const part of plan.plans) {
          const found = this.candidates(part);
          if (!found) return undefined;
          for (const id of found) ids.add(id);
        }
        return ids;
      }
      case "intersect": {
        const sets = plan.plans
          .map((part) => this.candidates(part))
          .filter((s): s is Set<Id> => s !== undefined);
        if (sets.length === 0) return undefined;
        sets.sort((a, b) => a.size - b.size);
        const [smallest, ...rest] = sets;
        const ids = new Set<Id>();
        for (const id of smallest!) if (rest.every((s) => s.has(id))) ids.add(id);
        return ids;
      }
    }
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

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((field, i) => field === b[i]);
}

function describe(id: Id): string {
  return typeof id === "string" ? JSON.stringify(id) : String(id);
}
