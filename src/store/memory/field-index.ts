/**
 * An index on one top-level field: hash buckets for equality and `in`, and
 * (built on first use) ordered keys per type for ranges and prefixes.
 * Buckets hold the stored slots and their records in natural order, so a
 * lookup yields its candidate records without another id lookup or a sort.
 * Records whose value is neither a primitive nor a valid date (arrays,
 * objects, NaN dates) are kept aside and are candidates of every lookup, so
 * the index never hides a record the query engine would match.
 * Missing and `undefined` share the key `undefined`; `null` has its own.
 */
import { queryInstant } from "../../query/index.js";
import type { RangeBound } from "../../query/plan/index.js";
import type { Id } from "../types.js";
import { compareCodePoints, compareNumbers } from "./compare-keys.js";
import { OrderedKeys } from "./ordered-keys.js";
import {
  bucketAdd,
  bucketDelete,
  bucketOther,
  bucketRefresh,
  bucketRun,
  EMPTY_RUN,
  slotRun,
  SlotList,
  type Run,
  type Slot,
  type SlotBucket,
} from "./slot-bucket.js";

/** Reads a top-level field as an own property only: a prototype is never consulted. */
export function fieldValue(record: object, field: string): unknown {
  return Object.hasOwn(record, field) ? (record as Record<string, unknown>)[field] : undefined;
}

/**
 * Whether a value is a string a `Date` query value compares with by instant
 * (an ISO-8601 date-time, as JSON holds `format: date-time`). Such records
 * are candidates of every lookup or range by a Date, besides the Dates.
 */
export function isInstantString(value: unknown): boolean {
  if (typeof value !== "string" || value.length < 10) return false;
  const first = value.charCodeAt(0);
  // Cheap pre-check (a digit, or the sign of an expanded year) before the parse.
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45)) return false;
  return !Number.isNaN(queryInstant(value));
}

/** Runs of candidate records, each in natural order (merged by the caller). */
export type SlotRuns = Run[];

/** An index's records in a sort's order (see FieldIndex.sortedGroups). */
export interface SortedGroups<T = unknown> {
  readonly unordered: Run<T>;
  readonly groups: Iterable<Run<T>[]>;
}

/** Where a value lives in a hash index: the dates map (by instant) or the values map; `undefined` if it cannot be hashed. */
type Key =
  | { readonly map: "values"; readonly key: unknown }
  | { readonly map: "dates"; readonly key: number }
  | undefined;

export function keyOf(value: unknown): Key {
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? undefined : { map: "dates", key: time };
  }
  if (value !== null && (typeof value === "object" || typeof value === "function"))
    return undefined;
  return { map: "values", key: value };
}

/** Values that hash but that no ordered list of keys holds, nor a fixed group (NaN, null, booleans do). */
function isUnorderable(key: unknown): boolean {
  return typeof key === "bigint" || typeof key === "symbol";
}

export class FieldIndex {
  private readonly values = new Map<unknown, SlotBucket>();
  private readonly dates = new Map<number, SlotBucket>();
  /** Slots whose value cannot be hashed: candidates of every lookup. */
  private readonly others = new SlotList();
  /** Slots whose value is an ISO date-time string: candidates of lookups and ranges by a Date. */
  private readonly instants = new SlotList();
  /** Distinct keys no ordered list holds and the sort order puts among others (bigints, symbols). */
  private unorderable = 0;
  private numbers: OrderedKeys<number> | undefined;
  private strings: OrderedKeys<string> | undefined;
  private times: OrderedKeys<number> | undefined;

  /**
   * @param field the indexed property
   * @param unique whether two records may share a non-null value
   * @param idSlots for the primary key: the store's own id map stands in for the hash buckets
   */
  constructor(
    readonly field: string,
    readonly unique: boolean,
    private readonly idSlots?: ReadonlyMap<Id, Slot>,
  ) {}

