/**
 * How records enter a memory store: each is copied (prototype keys dropped)
 * and gets its id resolved and set, so the store never holds a caller's
 * object and every stored record carries its id. Text no store can keep is
 * refused (see storable-text.ts).
 */
import { StoreError } from "../../errors/index.js";
import { isPrototypeKey } from "../copy.js";
import { copyIntoStore, tagStoredRecord } from "../stored-copy.js";
import { assertRecord, recordId, type IdType } from "../record-id.js";
import { assertStorableRecord } from "../storable-text.js";
import type { Id } from "../types.js";
import { MemoryState, type IndexSpec } from "./memory-state.js";

/** A copy of `object` with its id (`id`, then the id property, else a new UUID) resolved and set. */
export function prepareRecord<T>(
  object: unknown,
  idProperty: string,
  id?: Id,
  idType?: IdType,
): { id: Id; record: T } {
  assertRecord(object);
  const record = copyIntoStore(object, idProperty) as Record<string, unknown>;
  const resolved = recordId(record, idProperty, id, idType);
  record[idProperty] = resolved;
  assertStorableRecord(record);
  tagStoredRecord(record);
  return { id: resolved, record: record as T };
}

/**
 * A fresh state holding copies of `records`, numbered by `seq`; throws
 * (ConflictError...) without touching any other state. `owned`: the records
 * are the caller's to give away (just parsed, free of prototype keys), so they
 * are stored as they are; `textChecked` also skips the storable-text walk,
 * for a caller that ruled such text out.
 */
export function buildState<T extends object>(
  records: readonly unknown[],
  idProperty: string,
  specs: readonly IndexSpec[],
  seq: () => number,
  idType?: IdType,
  given: { readonly owned?: boolean; readonly textChecked?: boolean } = {},
): MemoryState<T> {
  const state = new MemoryState<T>(idProperty, specs, idType);
  if (given.owned) {
    for (const object of records) {
      const { id, record } = adoptRecord<T>(object, idProperty, idType, given.textChecked === true);
      state.insert(id, record, seq());
    }
    return state;
  }
  // Every copy first, then the slots and indexes: copies made one after another, with nothing
  // kept alive between them, sit next to each other in memory, so a scan over the records reads
  // one stream. Errors come in the same order as inserting each copy at once: a bad record
  // throws after the records before it went in (and could conflict).
  const ids: Id[] = [];
  const copies: T[] = [];
  let failure: unknown;
  let failed = false;
  for (const object of records) {
    try {
      const { id, record } = prepareRecord<T>(object, idProperty, undefined, idType);
      ids.push(id);
      copies.push(record);
    } catch (error) {
      failure = error;
      failed = true;
      break;
    }
  }
  for (let i = 0; i < copies.length; i++) state.insert(ids[i]!, copies[i]!, seq());
  if (failed) throw failure;
  return state;
}

/** `prepareRecord` for a record the store may keep as it is (see `buildState`'s `owned`). */
function adoptRecord<T>(
  object: unknown,
  idProperty: string,
  idType: IdType | undefined,
  textChecked: boolean,
): { id: Id; record: T } {
  assertRecord(object);
  const record = object as Record<string, unknown>;
  const resolved = recordId(record, idProperty, undefined, idType);
  record[idProperty] = resolved;
  if (!textChecked) assertStorableRecord(record);
  // No copier yet: opening a large file should not pay for records never read (they get one on first copy).
  return { id: resolved, record: record as T };
}

/** Refuses an id property no record could safely carry (StoreError STORE_BAD_OPTION). */
export function checkIdProperty(idProperty: string): void {
  if (typeof idProperty !== "string" || idProperty === "" || isPrototypeKey(idProperty)) {
    throw new StoreError("STORE_BAD_OPTION", `invalid id property ${JSON.stringify(idProperty)}`);
  }
}

/** Refuses an `idType` option that is not one of the id types (StoreError STORE_BAD_OPTION). */
export function checkIdType(idType: unknown): asserts idType is IdType | undefined {
  if (idType !== undefined && idType !== "string" && idType !== "integer" && idType !== "number") {
    throw new StoreError(
      "STORE_BAD_OPTION",
      `invalid idType ${JSON.stringify(idType)}: use "string", "integer" or "number"`,
    );
  }
}
