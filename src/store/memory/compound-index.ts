/**
 * An index on several fields together: one hash key per combination of
 * values, for equality on every field and for unique constraints over the
 * combination. As in SQL, a combination with a null or missing value never
 * conflicts; records with a value that cannot be hashed are candidates of
 * every lookup.
 */
import type { Id } from "../types.js";
import { bucketAdd, bucketCollect, bucketDelete, bucketOther, type IdBucket } from "./id-bucket.js";
import { fieldValue } from "./field-index.js";

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
  private readonly buckets = new Map<string, IdBucket>();
  private readonly others = new Set<Id>();

  constructor(
    readonly fields: readonly string[],
    readonly unique: boolean,
  ) {}

  private keyOf(record: object): string | undefined {
    return compoundKey(this.fields.map((field) => fieldValue(record, field)));
  }

  add(id: Id, record: object): void {
    const key = this.keyOf(record);
    if (key === undefined) this.others.add(id);
    else bucketAdd(this.buckets, key, id);
  }

  delete(id: Id, record: object): void {
    const key = this.keyOf(record);
    if (key === undefined) this.others.delete(id);
    else bucketDelete(this.buckets, key, id);
  }

  /** For a unique index: another record with the same combination, if any. */
  conflict(id: Id, record: object): Id | undefined {
    if (!this.unique) return undefined;
    const values = this.fields.map((field) => fieldValue(record, field));
    if (values.some((v) => v === null || v === undefined)) return undefined;
    const key = compoundKey(values);
    return key === undefined ? undefined : bucketOther(this.buckets.get(key), id);
  }

  /** Adds to `into` the ids whose fields may equal `values` (none of them null). */
  lookup(values: readonly unknown[], into: Set<Id>): void {
    const key = compoundKey(values);
    if (key !== undefined) bucketCollect(this.buckets.get(key), into);
    for (const id of this.others) into.add(id);
  }
}