  /** Indexes `slot` under `record`'s value. */
  add(slot: Slot, record: object): void {
    const value = fieldValue(record, this.field);
    if (isInstantString(value)) this.instants.add(slot);
    const key = keyOf(value);
    if (key === undefined) this.others.add(slot);
    else if (this.idSlots) this.orderedOf(key)?.added(key.key as never);
    else if (bucketAdd(this.mapOf(key), key.key, slot)) {
      this.orderedOf(key)?.added(key.key as never);
      if (isUnorderable(key.key)) this.unorderable++;
    }
  }

  /** Removes `slot` indexed under `record`'s value. */
  delete(slot: Slot, record: object): void {
    const value = fieldValue(record, this.field);
    if (isInstantString(value)) this.instants.delete(slot);
    const key = keyOf(value);
    if (key === undefined) this.others.delete(slot);
    else if (this.idSlots) this.orderedOf(key)?.removed();
    else if (bucketDelete(this.mapOf(key), key.key, slot)) {
      this.orderedOf(key)?.removed();
      if (isUnorderable(key.key)) this.unorderable--;
    }
  }

  /** `slot` got a new record with the same value here: buckets take up the new record. */
  refresh(slot: Slot, record: object): void {
    const value = fieldValue(record, this.field);
    if (isInstantString(value)) this.instants.refresh(slot);
    const key = keyOf(value);
    if (key === undefined) this.others.refresh(slot);
    else if (!this.idSlots) bucketRefresh(this.mapOf(key), key.key, slot);
  }

  /** For a unique index: another record holding `record`'s value, if any (null and missing never conflict). */
  conflict(id: Id, record: object): Id | undefined {
    const value = fieldValue(record, this.field);
    if (!this.unique || value === null || value === undefined) return undefined;
    const key = keyOf(value);
    if (key === undefined) return undefined;
    if (this.idSlots)
      return this.idSlots.has(key.key as Id) && key.key !== id ? (key.key as Id) : undefined;
    return bucketOther(this.mapOf(key).get(key.key), id)?.id;
  }

  /** Runs of the records whose value may equal one of `values` (`null`/`undefined` find both). */
  lookup(values: readonly unknown[]): SlotRuns {
    const runs: SlotRuns = [];
    let nullish = false;
    for (const value of values) {
      if (value === null || value === undefined) {
        if (nullish) continue;
        nullish = true;
        runs.push(this.collect({ map: "values", key: null }));
        runs.push(this.collect({ map: "values", key: undefined }));
      } else {
        const key = keyOf(value);
        if (key) runs.push(this.collect(key));
      }
    }
    if (values.some((value) => value instanceof Date)) runs.push(this.instants.live());
    runs.push(this.others.live());
    return runs;
  }

  /** Runs of the records whose value lies between the bounds (values of the bounds' type only). */
  range(lower: RangeBound | undefined, upper: RangeBound | undefined): SlotRuns {
    const sample = (lower ?? upper)!.value;
    const unwrap = (b: RangeBound | undefined) =>
      b && {
        value: (b.value instanceof Date ? b.value.getTime() : b.value) as never,
        inclusive: b.inclusive,
      };
    const map: "values" | "dates" = sample instanceof Date ? "dates" : "values";
    const ordered = this.ordered(
      sample instanceof Date ? "date" : typeof sample === "number" ? "number" : "string",
    );
    const has = (key: unknown) => this.has({ map, key } as Key & object);
    const runs: SlotRuns = [];
    for (const key of ordered.range(unwrap(lower), unwrap(upper), has))
      runs.push(this.collect({ map, key } as Key & object));
    if (map === "dates") runs.push(this.instants.live());
    runs.push(this.others.live());
    return runs;
  }

  /** Runs of the records whose string value starts with `prefix`. */
  prefix(prefix: string): SlotRuns {
    const has = (key: unknown) => this.has({ map: "values", key });
    const runs: SlotRuns = [];
    for (const key of this.ordered("string").prefix(prefix, has))
      runs.push(this.collect({ map: "values", key }));
    runs.push(this.others.live());
    return runs;
  }

