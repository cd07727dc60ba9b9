/**
 * Every index of a memory state, kept in step with its records: one field
 * index per indexed field (the id property's always, unique), one compound
 * index per multi-field declaration. Unique constraints are checked here,
 * before any index changes, so a refused write changes nothing.
 */
import { ConflictError } from "../../errors/index.js";
import type { Id } from "../types.js";
import { CompoundIndex, compoundKey } from "./compound-index.js";
import { describeId } from "./describe-id.js";
import { FieldIndex, type SlotRuns, type SortedGroups } from "./field-index.js";
import { probeValue, type LeafPlan } from "./probe-value.js";
import type { Slot } from "./slot-bucket.js";

/** An index declaration: a field name, or fields with an optional unique constraint. */
export type IndexSpec = string | { readonly fields: readonly string[]; readonly unique?: boolean };

export class RecordIndexes<T extends object> {
  /** The fields of each compound index, for the planner. */
  readonly compound: (readonly string[])[] = [];
  private readonly fields = new Map<string, FieldIndex>();
  private readonly compounds: CompoundIndex[] = [];

  /** @param slots the state's slots by id, which the id property's index reads directly. */
  constructor(
    private readonly idProperty: string,
    specs: readonly IndexSpec[],
    slots: ReadonlyMap<Id, Slot<T>>,
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
    this.fields.set(idProperty, new FieldIndex(idProperty, true, slots as ReadonlyMap<Id, Slot>));
    for (const [field, isUnique] of unique) this.fields.set(field, new FieldIndex(field, isUnique));
  }

  hasIndex(field: string): boolean {
    return this.fields.has(field);
  }

  /** The groups of `sort(+field)` / `sort(-field)` from the field's index (see FieldIndex.sortedGroups). */
  sortedGroups(field: string, descending: boolean): SortedGroups | undefined {
    return this.fields.get(field)?.sortedGroups(descending);
  }

  /** Indexes a new slot under its record. */
  add(slot: Slot<T>): void {
    for (const index of this.fields.values()) index.add(slot, slot.record);
    for (const index of this.compounds) index.add(slot, slot.record);
  }

  /** Re-indexes a slot whose record changed from `previous` to `slot.record`. */
  replace(slot: Slot<T>, previous: T): void {
    const record = slot.record;
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
  }

  /** Drops a removed slot from every index. */
  delete(slot: Slot<T>): void {
    for (const index of this.fields.values()) index.delete(slot, slot.record);
    for (const index of this.compounds) index.delete(slot, slot.record);
  }

  /** Throws ConflictError if `record` (stored under `id`) would break a unique index. */
  checkUnique(id: Id, record: T): void {
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

  /** Runs of candidate records for a plan on one index. */
  runs(plan: LeafPlan): SlotRuns {
    switch (plan.kind) {
      case "lookup":
        return this.fields.get(plan.field)!.lookup(plan.values);
      case "range":
        return this.fields.get(plan.field)!.range(plan.lower, plan.upper);
      case "prefix":
        return this.fields.get(plan.field)!.prefix(plan.prefix);
      case "compound":
        return this.compoundIndex(plan.fields).lookup(plan.values);
    }
  }

  /** A test telling whether a record is among a leaf plan's candidates, without reading the index. */
  probe(plan: LeafPlan): (record: T) => boolean {
    if (plan.kind === "compound") {
      const index = this.compoundIndex(plan.fields);
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

  private compoundIndex(fields: readonly string[]): CompoundIndex {
    return this.compounds.find((index) => sameFields(index.fields, fields))!;
  }
}

function uniqueConflict(fields: readonly string[], other: Id): ConflictError {
  return new ConflictError(
    `unique index on ${fields.join(", ")}: the value is already used by record ${describeId(other)}`,
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
