/**
 * An index on several fields together: one hash key per combination of
 * values, for equality on every field and for unique constraints over the
 * combination. As in SQL, a combination with a null or missing value never
 * conflicts; records with a value that cannot be hashed are candidates of
 * every lookup.
 */
import type { Id } from "../types.js";
import { fieldValue, type SlotRuns } from "./field-index.js";
import {
  bucketAdd,
  bucketDelete,
  bucketOther,
  bucketRefresh,
  bucketRun,
  SlotList,
  type Slot,
  type SlotBucket,
} from "./slot-bucket.js";

/** A self-delimiting encoding of one value that keeps types apart (`1` and `"1"` differ; dates by instant). */
function encode(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return `n${String(value)}`;
    case "boolean":
      return value ? "t" : "f";
    case "bigint":
      return `i${String(value)}`;
    case "undefined":
      return "u";
    case "object":
      if (value === null) return "z";
      if (value instanceof Date && !Number.isNaN(value.getTime())) return `d${value.getTime()}`;
      return undefined;
    default:
      return undefined;
  }
}

/** The hash key of a combination of values; `undefined` when one cannot be hashed. */
export function compoundKey(values: readonly unknown[]): string | undefined {
  let key = "";
  for (const value of values) {
    const part = encode(value);
    if (part === undefined) return undefined;
    key += `${part},`;
  }
  return key;
}

export class CompoundIndex {
  private readonly buckets = new Map<string, SlotBucket>();
  private readonly others = new SlotList();

  constructor(
    readonly fields: readonly string[],
    readonly unique: boolean,
  ) {}

  /** The hash key of `record`'s combination, or `undefined` when a value cannot be hashed. */
  keyOf(record: object): string | undefined {
    return compoundKey(this.fields.map((field) => fieldValue(record, field)));
  }

  add(slot: Slot, record: object): void {
    const key = this.keyOf(record);
    if (key === undefined) this.others.add(slot);
    else bucketAdd(this.buckets, key, slot);
  }

  delete(slot: Slot, record: object): void {
    const key = this.keyOf(record);
    if (key === undefined) this.others.delete(slot);
    else bucketDelete(this.buckets, key, slot);
  }

  /** `slot` got a new record with the same combination: buckets take up the new record. */
  refresh(slot: Slot, record: object): void {
    const key = this.keyOf(record);
    if (key === undefined) this.others.refresh(slot);
    else bucketRefresh(this.buckets, key, slot);
  }

  /** For a unique index: another record with the same combination, if any. */
  conflict(id: Id, record: object): Id | undefined {
    if (!this.unique) return undefined;
    const values = this.fields.map((field) => fieldValue(record, field));
    if (values.some((v) => v === null || v === undefined)) return undefined;
    const key = compoundKey(values);
    return key === undefined ? undefined : bucketOther(this.buckets.get(key), id)?.id;
  }

  /** Runs of the records whose fields may equal `values` (none of them null). */
  lookup(values: readonly unknown[]): SlotRuns {
    const key = compoundKey(values);
    const runs: SlotRuns = [];
    if (key !== undefined) runs.push(bucketRun(this.buckets.get(key)));
    runs.push(this.others.live());
    return runs;
  }
}