  /**
   * The records in the order of `sort(+field)` (or `sort(-field)`), a group
   * per distinct value, each group's records in natural order (ties are the
   * caller's to break), read lazily: a sorted page reads only its first
   * groups. Records whose value has no ordered list (arrays, objects,
   * invalid dates) are `unordered`, whatever their place: a caller that keeps
   * them and every group up to one holds every record that sorts before the
   * next group. Undefined when some value fits no group (a bigint).
   */
  sortedGroups(descending: boolean): SortedGroups | undefined {
    if (this.unorderable > 0) return undefined;
    return { unordered: this.others.live(), groups: this.groups(descending) };
  }

  private *groups(descending: boolean): Generator<Run[]> {
    const value = (key: unknown): Run => this.collect({ map: "values", key });
    // compareValues' order: null and missing (equal), booleans, numbers (NaN first), strings, dates.
    const ranks: (() => Iterable<Run[]>)[] = [
      () => [[value(null), value(undefined)]],
      () => (descending ? [[value(true)], [value(false)]] : [[value(false)], [value(true)]]),
      () => this.walk("number", [value(NaN)], descending),
      () => this.walk("string", [], descending),
      () => this.walk("date", [], descending),
    ];
    if (descending) ranks.reverse();
    for (const rank of ranks)
      for (const group of rank()) if (group.some((run) => run.seqs.length > 0)) yield group;
  }

  /** The groups of one ordered type, `first` (NaN) before them ascending. */
  private *walk(
    type: "number" | "string" | "date",
    first: Run[],
    descending: boolean,
  ): Generator<Run[]> {
    const map: "values" | "dates" = type === "date" ? "dates" : "values";
    const has = (key: unknown) => this.has({ map, key } as Key & object);
    if (!descending) yield first;
    for (const key of this.ordered(type).walk(descending, has as never))
      yield [this.collect({ map, key } as Key & object)];
    if (descending) yield first;
  }

  private mapOf(key: Key & object): Map<unknown, SlotBucket> {
    return key.map === "dates" ? (this.dates as Map<unknown, SlotBucket>) : this.values;
  }

  private has(key: Key & object): boolean {
    return this.idSlots
      ? key.map === "values" && this.idSlots.has(key.key as Id)
      : this.mapOf(key).has(key.key);
  }

  private collect(key: Key & object): Run {
    if (this.idSlots) {
      const slot = key.map === "values" ? this.idSlots.get(key.key as Id) : undefined;
      return slot ? slotRun(slot) : EMPTY_RUN;
    }
    return bucketRun(this.mapOf(key).get(key.key));
  }

  /** The ordered keys of a type if they have been built (they are kept up to date from then on). */
  private orderedOf(key: Key & object): OrderedKeys<never> | undefined {
    if (key.map === "dates") return this.times as OrderedKeys<never> | undefined;
    if (typeof key.key === "number")
      return Number.isNaN(key.key) ? undefined : (this.numbers as OrderedKeys<never> | undefined);
    if (typeof key.key === "string") return this.strings as OrderedKeys<never> | undefined;
    return undefined;
  }

  private ordered(type: "number" | "string" | "date"): OrderedKeys<never> {
    const keys = (type: string) => {
      const source = this.idSlots ? this.idSlots.keys() : this.values.keys();
      // NaN has no place in an order, and no range ever matches it.
      return [...source].filter((k) => typeof k === type && !Number.isNaN(k));
    };
    switch (type) {
      case "number":
        return (this.numbers ??= new OrderedKeys(
          keys("number") as number[],
          compareNumbers,
        )) as unknown as OrderedKeys<never>;
      case "string":
        return (this.strings ??= new OrderedKeys(
          keys("string") as string[],
          compareCodePoints,
        )) as unknown as OrderedKeys<never>;
      case "date":
        return (this.times ??= new OrderedKeys(
          this.dates.keys(),
          compareNumbers,
        )) as unknown as OrderedKeys<never>;
    }
  }
}
